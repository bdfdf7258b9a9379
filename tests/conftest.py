"""Shared fixtures: every database test runs on SpatiaLite and on PostGIS.

PostGIS is mandatory: when it cannot be reached the tests fail, they are never skipped.
``make test`` starts PostgreSQL and exports ``AIGUILLAGE_TEST_POSTGRES_ADMIN_URL``.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from directory.imports.bundle import import_bundled_data
from geodata.database import make_engine, make_session_factory, normalise_database_url
from geodata.schema import upgrade_database

BACKENDS = ("spatialite", "postgis")
IMPORT_INSTANT = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
DEFAULT_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


class TestDatabases:
    """Creates throw-away databases on both backends and drops them at the end."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        admin_url = os.environ.get("AIGUILLAGE_TEST_POSTGRES_ADMIN_URL", DEFAULT_ADMIN_URL)
        self.admin_url = make_url(normalise_database_url(admin_url))
        self._admin: Engine | None = None
        self._created: list[str] = []
        self._engines: list[Engine] = []

    def admin(self) -> Engine:
        if self._admin is None:
            self._admin = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
            try:
                with self._admin.connect() as connection:
                    connection.execute(text("SELECT 1"))
            except Exception as exc:
                pytest.fail(
                    f"PostgreSQL injoignable ({self.admin_url}) : les tests PostGIS sont "
                    f"obligatoires, lancez-les avec `make test`. Cause : {exc}",
                    pytrace=False,
                )
        return self._admin

    def create(self, backend: str, name: str) -> Engine:
        if backend == "spatialite":
            url = f"sqlite:///{self.directory / f'{name}.db'}"
        else:
            database = f"aiguillage_test_{name}_{os.getpid()}"
            with self.admin().connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
                connection.execute(text(f'CREATE DATABASE "{database}"'))
            self._created.append(database)
            url = self.admin_url.set(database=database).render_as_string(hide_password=False)
            with create_engine(url).begin() as connection:
                connection.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
        engine = make_engine(url)
        self._engines.append(engine)
        return engine

    def drop_all(self) -> None:
        for engine in self._engines:
            engine.dispose()
        if self._admin is not None:
            with self._admin.connect() as connection:
                for database in self._created:
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
            self._admin.dispose()


@pytest.fixture(scope="session")
def test_databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestDatabases]:
    databases = TestDatabases(tmp_path_factory.mktemp("databases"))
    yield databases
    databases.drop_all()


@pytest.fixture(scope="session", params=BACKENDS)
def loaded_engine(request: pytest.FixtureRequest, test_databases: TestDatabases) -> Engine:
    """A database per backend with the whole bundled real dataset, imported once."""
    engine = test_databases.create(request.param, "loaded")
    upgrade_database(engine)
    factory = make_session_factory(engine)
    with factory() as session:
        import_bundled_data(session, IMPORT_INSTANT)
        session.commit()
    return engine


@pytest.fixture
def session(loaded_engine: Engine) -> Iterator[Session]:
    """A session on the loaded database whose changes are all rolled back after the test."""
    connection = loaded_engine.connect()
    outer = connection.begin()
    db_session = Session(bind=connection, join_transaction_mode="create_savepoint")
    try:
        yield db_session
    finally:
        db_session.close()
        outer.rollback()
        connection.close()


@pytest.fixture(params=BACKENDS)
def empty_engine(request: pytest.FixtureRequest, test_databases: TestDatabases) -> Engine:
    """A brand-new database (no schema) on each backend."""
    name = request.node.name.split("[")[0][-30:].lower()
    return test_databases.create(request.param, f"empty_{name}")


def backend_name(engine_or_session: Engine | Session) -> str:
    bind = (
        engine_or_session.get_bind()
        if isinstance(engine_or_session, Session)
        else engine_or_session
    )
    return "postgis" if bind.dialect.name == "postgresql" else "spatialite"


@pytest.fixture(scope="session")
def search_index_dir(loaded_engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real whoosh index of the loaded database (one per backend)."""
    from directory.search import forget_search_index, rebuild_index

    index_dir = tmp_path_factory.mktemp(f"search-index-{loaded_engine.dialect.name}")
    with make_session_factory(loaded_engine)() as session:
        rebuild_index(session, index_dir)
    forget_search_index(index_dir)
    return index_dir


def make_test_app(engine: Engine, index_dir: Path, **config: Any) -> Flask:
    """The application on ``engine``, without rate limit nor answer cache unless asked; the
    partner cards are checked against the directory on every request. The change log is
    read at the first request only (``CHANGE_LOG_POLL_S``): tests share index directories
    and roll their writes back, which a follower would otherwise chase; the tests of
    following ask for it (tests/web/test_directory_follow.py, tests/deployment/)."""
    from web.app import create_app

    settings = {
        "DATABASE_URL": engine.url.render_as_string(hide_password=False),
        "SEARCH_INDEX_DIR": str(index_dir),
        "SECRET_KEY": "tests",
        "TESTING": True,
        "RATE_LIMIT_PER_MINUTE": 0,
        "ERROR_REPORTS_PER_MINUTE": 0,
        "RESPONSE_CACHE_SIZE": 0,
        "PARTNER_CARD_CACHE_CHECK_S": 0,
        "EXPORTS_DIR": tempfile.mkdtemp(prefix="aiguillage-exports-"),
        "CHANGE_LOG_POLL_S": 86_400.0,
        **config,
    }
    return create_app(settings)


@pytest.fixture(scope="session")
def loaded_app(loaded_engine: Engine, search_index_dir: Path) -> Flask:
    """The application on the loaded database of the current backend (read-only use)."""
    return make_test_app(loaded_engine, search_index_dir)


@pytest.fixture(scope="session")
def live_url(loaded_app: Flask) -> Iterator[str]:
    """Base URL of the loaded application served over real HTTP on 127.0.0.1."""
    from tests.live_server import serve

    with serve(loaded_app) as url:
        yield url


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """With several test processes (``make test``: pytest-xdist, ``--dist loadgroup``), the
    browser tests all run in one of them: one live server and one Chromium for all."""
    browser_tests = Path(__file__).parent / "browser"
    for item in items:
        if browser_tests in item.path.parents:
            item.add_marker(pytest.mark.xdist_group("browser"))
