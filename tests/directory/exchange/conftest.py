"""Helpers of the exchange tests: a canonical picture of the whole directory."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from geoalchemy2.shape import to_shape
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from directory.models import Partner, ServedCommune

BOOKKEEPING = {"id", "created_at", "updated_at", "imported_at"}
"""Columns that describe this database's copy, not the partner: not compared."""


def _picture(session: Session) -> dict[tuple[str, str | None], dict[str, Any]]:
    """Every partner by (source, source id), with all its own fields and its children."""
    session.expire_all()
    served: dict[int, list[str]] = {}
    for row in session.execute(select(ServedCommune.partner_id, ServedCommune.insee_code)):
        served.setdefault(row.partner_id, []).append(row.insee_code)
    picture = {}
    query = select(Partner).options(
        selectinload(Partner.services),
        selectinload(Partner.service_areas),
        selectinload(Partner.closures),
    )
    for partner in session.scalars(query):
        fields = {
            column.key: getattr(partner, column.key)
            for column in Partner.__table__.columns
            if column.key not in BOOKKEEPING | {"location"}
        }
        point = to_shape(partner.location) if partner.location is not None else None
        fields["location"] = (point.x, point.y) if point is not None else None
        fields["services"] = sorted(
            (s.right_slug, s.help_level, s.description, s.publics, s.source)
            for s in partner.services
        )
        fields["service_areas"] = sorted((a.level, a.code) for a in partner.service_areas)
        fields["closures"] = sorted(
            (c.starts_on, c.ends_on, c.reason, c.replacement_hours or "") for c in partner.closures
        )
        fields["served_communes"] = sorted(served.get(partner.id, []))
        picture[(partner.source, partner.source_id)] = fields
    return picture


Picture = dict[tuple[str, str | None], dict[str, Any]]


@pytest.fixture
def directory_picture() -> Callable[[Session], Picture]:
    return _picture
