"""Run the Alembic migrations (the single source of the schema on both backends)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, text

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return config


def upgrade_database(engine: Engine, revision: str = "head") -> None:
    config = alembic_config(engine)
    with engine.begin() as connection:
        _without_statement_timeout(connection)
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade_database(engine: Engine, revision: str) -> None:
    config = alembic_config(engine)
    with engine.begin() as connection:
        _without_statement_timeout(connection)
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def check_database(engine: Engine) -> None:
    """Fail when the models and the migrations disagree (``alembic check``)."""
    config = alembic_config(engine)
    with engine.connect() as connection:
        config.attributes["connection"] = connection
        command.check(config)


def _without_statement_timeout(connection: Connection) -> None:
    """A migration rewrites whole tables: the web engine's statement timeout
    (`geodata.database.make_engine`) does not apply to it."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SET LOCAL statement_timeout = 0"))
