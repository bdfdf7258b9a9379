"""/bus: the coming visits of the bus des droits, by commune (local times, what changed and
why, what is on board), on a map (stops and route lines), with iCal feeds per route and
per commune."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, current_app, render_template, request, url_for
from flask_babel import gettext as _

from directory.hours import format_day, format_time
from routing.bus.routes import list_bus_routes
from routing.bus.visits import BusVisitListing, list_bus_visits
from web.database import db_session
from web.maps import build_map, legend, settings_from
from web.schemas.instants import now
from web.security_headers import csp_nonce
from web.views import page_query

bus_pages = Blueprint("bus_pages", __name__)
HORIZON = timedelta(days=90)
MAP_MARGIN_DEG = 0.02


def route_layers(visits: list[BusVisitListing]) -> list[dict[str, Any]]:
    """Each route's stops, and its line in the order of its coming visits (cancelled ones
    are shown as stops but do not draw the line)."""
    routes: dict[int, dict[str, Any]] = {}
    for visit in visits:
        route = routes.setdefault(
            visit.route_id, {"name": visit.route_name, "stops": {}, "line": []}
        )
        if visit.stop_id not in route["stops"]:
            starts = visit.starts_at.astimezone(ZoneInfo(visit.time_zone))
            status = _("annulé") if visit.is_cancelled else ""
            route["stops"][visit.stop_id] = {
                "name": visit.stop_name,
                "lon": visit.lon,
                "lat": visit.lat,
                "next": f"{starts:%d/%m/%Y %H:%M} {status}".strip(),
            }
        if not visit.is_cancelled and route["line"][-1:] != [[visit.lon, visit.lat]]:
            route["line"].append([visit.lon, visit.lat])
    return [{**r, "stops": list(r["stops"].values())} for r in routes.values()]


def _bounds(visits: list[BusVisitListing]) -> tuple[float, float, float, float]:
    lons, lats = [v.lon for v in visits], [v.lat for v in visits]
    return (
        min(lons) - MAP_MARGIN_DEG,
        min(lats) - MAP_MARGIN_DEG,
        max(lons) + MAP_MARGIN_DEG,
        max(lats) + MAP_MARGIN_DEG,
    )


def visit_row(visit: BusVisitListing) -> dict[str, Any]:
    """A visit as the page shows it: local day and times in words, changes, on board."""
    zone = ZoneInfo(visit.time_zone)
    starts, ends = visit.starts_at.astimezone(zone), visit.ends_at.astimezone(zone)
    return {
        "day": f"{format_day(starts.date())} {starts.year}",
        "start": format_time(starts.hour * 60 + starts.minute),
        "end": format_time(ends.hour * 60 + ends.minute),
        "iso_start": starts.isoformat(),
        "stop_name": visit.stop_name,
        "street": visit.street,
        "route_name": visit.route_name,
        "note": visit.note,
        "change_reason": visit.change_reason,
        "is_cancelled": visit.is_cancelled,
        "is_extra": visit.is_extra,
        "is_demo": visit.is_demo,
        "rights": [right.name for right in visit.rights],
        "partners": [partner.name for partner in visit.partners],
    }


@bus_pages.get("/bus")
def bus() -> str:
    session = db_session()
    at = now()
    insee_code = page_query.insee_code(request.args)
    routes = list_bus_routes(session, at)
    visits = list_bus_visits(session, after=at, before=at + HORIZON, insee_code=insee_code)
    by_commune: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for visit in visits:
        by_commune[(visit.commune_name, visit.insee_code)].append(visit_row(visit))
    page_map = None
    if visits:
        page_map = build_map(
            settings_from(current_app.config),
            bounds=_bounds(visits),
            data={"legend": legend(), "bus_routes": route_layers(visits), "points": []},
            nonce=csp_nonce(),
            label=_("Carte des arrêts du bus des droits"),
        )
    return render_template(
        "pages/bus.html",
        routes=routes,
        by_commune=sorted(by_commune.items()),
        insee_code=insee_code,
        page_map=page_map,
        calendar_url=lambda route_id: url_for("bus.bus_calendar", route_id=route_id),
        commune_calendar_url=lambda code: url_for("bus.bus_commune_calendar", insee_code=code),
    )
