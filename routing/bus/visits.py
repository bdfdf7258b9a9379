"""Dated visits of the bus des droits: one query for the API, the calendars and orientation.

Times are aware datetimes (UTC in the database). A visit belongs to a period when it
overlaps it: it is not over at ``after`` and starts before ``before``. Each row carries
what is on board (rights handled, partners present), read with one more query.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.hours import timezone_for
from directory.models import Partner, Right
from geodata import spatial
from geodata.models import Commune
from routing.bus.models import (
    CANCELLED,
    VISIT_STATUS_LABELS,
    BusRoute,
    BusStop,
    BusVisit,
    bus_visit_partner,
    bus_visit_right,
)

ON_BOARD_CHUNK = 500


@dataclass(frozen=True)
class OnBoardRight:
    slug: str
    name: str


@dataclass(frozen=True)
class OnBoardPartner:
    partner_id: int
    name: str
    kind: str
    is_demo: bool


@dataclass(frozen=True)
class BusVisitListing:
    """A visit with its stop, commune and route, as every reader of visits needs it."""

    visit_id: int
    route_id: int
    route_name: str
    route_partner_id: int | None
    stop_id: int
    stop_name: str
    street: str | None
    insee_code: str
    commune_name: str
    lon: float
    lat: float
    starts_at: datetime
    ends_at: datetime
    status: str
    note: str | None
    is_demo: bool
    distance_m: float | None = None
    """Geodesic distance from the ``near`` point of the query (None without one)."""
    time_zone: str = "Europe/Paris"
    """IANA time zone of the stop (its commune's), for local times and calendars."""
    change_reason: str | None = None
    """Why the visit differs from its rule (cancelled, moved, public holiday): public."""
    occurrence_on: date | None = None
    """The date its rule gave (None for an extra visit)."""
    is_extra: bool = False
    rights: tuple[OnBoardRight, ...] = ()
    partners: tuple[OnBoardPartner, ...] = ()

    @property
    def is_cancelled(self) -> bool:
        return self.status == CANCELLED

    @property
    def status_label(self) -> str:
        return VISIT_STATUS_LABELS.get(self.status, self.status)


def list_bus_visits(
    session: Session,
    *,
    after: datetime,
    before: datetime | None = None,
    near: tuple[float, float] | None = None,
    radius_m: float | None = None,
    insee_code: str | None = None,
    route_id: int | None = None,
    include_cancelled: bool = True,
) -> list[BusVisitListing]:
    """Visits not over at ``after`` (and starting before ``before``), soonest first.

    With ``near`` (lon, lat), each visit carries its stop's distance to that point; with
    ``radius_m`` too, only stops within that geodesic distance are kept (index-assisted).
    Cancelled visits are listed with their status unless ``include_cancelled`` is False.
    """
    lon, lat = spatial.lon_lat_of(BusStop.location)
    columns = [
        BusVisit.id,
        BusVisit.starts_at,
        BusVisit.ends_at,
        BusVisit.status,
        BusVisit.note,
        BusVisit.change_reason,
        BusVisit.occurrence_on,
        BusVisit.schedule_id,
        BusRoute.id.label("route_id"),
        BusRoute.name.label("route_name"),
        BusRoute.partner_id.label("route_partner_id"),
        BusRoute.is_demo,
        BusStop.id.label("stop_id"),
        BusStop.name.label("stop_name"),
        BusStop.street,
        BusStop.insee_code,
        Commune.name.label("commune_name"),
        Commune.departement_code,
        lon.label("lon"),
        lat.label("lat"),
    ]
    if near is not None:
        columns.append(spatial.distance_m(session, BusStop.location, *near).label("distance_m"))
    query = (
        select(*columns)
        .join(BusStop, BusStop.id == BusVisit.stop_id)
        .join(BusRoute, BusRoute.id == BusStop.route_id)
        .join(Commune, Commune.insee_code == BusStop.insee_code)
        .where(BusVisit.ends_at > after)
        .order_by(BusVisit.starts_at, BusVisit.id)
    )
    if before is not None:
        query = query.where(BusVisit.starts_at < before)
    if not include_cancelled:
        query = query.where(BusVisit.status != CANCELLED)
    if insee_code is not None:
        query = query.where(BusStop.insee_code == insee_code)
    if route_id is not None:
        query = query.where(BusRoute.id == route_id)
    if near is not None and radius_m is not None:
        query = query.where(spatial.within_radius_m(session, BusStop.location, *near, radius_m))
    rows = session.connection().execute(query).all()
    rights, partners = _on_board(session, [row.id for row in rows])
    return [
        BusVisitListing(
            visit_id=row.id,
            route_id=row.route_id,
            route_name=row.route_name,
            route_partner_id=row.route_partner_id,
            stop_id=row.stop_id,
            stop_name=row.stop_name,
            street=row.street,
            insee_code=row.insee_code,
            commune_name=row.commune_name,
            lon=float(row.lon),
            lat=float(row.lat),
            starts_at=row.starts_at,
            ends_at=row.ends_at,
            status=row.status,
            note=row.note,
            is_demo=bool(row.is_demo),
            distance_m=float(row.distance_m) if near is not None else None,
            time_zone=_time_zone(row.departement_code, row.insee_code),
            change_reason=row.change_reason,
            occurrence_on=row.occurrence_on,
            is_extra=row.schedule_id is None and row.occurrence_on is None,
            rights=rights.get(row.id, ()),
            partners=partners.get(row.id, ()),
        )
        for row in rows
    ]


@lru_cache(maxsize=4096)
def _time_zone(departement_code: str, insee_code: str) -> str:
    return timezone_for(departement_code, insee_code).key


def _on_board(
    session: Session, visit_ids: Sequence[int]
) -> tuple[dict[int, tuple[OnBoardRight, ...]], dict[int, tuple[OnBoardPartner, ...]]]:
    """Rights and partners on board these visits (two queries per 500 visits)."""
    rights: dict[int, list[OnBoardRight]] = {}
    partners: dict[int, list[OnBoardPartner]] = {}
    connection = session.connection()
    for start in range(0, len(visit_ids), ON_BOARD_CHUNK):
        chunk = list(visit_ids[start : start + ON_BOARD_CHUNK])
        right_rows = connection.execute(
            select(bus_visit_right.c.visit_id, Right.slug, Right.short_name)
            .join(Right, Right.slug == bus_visit_right.c.right_slug)
            .where(bus_visit_right.c.visit_id.in_(chunk))
            .order_by(bus_visit_right.c.visit_id, Right.slug)
        )
        for visit_id, slug, name in right_rows:
            rights.setdefault(visit_id, []).append(OnBoardRight(slug, name))
        partner_rows = connection.execute(
            select(
                bus_visit_partner.c.visit_id,
                Partner.id,
                Partner.name,
                Partner.kind,
                Partner.is_demo,
            )
            .join(Partner, Partner.id == bus_visit_partner.c.partner_id)
            .where(bus_visit_partner.c.visit_id.in_(chunk))
            .order_by(bus_visit_partner.c.visit_id, Partner.name, Partner.id)
        )
        for visit_id, partner_id, name, kind, is_demo in partner_rows:
            partners.setdefault(visit_id, []).append(
                OnBoardPartner(partner_id, name, kind, bool(is_demo))
            )
    return (
        {key: tuple(value) for key, value in rights.items()},
        {key: tuple(value) for key, value in partners.items()},
    )
