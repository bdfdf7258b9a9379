"""Run the Alembic migrations (the single source of the schema on both backends).

`upgrade_database` holds the migration lock (`geodata.locks.migration_lock`): several
servers starting together, or an operator's ``db upgrade`` at the same moment, migrate
once; the others wait, then find the schema up to date.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, Engine, text

from geodata.locks import migration_lock

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return config


def upgrade_database(engine: Engine, revision: str = "head") -> tuple[str | None, str | None]:
    """Migrate to ``revision``; return the revisions (before, after): equal when another
    process had already migrated."""
    config = alembic_config(engine)
    with migration_lock(engine), engine.begin() as connection:
        _without_statement_timeout(connection)
        before = current_revision(connection)
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        return before, current_revision(connection)


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


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
