"""The bus des droits routes: one route by id, or every route with its next visit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from geodata.types import UtcDateTime
from routing.bus.models import CANCELLED, BusRoute, BusStop, BusVisit
from routing.errors import BusRouteNotFound


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
