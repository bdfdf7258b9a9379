"""Coming visits of a bus des droits within reach of the person."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.hours import format_day, format_time
from directory.models import Service
from directory.rights_catalogue import RightContent
from geodata.distance import distance_in_words
from geodata.travel_time import TravelTimeProvider
from routing.bus.visits import BusVisitListing, list_bus_visits
from routing.orientation.answer import BusVisitOption, ResolvedPlace
from routing.orientation.request import Profile
from routing.orientation.scorers import format_duration
from routing.orientation.travel import trips

BUS_HORIZON = timedelta(weeks=6)
BUS_SEARCH_RADIUS_M = 30_000.0
BUS_MAX_TRAVEL_S = 40 * 60
"""A visit is "within reach" when the trip (by the person's modes) takes at most this."""
BUS_MAX_VISITS = 5


def list_nearby_bus_visits(
    session: Session, place: ResolvedPlace, at: datetime
) -> list[BusVisitListing]:
    """Visits not over yet and not cancelled, starting within the horizon, at stops near
    the place; the trip time decides later whether each is within reach
    (see `bus_visit_options`)."""
    return list_bus_visits(
        session,
        after=at,
        before=at + BUS_HORIZON,
        near=place.lon_lat,
        radius_m=BUS_SEARCH_RADIUS_M,
        include_cancelled=False,
    )


def bus_rights(session: Session, rows: Sequence[BusVisitListing]) -> dict[int, set[str]]:
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


def handles_right(row: BusVisitListing, right: RightContent, offered: dict[int, set[str]]) -> bool:
    """The visit says which rights are handled on board; otherwise the route's partner lists
    the right; without a partner either, the catalogue's helpers decide."""
    if row.rights:
        return right.slug in {on_board.slug for on_board in row.rights}
    if row.route_partner_id is not None and offered.get(row.route_partner_id):
        return right.slug in offered[row.route_partner_id]
    return "bus" in right.helpers


def bus_visit_options(
    rows: Sequence[BusVisitListing],
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
            f"(à {distance_in_words(travel.straight_distance_m)}, "
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
