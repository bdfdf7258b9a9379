"""/carte: the whole directory on a map (markers of the visible area, clustered), with an
equivalent list; /carte/contours.geojson: the outlines of the territory served."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from flask import Blueprint, Response, current_app, render_template, request, url_for
from flask_babel import gettext as _
from shapely.geometry import mapping

from directory.search import SearchFilters, SearchRequest, search_partners
from directory.search.request import MAX_PAGE
from directory.vocabulary import PARTNER_KIND_LABELS, PARTNER_KINDS
from geodata.queries import list_epci_outlines
from routing.bus.visits import list_bus_visits
from web.api.providers import search_index
from web.database import db_session
from web.http_cache import LONG_MAX_AGE_S, set_max_age
from web.maps import build_map, legend, settings_from
from web.media_types import GEOJSON
from web.presentation import partner_documents
from web.presentation.partners import current_confirmation_policy
from web.schemas.instants import now
from web.security_headers import csp_nonce
from web.views import page_query
from web.views.bus import HORIZON as BUS_HORIZON
from web.views.bus import route_layers

maps = Blueprint("maps", __name__)
LIST_PER_PAGE = 50
GEOJSON_LIMIT = 200  # a page of markers: the first ones show fast, the next pages follow


def _territory_sirens() -> tuple[str, ...]:
    value = str(current_app.config["MAP_TERRITORY_EPCIS"])
    return tuple(part.strip() for part in value.split(",") if part.strip())


@lru_cache(maxsize=8)
def _outlines(database_url: str, sirens: tuple[str, ...]) -> dict[str, Any]:
    """The outlines as GeoJSON (they change only with a new import of the divisions)."""
    outlines = list_epci_outlines(db_session(), sirens)
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": o.siren,
                "properties": {"siren": o.siren, "name": o.name},
                "geometry": mapping(o.outline),
            }
            for o in outlines
        ],
    }


def _bounds(collection: dict[str, Any]) -> tuple[float, float, float, float] | None:
    from shapely.geometry import shape

    shapes = [shape(f["geometry"]) for f in collection["features"]]
    if not shapes:
        return None
    west = min(s.bounds[0] for s in shapes)
    south = min(s.bounds[1] for s in shapes)
    east = max(s.bounds[2] for s in shapes)
    north = max(s.bounds[3] for s in shapes)
    return west, south, east, north


@maps.get("/carte/contours.geojson")
def outlines() -> Response:
    collection = _outlines(str(current_app.config["DATABASE_URL"]), _territory_sirens())
    set_max_age(LONG_MAX_AGE_S)
    return current_app.response_class(current_app.json.dumps(collection), content_type=GEOJSON)


@maps.get("/carte")
def full_map() -> str:
    session = db_session()
    at = now()
    kind = page_query.choice(request.args, "kind", PARTNER_KINDS)
    include_unconfirmed = page_query.flag(request.args, "include_unconfirmed")
    page = page_query.page_number(request.args, MAX_PAGE)
    found = search_partners(
        session,
        search_index(),
        SearchRequest(
            filters=SearchFilters(
                kinds=(kind,) if kind else (),
                verified_since=(
                    None
                    if include_unconfirmed
                    else current_confirmation_policy().oldest_current_date(at.date())
                ),
            ),
            page=page,
            per_page=LIST_PER_PAGE,
        ),
    )
    hidden = 0
    if not include_unconfirmed:  # say how many places the default leaves out, and offer them
        everything = SearchRequest(filters=SearchFilters(kinds=(kind,) if kind else ()))
        hidden = search_partners(session, search_index(), everything).total - found.total
    hidden = 0
    if not include_unconfirmed:  # say how many places the default leaves out, and offer them
        everything = SearchRequest(filters=SearchFilters(kinds=(kind,) if kind else ()))
        hidden = search_partners(session, search_index(), everything).total - found.total
    collection = _outlines(str(current_app.config["DATABASE_URL"]), _territory_sirens())
    filters: dict[str, Any] = {
        "limit": GEOJSON_LIMIT,
        **({"kind": kind} if kind else {}),
        **({"include_unconfirmed": 1} if include_unconfirmed else {}),
    }
    geojson_url = url_for("partenaires.partners_geojson", **filters)
    page_map = build_map(
        settings_from(current_app.config),
        bounds=_bounds(collection),
        data={
            "legend": legend(),
            "cluster": True,
            "keep_view": True,
            "geojson_url": geojson_url,
            "contours_url": url_for("maps.outlines"),
            "partner_url": url_for("partner_pages.partner", partner_id=0)[:-1],
            "bus_routes": route_layers(
                list_bus_visits(session, after=at, before=at + BUS_HORIZON, include_cancelled=False)
            ),
        },
        nonce=csp_nonce(),
        css_class="map map-full",
        label=_("Carte de tous les lieux de l'annuaire"),
    )
    return render_template(
        "pages/map.html",
        page_map=page_map,
        legend=legend(),
        partners=partner_documents(session, found.hits, at),
        found=found,
        kind=kind,
        include_unconfirmed=include_unconfirmed,
        hidden=hidden,
        max_age_months=current_confirmation_policy().max_age_months,
        kinds=sorted(PARTNER_KIND_LABELS.items(), key=lambda item: item[1]),
        last_page=min(MAX_PAGE, max(1, -(-found.total // LIST_PER_PAGE))),
    )
