"""Engine and session plumbing for the two supported spatial backends.

This is the only module (with :mod:`geodata.spatial`) that knows whether the
application runs on SQLite + SpatiaLite (embedded default) or on PostgreSQL +
PostGIS (production, several stateless app servers sharing one database).
"""

from __future__ import annotations

import enum
import math
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from geodata.errors import SpatialBackendUnavailable

SPATIALITE_MODULE = "mod_spatialite"
DEFAULT_CONNECT_TIMEOUT_S = 10.0
MIN_CONNECT_TIMEOUT_S = 2  # libpq reads a smaller connect_timeout as 2 seconds


class Backend(enum.Enum):
    SPATIALITE = "spatialite"
    POSTGIS = "postgis"


def normalise_database_url(url: str) -> str:
    """Accept ``postgresql://`` and ``sqlite:///`` URLs and pick our drivers."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def backend_of(engine_or_url: Engine | str) -> Backend:
    url = engine_or_url.url if isinstance(engine_or_url, Engine) else make_url(engine_or_url)
    if url.get_backend_name() == "postgresql":
        return Backend.POSTGIS
    if url.get_backend_name() == "sqlite":
        return Backend.SPATIALITE
    raise SpatialBackendUnavailable(
        f"Base de données non prise en charge : {url.get_backend_name()}"
    )


def _load_spatialite(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    if not hasattr(dbapi_connection, "enable_load_extension"):
        raise SpatialBackendUnavailable(
            "Ce Python ne peut pas charger d'extension SQLite (SpatiaLite). "
            "Créez l'environnement avec /usr/bin/python3.11 (voir README)."
        )
    dbapi_connection.enable_load_extension(True)
    try:
        dbapi_connection.load_extension(SPATIALITE_MODULE)
    except sqlite3.OperationalError as exc:
        raise SpatialBackendUnavailable(
            "SpatiaLite est introuvable : installez le paquet libsqlite3-mod-spatialite."
        ) from exc
    finally:
        dbapi_connection.enable_load_extension(False)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute("PRAGMA busy_timeout = 10000")
    cursor.execute("SELECT CheckSpatialMetaData()")
    if cursor.fetchone()[0] == 0:
        cursor.execute("SELECT InitSpatialMetaData(1, 'WGS84')")
    cursor.close()


def _use_explicit_sqlite_transactions(engine: Engine) -> None:
    """pysqlite's own transaction handling breaks SAVEPOINT; let SQLAlchemy emit BEGIN."""

    @event.listens_for(engine, "connect")
    def _disable_pysqlite_begin(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _emit_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")


def make_engine(
    url: str,
    *,
    connect_timeout_s: float = DEFAULT_CONNECT_TIMEOUT_S,
    statement_timeout_s: float | None = None,
    **options: Any,
) -> Engine:
    """Create an engine for ``url`` with the spatial extension ready on every connection.

    On PostgreSQL, no request may hang on the database: a connection attempt gives up after
    ``connect_timeout_s`` (a server that drops packets would otherwise hold the caller for
    minutes), each statement after ``statement_timeout_s`` (None or 0: no limit; the web
    application sets one, long operator work lifts it with `lift_statement_timeout`), and a
    pooled connection is tested before use (``pool_pre_ping``) so that the application
    recovers by itself once a restarted server answers again. SQLite waits at most
    10 s for a lock (``busy_timeout``).
    """
    url = normalise_database_url(url)
    if backend_of(url) is Backend.SPATIALITE:
        os.environ.setdefault("SPATIALITE_LIBRARY_PATH", SPATIALITE_MODULE)
        engine = create_engine(url, **options)
        event.listen(engine, "connect", _load_spatialite)
        _use_explicit_sqlite_transactions(engine)
    else:
        options.setdefault("pool_pre_ping", True)
        connect_args = dict(options.pop("connect_args", {}))
        connect_args.setdefault(
            "connect_timeout", max(MIN_CONNECT_TIMEOUT_S, math.ceil(connect_timeout_s))
        )
        if statement_timeout_s:
            setting = f"-c statement_timeout={round(statement_timeout_s * 1000)}"
            connect_args["options"] = f"{connect_args.get('options', '')} {setting}".strip()
        engine = create_engine(url, connect_args=connect_args, **options)
    return engine


def lift_statement_timeout(session: Session) -> None:
    """No statement timeout until the end of ``session``'s current transaction (PostgreSQL;
    nothing to do on SQLite): for operator work that is long by nature (imports, index
    rebuilds), never for a visitor's request."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL statement_timeout = 0"))


def check_spatial_backend(engine: Engine) -> str:
    """Return the spatial library version, or raise a clear error."""
    query = (
        "SELECT spatialite_version()"
        if backend_of(engine) is Backend.SPATIALITE
        else "SELECT postgis_lib_version()"
    )
    try:
        with engine.connect() as connection:
            version = connection.execute(text(query)).scalar_one()
    except SpatialBackendUnavailable:
        raise
    except Exception as exc:
        raise SpatialBackendUnavailable(
            f"Extension spatiale indisponible ({backend_of(engine).value}) : {exc}"
        ) from exc
    return str(version)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
