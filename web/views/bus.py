"""/bus: the coming visits of the bus des droits, by commune, on a map, with iCal links."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from typing import Any

from flask import Blueprint, current_app, render_template, request, url_for
from flask_babel import gettext as _

from routing.bus.routes import list_bus_routes
from routing.bus.visits import BusVisitListing, list_bus_visits
from web.database import db_session
from web.maps import build_map, legend, settings_from
from web.schemas.instants import now
from web.security_headers import csp_nonce
from web.views import page_query

bus_pages = Blueprint("bus_pages", __name__)
HORIZON = timedelta(days=90)


def route_layers(visits: list[BusVisitListing]) -> list[dict[str, Any]]:
    """Each route's stops, and its line in the order of its coming visits."""
    routes: dict[int, dict[str, Any]] = {}
    for visit in visits:
        route = routes.setdefault(
            visit.route_id, {"name": visit.route_name, "stops": {}, "line": []}
        )
        if visit.stop_id not in route["stops"]:
            status = _("annulé") if visit.status == "cancelled" else ""
            route["stops"][visit.stop_id] = {
                "name": visit.stop_name,
                "lon": visit.lon,
                "lat": visit.lat,
                "next": f"{visit.starts_at:%d/%m/%Y %H:%M} {status}".strip(),
            }
            route["line"].append([visit.lon, visit.lat])
    return [{**r, "stops": list(r["stops"].values())} for r in routes.values()]


@bus_pages.get("/bus")
def bus() -> str:
    session = db_session()
    at = now()
    insee_code = page_query.insee_code(request.args)
    routes = list_bus_routes(session, at)
    visits = list_bus_visits(session, after=at, before=at + HORIZON, insee_code=insee_code)
    by_commune: dict[str, list[BusVisitListing]] = defaultdict(list)
    for visit in visits:
        by_commune[visit.commune_name].append(visit)
    page_map = None
    if visits:
        page_map = build_map(
            settings_from(current_app.config),
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
    )
