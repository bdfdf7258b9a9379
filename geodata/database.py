"""Engine and session plumbing for the two supported spatial backends.

This is the only module (with :mod:`geodata.spatial`) that knows whether the
application runs on SQLite + SpatiaLite (embedded default) or on PostgreSQL +
PostGIS (production, several stateless app servers sharing one database).
"""

from __future__ import annotations

import enum
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


def make_engine(url: str, **options: Any) -> Engine:
    """Create an engine for ``url`` with the spatial extension ready on every connection."""
    url = normalise_database_url(url)
    if backend_of(url) is Backend.SPATIALITE:
        os.environ.setdefault("SPATIALITE_LIBRARY_PATH", SPATIALITE_MODULE)
        engine = create_engine(url, **options)
        event.listen(engine, "connect", _load_spatialite)
        _use_explicit_sqlite_transactions(engine)
    else:
        options.setdefault("pool_pre_ping", True)
        engine = create_engine(url, **options)
    return engine


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
