"""Backups of the whole database, and their restoration into an empty database.

* PostGIS: ``pg_dump --format=custom`` and ``pg_restore --single-transaction`` (Debian
  package ``postgresql-client-15``, the version of the server). The password never goes on
  a command line: it is passed in ``PGPASSWORD``.
* SpatiaLite: SQLite's online backup (the ``.backup`` of the ``sqlite3`` shell), consistent
  while the servers keep writing; restoring copies the pages back the same way.

A restoration refuses a database that already holds tables: restoring on top of data
would mix two states of the directory. Restore into a new database, then point
``AIGUILLAGE_DATABASE_URL`` at it and restart the servers: their search indexes no longer
find their position in its change log and are rebuilt (docs/DEPLOYMENT.md).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, inspect
from sqlalchemy.engine import URL

from geodata.database import Backend, backend_of
from geodata.errors import BackupFailed

PG_TOOLS_PACKAGE = "postgresql-client-15"


@dataclass(frozen=True)
class BackupReport:
    path: Path
    size_bytes: int
    backend: Backend


def backup_database(engine: Engine, path: Path) -> BackupReport:
    """Write a consistent copy of the database of ``engine`` to ``path``."""
    backend = backend_of(engine)
    path.parent.mkdir(parents=True, exist_ok=True)
    if backend is Backend.POSTGIS:
        _run_pg_tool(
            "pg_dump",
            engine.url,
            ["--format=custom", "--no-owner", "--no-privileges", f"--file={path}"],
        )
    else:
        with _sqlite_file(engine, must_exist=True) as source:
            target = sqlite3.connect(path)
            try:
                source.backup(target)
            finally:
                target.close()
    return BackupReport(path, path.stat().st_size, backend)


def restore_database(engine: Engine, path: Path) -> None:
    """Restore the backup at ``path`` into the (empty) database of ``engine``."""
    if not path.is_file():
        raise BackupFailed(f"Sauvegarde introuvable : {path}")
    tables = _user_tables(engine)
    if tables:
        raise BackupFailed(
            "La base de destination n'est pas vide (tables : "
            f"{', '.join(sorted(tables)[:5])}…) : restaurez dans une base neuve."
        )
    if backend_of(engine) is Backend.POSTGIS:
        _run_pg_tool(
            "pg_restore",
            engine.url,
            [
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                str(path),
            ],
        )
        return
    engine.dispose()
    source = sqlite3.connect(path)
    try:
        with _sqlite_file(engine, must_exist=False) as target:
            source.backup(target)
    finally:
        source.close()


def _user_tables(engine: Engine) -> set[str]:
    """The tables of an Aiguillage schema present (those of the spatial extension aside:
    an Aiguillage database always has ``alembic_version``)."""
    with engine.connect() as connection:
        names = set(inspect(connection).get_table_names())
    return names & {"alembic_version", "partner", "commune"}


@contextmanager
def _sqlite_file(engine: Engine, *, must_exist: bool) -> Iterator[sqlite3.Connection]:
    database = engine.url.database
    if not database or database == ":memory:":
        raise BackupFailed("Une base SQLite en mémoire ne se sauvegarde pas.")
    if must_exist and not Path(database).is_file():
        raise BackupFailed(f"Base SQLite introuvable : {database}")
    connection = sqlite3.connect(database)
    try:
        yield connection
    finally:
        connection.close()


def _run_pg_tool(tool: str, url: URL, arguments: list[str]) -> None:
    executable = shutil.which(tool)
    if executable is None:
        raise BackupFailed(f"{tool} est introuvable : installez le paquet {PG_TOOLS_PACKAGE}.")
    environment = dict(os.environ)
    if url.password:
        environment["PGPASSWORD"] = str(url.password)
    dbname = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    completed = subprocess.run(
        [executable, f"--dbname={dbname}", *arguments],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise BackupFailed(f"{tool} a échoué : {completed.stderr.strip()[-2000:]}")
