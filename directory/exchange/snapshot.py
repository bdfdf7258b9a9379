"""Read the whole directory for an export, in a stable order."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from geoalchemy2.shape import to_shape
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload

from directory.models import Partner, Right

EXPORT_BATCH = 1000


def _export_query(limit: int | None, after_id: int | None = None) -> Select[tuple[Partner]]:
    query = (
        select(Partner)
        .options(
            selectinload(Partner.services),
            selectinload(Partner.service_areas),
            selectinload(Partner.closures),
        )
        .order_by(Partner.id)
        .limit(limit)
    )
    return query if after_id is None else query.where(Partner.id > after_id)


def list_partners_for_export(session: Session, limit: int | None = None) -> list[Partner]:
    """Every partner (or the first ``limit``) with its services, areas and closures, by id."""
    return list(session.scalars(_export_query(limit)))


def iter_partners_for_export(session: Session, batch: int = EXPORT_BATCH) -> Iterator[Partner]:
    """Every partner as `list_partners_for_export` gives them, read ``batch`` at a time: a
    national export never holds the whole directory in memory (the session keeps no strong
    reference to unchanged rows)."""
    after_id: int | None = None
    while True:
        partners = list(session.scalars(_export_query(batch, after_id)))
        yield from partners
        if len(partners) < batch:
            return
        after_id = partners[-1].id


def directory_updated_at(session: Session) -> datetime | None:
    """The last change to the directory (None when it is empty): the date of an export."""
    return session.scalar(select(func.max(Partner.updated_at)))


def right_names(session: Session) -> dict[str, tuple[str, str]]:
    """slug → (name, short name)."""
    return {r.slug: (r.name, r.short_name) for r in session.scalars(select(Right))}


def lon_lat(partner: Partner) -> tuple[float, float] | None:
    if partner.location is None:
        return None
    point = to_shape(partner.location)
    return (float(point.x), float(point.y))


def stable_key(partner: Partner) -> str:
    """``source--source_id``: the same partner has the same key in every database."""
    return f"{partner.source}--{partner.source_id or f'id-{partner.id}'}"
