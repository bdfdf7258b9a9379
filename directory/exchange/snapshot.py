"""Read the whole directory for an export, in a stable order."""

from __future__ import annotations

from geoalchemy2.shape import to_shape
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from directory.models import Partner, Right


def list_partners_for_export(session: Session, limit: int | None = None) -> list[Partner]:
    """Every partner (or the first ``limit``) with its services, areas and closures, by id."""
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
    return list(session.scalars(query))


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
