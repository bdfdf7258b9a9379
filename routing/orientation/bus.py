"""Coming visits of a bus des droits within reach of the person."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.hours import format_day, format_time
from directory.models import Service
from directory.rights_catalogue import RightContent
from geodata import spatial
from geodata.models import Commune
from geodata.travel_time import TravelTimeProvider
from routing.models import BusRoute, BusStop, BusVisit
from routing.orientation.model import BusVisitOption, Profile, ResolvedPlace
from routing.orientation.scorers import format_distance, format_duration
from routing.orientation.travel import trips

BUS_HORIZON = timedelta(weeks=6)
BUS_SEARCH_RADIUS_M = 30_000.0
BUS_MAX_TRAVEL_S = 40 * 60
"""A visit is "within reach" when the trip (by the person's modes) takes at most this."""
BUS_MAX_VISITS = 5
CANCELLED_STATUSES = frozenset({"cancelled"})


@dataclass(frozen=True)
class BusVisitRow:
    visit_id: int
    route_name: str
    route_partner_id: int | None
    stop_name: str
    street: str | None
    commune_name: str
    lon: float
    lat: float
    starts_at: datetime
    ends_at: datetime
    is_demo: bool


def list_bus_visit_rows(session: Session, place: ResolvedPlace, at: datetime) -> list[BusVisitRow]:
    """Visits not over yet, starting within the horizon, at stops near the place.

    The spatial index gives the stops in a box around the place; the trip time decides
    later whether each is within reach (see `bus_visit_options`).
    """
    lon, lat = spatial.lon_lat_of(BusStop.location)
    query = (
        select(
            BusVisit.id,
            BusRoute.name.label("route_name"),
            BusRoute.partner_id,
            BusRoute.is_demo,
            BusStop.name.label("stop_name"),
            BusStop.street,
            Commune.name.label("commune_name"),
            lon.label("lon"),
            lat.label("lat"),
            BusVisit.starts_at,
            BusVisit.ends_at,
        )
        .join(BusStop, BusStop.id == BusVisit.stop_id)
        .join(BusRoute, BusRoute.id == BusStop.route_id)
        .join(Commune, Commune.insee_code == BusStop.insee_code)
        .where(
            spatial.intersects_bbox(
                session,
                BusStop.location,
                *spatial.bbox_around(place.lon, place.lat, BUS_SEARCH_RADIUS_M),
            ),
            BusVisit.ends_at > at,
            BusVisit.starts_at < at + BUS_HORIZON,
            BusVisit.status.not_in(CANCELLED_STATUSES),
        )
        .order_by(BusVisit.starts_at, BusVisit.id)
    )
    return [
        BusVisitRow(
            visit_id=row.id,
            route_name=row.route_name,
            route_partner_id=row.partner_id,
            stop_name=row.stop_name,
            street=row.street,
            commune_name=row.commune_name,
            lon=float(row.lon),
            lat=float(row.lat),
            starts_at=row.starts_at,
            ends_at=row.ends_at,
            is_demo=bool(row.is_demo),
        )
        for row in session.connection().execute(query)
    ]


def bus_rights(session: Session, rows: Sequence[BusVisitRow]) -> dict[int, set[str]]:
    """Rights offered by the partner running each route (routes without partner: none)."""
    partner_ids = {row.route_partner_id for row in rows if row.route_partner_id is not None}
    rights: dict[int, set[str]] = {}
    if partner_ids:
        query = select(Service.partner_id, Service.right_slug).where(
            Service.partner_id.in_(partner_ids)
        )
        for partner_id, slug in session.connection().execute(query):
            rights.setdefault(partner_id, set()).add(slug)
    return rights


def handles_right(row: BusVisitRow, right: RightContent, offered: dict[int, set[str]]) -> bool:
    """The route's partner lists the right; without a partner, the catalogue's helpers decide."""
    if row.route_partner_id is not None and offered.get(row.route_partner_id):
        return right.slug in offered[row.route_partner_id]
    return "bus" in right.helpers


def bus_visit_options(
    rows: Sequence[BusVisitRow],
    place: ResolvedPlace,
    profile: Profile,
    provider: TravelTimeProvider,
    zone: ZoneInfo,
) -> list[BusVisitOption]:
    """Visits within reach by the person's modes, soonest first (pure)."""
    travels = trips(provider, place.lon_lat, [(row.lon, row.lat) for row in rows], profile)
    options = []
    for row, travel in zip(rows, travels, strict=True):
        if travel is None or travel.travel_time_s > BUS_MAX_TRAVEL_S:
            continue
        starts, ends = row.starts_at.astimezone(zone), row.ends_at.astimezone(zone)
        where = ", ".join(p for p in (row.stop_name, row.street, row.commune_name) if p)
        text = (
            f"{format_day(starts.date()).capitalize()}, "
            f"{format_time(starts.hour * 60 + starts.minute)} – "
            f"{format_time(ends.hour * 60 + ends.minute)} : {where} "
            f"(à {format_distance(travel.straight_distance_m)}, "
            f"≈ {format_duration(travel.travel_time_s)} {travel.mode_label})"
        )
        options.append(
            BusVisitOption(
                visit_id=row.visit_id,
                route_name=row.route_name,
                stop_name=row.stop_name,
                street=row.street,
                commune_name=row.commune_name,
                starts_at=starts,
                ends_at=ends,
                distance_m=travel.straight_distance_m,
                travel_time_s=travel.travel_time_s,
                travel_mode=travel.mode,
                text=text,
                is_demo=row.is_demo,
            )
        )
        if len(options) == BUS_MAX_VISITS:
            break
    return options
