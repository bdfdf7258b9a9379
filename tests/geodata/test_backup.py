"""A backup of the loaded database restored into an empty database loses nothing: same
row count in every table, same partners to the last field and position. A restoration
refuses a database that is not empty. Both backends (pg_dump/pg_restore; SQLite backup)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

import admin.models  # noqa: F401  (registers the back-office tables)
import routing.bus.models  # noqa: F401  (registers the bus tables)
from directory.models import Partner
from geodata.backup import backup_database, restore_database
from geodata.errors import BackupFailed
from geodata.models import Base
from tests.conftest import backend_name

if TYPE_CHECKING:
    from tests.conftest import TestDatabases


def row_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        counts = {
            name: int(connection.scalar(select(func.count()).select_from(table)) or 0)
            for name, table in Base.metadata.tables.items()
        }
        counts["alembic_version"] = len(
            connection.execute(text("SELECT version_num FROM alembic_version")).all()
        )
    return counts


def partners_checksum(engine: Engine) -> str:
    columns = [column for column in Partner.__table__.columns if column.name != "location"]
    query = select(*columns, func.ST_AsText(Partner.location)).order_by(Partner.id)
    digest = hashlib.sha256()
    with Session(engine) as session:
        for row in session.execute(query):
            digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def test_a_backup_restored_into_an_empty_database_loses_nothing(
    loaded_engine: Engine, test_databases: TestDatabases, tmp_path: Path
) -> None:
    backup = tmp_path / "aiguillage.backup"
    report = backup_database(loaded_engine, backup)
    assert report.size_bytes > 1_000_000
    restored = test_databases.create(backend_name(loaded_engine), "restored")

    restore_database(restored, backup)

    expected = row_counts(loaded_engine)
    assert expected["partner"] > 4_000 and expected["partner_change"] > 4_000
    assert row_counts(restored) == expected
    assert partners_checksum(restored) == partners_checksum(loaded_engine)
    with pytest.raises(BackupFailed, match="pas vide"):  # never on top of data
        restore_database(restored, backup)
