"""Read the partners of a result page in three Core queries (no ORM objects): the hot path.

A page of 20 France services has ~220 services; building ORM objects for them cost more
than the search itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.hours import Closure
from directory.models import Closure as ClosureRow
from directory.models import Partner, Service
from geodata import spatial


@dataclass(frozen=True)
class ServiceCard:
    right_slug: str
    help_level: str


@dataclass(frozen=True)
class PartnerCard:
    """What a partner document of the API shows."""

    id: int
    name: str
    kind: str
    street: str | None
    address_complement: str | None
    postcode: str | None
    city: str | None
    insee_code: str | None
    lon: float | None
    lat: float | None
    is_location_doubtful: bool
    phone: str | None
    email: str | None
    website: str | None
    opening_hours: str | None
    accessibility: str
    appointment: str
    verified_at: date | None
    source: str
    source_licence: str | None
    source_date: date | None
    is_demo: bool
    updated_at: datetime | None = None
    services: tuple[ServiceCard, ...] = ()
    closures: tuple[Closure, ...] = field(default=())


CARD_COLUMNS = (
    "id",
    "name",
    "kind",
    "street",
    "address_complement",
    "postcode",
    "city",
    "insee_code",
    "is_location_doubtful",
    "phone",
    "email",
    "website",
    "opening_hours",
    "accessibility",
    "appointment",
    "verified_at",
    "source",
    "source_licence",
    "source_date",
    "is_demo",
    "updated_at",
)


def card_of(partner: Partner) -> PartnerCard:
    """The card of an ORM partner (its services and closures must be loaded)."""
    lon = lat = None
    if partner.location is not None:
        from geoalchemy2.shape import to_shape

        point = to_shape(partner.location)
        lon, lat = float(point.x), float(point.y)
    return PartnerCard(
        **{name: getattr(partner, name) for name in CARD_COLUMNS},
        lon=lon,
        lat=lat,
        services=tuple(ServiceCard(s.right_slug, s.help_level) for s in partner.services),
        closures=tuple(
            Closure(c.starts_on, c.ends_on, c.reason, c.replacement_hours) for c in partner.closures
        ),
    )


def load_partner_cards(session: Session, ids: Sequence[int]) -> dict[int, PartnerCard]:
    if not ids:
        return {}
    services: dict[int, list[ServiceCard]] = {}
    query = (
        select(Service.partner_id, Service.right_slug, Service.help_level)
        .where(Service.partner_id.in_(ids))
        .order_by(Service.partner_id, Service.right_slug)
    )
    for partner_id, slug, level in session.execute(query):
        services.setdefault(partner_id, []).append(ServiceCard(slug, level))
    closures: dict[int, list[Closure]] = {}
    query_closures = select(
        ClosureRow.partner_id,
        ClosureRow.starts_on,
        ClosureRow.ends_on,
        ClosureRow.reason,
        ClosureRow.replacement_hours,
    ).where(ClosureRow.partner_id.in_(ids))
    for partner_id, starts_on, ends_on, reason, replacement in session.execute(query_closures):
        closures.setdefault(partner_id, []).append(Closure(starts_on, ends_on, reason, replacement))
    lon, lat = spatial.lon_lat_of(Partner.location)
    columns = [getattr(Partner, name) for name in CARD_COLUMNS]
    cards = {}
    for row in session.execute(select(*columns, lon, lat).where(Partner.id.in_(ids))):
        values = dict(zip((*CARD_COLUMNS, "lon", "lat"), row, strict=True))
        cards[row.id] = PartnerCard(
            **values,
            services=tuple(services.get(row.id, ())),
            closures=tuple(sorted(closures.get(row.id, ()), key=lambda c: c.starts_on)),
        )
    return cards
