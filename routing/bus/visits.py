"""Dated visits of the bus des droits: one query for the API, the calendars and orientation.

Times are aware datetimes (UTC in the database). A visit belongs to a period when it
overlaps it: it is not over at ``after`` and starts before ``before``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from geodata import spatial
from geodata.models import Commune
from routing.bus.models import CANCELLED, VISIT_STATUS_LABELS, BusRoute, BusStop, BusVisit


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
        BusRoute.id.label("route_id"),
        BusRoute.name.label("route_name"),
        BusRoute.partner_id.label("route_partner_id"),
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
        )
        for row in session.connection().execute(query)
    ]
