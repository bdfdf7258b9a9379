"""Idempotent synchronisation of a table with the rows of a file (create, update, unchanged)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from geoalchemy2 import WKBElement
from geoalchemy2.shape import from_shape, to_shape
from shapely.geometry.base import BaseGeometry
from sqlalchemy import insert, select, update
from sqlalchemy.orm import DeclarativeBase, Session

from geodata.import_report import ImportReport
from geodata.models import SRID

GEOMETRY_TOLERANCE_DEG = 1e-7


def _same(current: Any, wanted: Any) -> bool:
    if isinstance(wanted, BaseGeometry):
        if current is None:
            return False
        existing = to_shape(current) if isinstance(current, WKBElement) else current
        return bool(existing.equals_exact(wanted, GEOMETRY_TOLERANCE_DEG))
    return bool(current == wanted)


def _to_db(values: Mapping[str, Any]) -> dict[str, Any]:
    return {
        key: from_shape(value, srid=SRID) if isinstance(value, BaseGeometry) else value
        for key, value in values.items()
    }


def sync_table(
    session: Session,
    model: type[DeclarativeBase],
    key_column: str,
    wanted: Mapping[Any, Mapping[str, Any]],
    report: ImportReport,
    batch_size: int = 2000,
    *,
    scope_to_keys: bool = False,
) -> None:
    """Insert the missing rows and update those that differ, comparing only the given columns.

    ``wanted`` maps a primary key to the column values the file says; rows absent from the
    file are left alone (a partial file never deletes data). With ``scope_to_keys`` only the
    rows whose key is in ``wanted`` are read back (files synchronised batch by batch).
    """
    table = model.__table__
    columns = sorted({column for values in wanted.values() for column in values})
    key = table.c[key_column]
    existing: dict[Any, dict[str, Any]] = {}
    query = select(key, *(table.c[c] for c in columns if c != key_column))
    if scope_to_keys:
        query = query.where(key.in_(list(wanted)))
    for row in session.execute(query):
        mapping = row._asdict()
        existing[mapping[key_column]] = mapping
    to_insert: list[dict[str, Any]] = []
    to_update: list[dict[str, Any]] = []
    for pk, values in wanted.items():
        current = existing.get(pk)
        if current is None:
            to_insert.append(_to_db({key_column: pk, **values}))
        elif all(_same(current.get(column), value) for column, value in values.items()):
            report.unchanged += 1
        else:
            to_update.append(_to_db({key_column: pk, **values}))
    for start in range(0, len(to_insert), batch_size):
        session.execute(insert(model), to_insert[start : start + batch_size])
    for start in range(0, len(to_update), batch_size):
        session.execute(update(model), to_update[start : start + batch_size])
    report.created += len(to_insert)
    report.updated += len(to_update)
    session.flush()
