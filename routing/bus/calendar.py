"""The bus des droits calendar: routes, dated visits near a place, and iCalendar (RFC 5545).

Read side only. Times are aware datetimes (UTC in the database); the iCalendar file gives
them in UTC (``Z``) so that every calendar application shows them in its own time zone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from geodata import spatial
from geodata.models import Commune
from geodata.types import UtcDateTime
from routing.errors import RoutingError
from routing.models import BusRoute, BusStop, BusVisit

CANCELLED = "cancelled"
STATUS_LABELS = {
    "planned": "Prévu",
    "confirmed": "Confirmé",
    "cancelled": "Annulé",
}
ICS_PRODUCT_ID = "-//Aiguillage//Bus des droits//FR"
ICS_LINE_OCTETS = 75


class BusRouteNotFound(RoutingError):
    code = "bus_route_not_found"


@dataclass(frozen=True)
class BusRouteSummary:
    route_id: int
    name: str
    description: str | None
    partner_id: int | None
    source: str
    is_demo: bool
    stop_count: int
    next_visit_at: datetime | None


@dataclass(frozen=True)
class BusVisitListing:
    visit_id: int
    route_id: int
    route_name: str
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

    @property
    def is_cancelled(self) -> bool:
        return self.status == CANCELLED

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


def list_bus_routes(session: Session, at: datetime) -> list[BusRouteSummary]:
    """Every route with its number of stops and its next visit (not cancelled) after ``at``."""
    stops = (
        select(BusStop.route_id, func.count().label("stop_count"))
        .group_by(BusStop.route_id)
        .subquery()
    )
    upcoming = (
        select(
            BusStop.route_id,
            func.min(BusVisit.starts_at, type_=UtcDateTime()).label("next_visit_at"),
        )
        .join(BusVisit, BusVisit.stop_id == BusStop.id)
        .where(BusVisit.ends_at > at, BusVisit.status != CANCELLED)
        .group_by(BusStop.route_id)
        .subquery()
    )
    query = (
        select(BusRoute, stops.c.stop_count, upcoming.c.next_visit_at)
        .outerjoin(stops, stops.c.route_id == BusRoute.id)
        .outerjoin(upcoming, upcoming.c.route_id == BusRoute.id)
        .order_by(BusRoute.name, BusRoute.id)
    )
    summaries = []
    for route, stop_count, next_visit_at in session.execute(query):
        summaries.append(
            BusRouteSummary(
                route_id=route.id,
                name=route.name,
                description=route.description,
                partner_id=route.partner_id,
                source=route.source,
                is_demo=route.is_demo,
                stop_count=int(stop_count or 0),
                next_visit_at=next_visit_at,
            )
        )
    return summaries


def get_bus_route(session: Session, route_id: int) -> BusRoute:
    route = session.get(BusRoute, route_id)
    if route is None:
        raise BusRouteNotFound(f"Aucune tournée de bus n'a l'identifiant {route_id}.")
    return route


def list_bus_visits(
    session: Session,
    *,
    starts_from: datetime,
    ends_before: datetime | None = None,
    near: tuple[float, float] | None = None,
    radius_m: float | None = None,
    insee_code: str | None = None,
    route_id: int | None = None,
) -> list[BusVisitListing]:
    """Visits ending after ``starts_from`` (and starting before ``ends_before``), soonest
    first; with ``near`` and ``radius_m``, only stops within that geodesic distance."""
    lon, lat = spatial.lon_lat_of(BusStop.location)
    columns = [
        BusVisit.id,
        BusVisit.starts_at,
        BusVisit.ends_at,
        BusVisit.status,
        BusVisit.note,
        BusRoute.id.label("route_id"),
        BusRoute.name.label("route_name"),
        BusRoute.is_demo,
        BusStop.id.label("stop_id"),
        BusStop.name.label("stop_name"),
        BusStop.street,
        BusStop.insee_code,
        Commune.name.label("commune_name"),
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
        .where(BusVisit.ends_at > starts_from)
        .order_by(BusVisit.starts_at, BusVisit.id)
    )
    if ends_before is not None:
        query = query.where(BusVisit.starts_at < ends_before)
    if insee_code is not None:
        query = query.where(BusStop.insee_code == insee_code)
    if route_id is not None:
        query = query.where(BusRoute.id == route_id)
    if near is not None and radius_m is not None:
        query = query.where(spatial.within_radius_m(session, BusStop.location, *near, radius_m))
    return [
        BusVisitListing(
            visit_id=row.id,
            route_id=row.route_id,
            route_name=row.route_name,
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
            is_demo=row.is_demo,
            distance_m=float(row.distance_m) if near is not None else None,
        )
        for row in session.execute(query)
    ]


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> list[str]:
    """Lines of at most 75 octets, continuation lines starting with a space (RFC 5545 3.1)."""
    parts: list[str] = []
    current = ""
    limit = ICS_LINE_OCTETS
    for char in line:
        if len((current + char).encode("utf-8")) > limit:
            parts.append(current)
            current = " "
            limit = ICS_LINE_OCTETS
        current += char
    parts.append(current)
    return parts


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _event(visit: BusVisitListing, stamp: str, domain: str) -> list[str]:
    where = ", ".join(part for part in (visit.stop_name, visit.street, visit.commune_name) if part)
    description = f"Bus des droits, tournée « {visit.route_name} ». {visit.status_label}."
    if visit.note:
        description += f" {visit.note}"
    if visit.is_demo:
        description += " Passage fictif de démonstration."
    lines = [
        "BEGIN:VEVENT",
        f"UID:bus-visit-{visit.visit_id}@{domain}",
        f"DTSTAMP:{stamp}",
        f"DTSTART:{_utc(visit.starts_at)}",
        f"DTEND:{_utc(visit.ends_at)}",
        f"SUMMARY:{_escape(f'Bus des droits — {visit.stop_name}')}",
        f"LOCATION:{_escape(where)}",
        f"GEO:{visit.lat:.6f};{visit.lon:.6f}",
        f"DESCRIPTION:{_escape(description)}",
        f"STATUS:{'CANCELLED' if visit.is_cancelled else 'CONFIRMED'}",
        "END:VEVENT",
    ]
    return lines


def render_ics(
    route: BusRoute,
    visits: Iterable[BusVisitListing],
    generated_at: datetime,
    *,
    domain: str = "aiguillage",
) -> str:
    """The route's visits as an iCalendar file (CRLF line endings, folded lines)."""
    stamp = _utc(generated_at)
    name = f"Bus des droits — {route.name}"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{ICS_PRODUCT_ID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(name)}",
    ]
    for visit in visits:
        lines.extend(_event(visit, stamp, domain))
    lines.append("END:VCALENDAR")
    return "".join(part + "\r\n" for line in lines for part in _fold(line))
