"""GET /api/v1/bus/routes, /bus/visits, /bus/<route id>.ics, /bus/communes/<insee>.ics:
the bus des droits (routes, coming visits by commune or near a point, iCalendar feeds)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Response, current_app, url_for

from geodata.queries import get_commune
from routing.bus.calendar import render_calendar, render_ics
from routing.bus.routes import get_bus_route, list_bus_routes
from routing.bus.visits import BusVisitListing, list_bus_visits
from web.api import API_PREFIX, ApiBlueprint
from web.database import db_session
from web.http_cache import set_max_age
from web.schemas.base import NoQuerySchema
from web.schemas.bus import BusRouteListSchema, BusVisitListSchema, BusVisitsQuerySchema
from web.schemas.instants import now

DEFAULT_PERIOD = timedelta(weeks=6)
DEFAULT_RADIUS_M = 30_000.0
CALENDAR_MAX_AGE_S = 60
"""A coordinator's change (a cancelled visit) reaches calendars at their next fetch."""

blp = ApiBlueprint(
    "bus",
    __name__,
    url_prefix=API_PREFIX,
    description="Bus des droits : tournées, passages à venir, calendrier iCalendar.",
)


@blp.get("/bus/routes")
@blp.arguments(NoQuerySchema, location="query", as_kwargs=True)
@blp.response(200, BusRouteListSchema)
def bus_routes() -> dict[str, Any]:
    """Tournées du bus des droits"""
    items = [
        {
            "id": route.route_id,
            "name": route.name,
            "description": route.description,
            "partner_id": route.partner_id,
            "source": route.source,
            "is_demo": route.is_demo,
            "stop_count": route.stop_count,
            "next_visit_at": route.next_visit_at,
            "calendar_url": url_for("bus.bus_calendar", route_id=route.route_id),
        }
        for route in list_bus_routes(db_session(), now())
    ]
    return {"items": items, "total": len(items)}


def visit_document(visit: BusVisitListing) -> dict[str, Any]:
    document: dict[str, Any] = {
        "visit_id": visit.visit_id,
        "route_id": visit.route_id,
        "route_name": visit.route_name,
        "stop_name": visit.stop_name,
        "street": visit.street,
        "insee_code": visit.insee_code,
        "commune_name": visit.commune_name,
        "location": {"lon": visit.lon, "lat": visit.lat},
        "starts_at": visit.starts_at,
        "ends_at": visit.ends_at,
        "status": visit.status,
        "status_label": visit.status_label,
        "note": visit.note,
        "change_reason": visit.change_reason,
        "is_extra": visit.is_extra,
        "time_zone": visit.time_zone,
        "rights": [{"slug": r.slug, "name": r.name} for r in visit.rights],
        "partners": [
            {"id": p.partner_id, "name": p.name, "kind": p.kind, "is_demo": p.is_demo}
            for p in visit.partners
        ],
        "is_demo": visit.is_demo,
    }
    if visit.distance_m is not None:
        document["distance_m"] = round(visit.distance_m, 1)
    return document


@blp.get("/bus/visits")
@blp.arguments(BusVisitsQuerySchema, location="query")
@blp.response(200, BusVisitListSchema)
def bus_visits(args: dict[str, Any]) -> dict[str, Any]:
    """Passages du bus des droits

    Passages de la période (`from`, `to` ; défaut : les six prochaines semaines), près
    d'un point (`near`, `radius_m`), dans une commune (`insee_code`) ou d'une tournée.
    Les passages annulés restent listés avec leur statut.
    """
    start = args.get("from_") or now()
    near = args.get("near")
    visits = list_bus_visits(
        db_session(),
        after=start,
        before=args.get("to") or start + DEFAULT_PERIOD,
        near=near,
        radius_m=args.get("radius_m", DEFAULT_RADIUS_M) if near is not None else None,
        insee_code=args.get("insee_code"),
        route_id=args.get("route_id"),
    )
    return {"items": [visit_document(v) for v in visits], "total": len(visits)}


def _calendar_response(body: str, filename: str) -> Response:
    set_max_age(CALENDAR_MAX_AGE_S)
    response = current_app.response_class(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@blp.get("/bus/<int(max=2147483647):route_id>.ics")
@blp.arguments(NoQuerySchema, location="query", as_kwargs=True)
@blp.response(
    200, {"type": "string"}, content_type="text/calendar", description="Calendrier iCalendar"
)
@blp.alt_response(404, response="NOT_FOUND")
def bus_calendar(route_id: int) -> Response:
    """Calendrier d'une tournée (iCalendar)

    Les passages à venir de la tournée (les annulés en `STATUS:CANCELLED`), à ajouter à un
    agenda : heures dans le fuseau de l'arrêt (`VTIMEZONE`), un `UID` stable par passage.
    """
    session = db_session()
    route = get_bus_route(session, route_id)
    at = now()
    visits = list_bus_visits(session, after=at - timedelta(days=1), route_id=route_id)
    body = render_ics(route, visits, at)
    return _calendar_response(body, f"bus-des-droits-{route_id}.ics")


@blp.get("/bus/communes/<string(length=5):insee_code>.ics")
@blp.arguments(NoQuerySchema, location="query", as_kwargs=True)
@blp.response(
    200, {"type": "string"}, content_type="text/calendar", description="Calendrier iCalendar"
)
@blp.alt_response(404, response="NOT_FOUND")
def bus_commune_calendar(insee_code: str) -> Response:
    """Calendrier des passages dans une commune (iCalendar)

    Les passages à venir de toutes les tournées qui s'arrêtent dans la commune.
    """
    session = db_session()
    commune = get_commune(session, insee_code.upper())
    at = now()
    visits = list_bus_visits(session, after=at - timedelta(days=1), insee_code=commune.insee_code)
    body = render_calendar(f"Bus des droits — {commune.name}", visits, at)
    return _calendar_response(body, f"bus-des-droits-{commune.insee_code}.ics")
