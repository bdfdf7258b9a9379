"""GET /api/v1/partners (search), /partners/<id>, /partners.geojson."""

from __future__ import annotations

from typing import Any, cast

from flask import Response, current_app, url_for
from flask import request as http_request

from directory.queries import get_partner, list_rights
from directory.search import (
    SearchFilters,
    SearchRequest,
    search_partners,
    search_partners_in_bbox,
)
from directory.search.request import MAX_PER_PAGE
from geodata.providers import preferred_departements
from web.api import API_PREFIX, ApiBlueprint
from web.api.providers import search_index
from web.database import db_session
from web.media_types import GEOJSON
from web.presentation.partners import (
    current_confirmation_policy,
    partner_detail_document,
    partner_documents,
)
from web.schemas.exports import FeatureCollectionSchema
from web.schemas.instants import now
from web.schemas.partners import (
    PartnerDetailQuerySchema,
    PartnerDetailSchema,
    PartnerGeoJsonQuerySchema,
    PartnerListQuerySchema,
    PartnerListSchema,
)

blp = ApiBlueprint(
    "partenaires",
    __name__,
    url_prefix=API_PREFIX,
    description="Lieux qui aident à obtenir ses droits : recherche, fiche, carte (GeoJSON).",
)


@blp.get("/partners/<int(max=2147483647):partner_id>")
@blp.arguments(PartnerDetailQuerySchema, location="query", as_kwargs=True)
@blp.response(200, PartnerDetailSchema)
@blp.alt_response(404, response="NOT_FOUND")
def partner(partner_id: int, open_at: Any = None) -> dict[str, Any]:
    """Fiche d'un partenaire

    Coordonnées, horaires (ouvert maintenant, prochaine ouverture), droits traités avec le
    niveau d'aide, zone d'intervention, fermetures à venir, source et date de vérification.
    """
    session = db_session()
    found = get_partner(session, partner_id)
    names = {right.slug: right.name for right in list_rights(session)}
    return partner_detail_document(found, open_at or now(), names)


def _search_request(args: dict[str, Any], page: int, per_page: int) -> SearchRequest:
    filters = SearchFilters(
        kinds=(args["kind"],) if "kind" in args else (),
        right_slugs=(args["right"],) if "right" in args else (),
        help_levels=(args["help_level"],) if "help_level" in args else (),
        insee_codes=(args["insee_code"],) if "insee_code" in args else (),
        epci_sirens=(args["epci"],) if "epci" in args else (),
        departement_codes=(args["departement"],) if "departement" in args else (),
        near=args.get("near"),
        radius_m=args.get("radius_m"),
        open_at=args.get("open_at"),
        accessible_only=bool(args.get("accessible")),
        verified_since=(
            None
            if args.get("include_unconfirmed")
            else current_confirmation_policy().oldest_current_date(now().date())
        ),
    )
    return SearchRequest(
        text=args.get("q", ""),
        filters=filters,
        page=page,
        per_page=per_page,
        preferred_departements=preferred_departements(current_app.config),
    )


@blp.get("/partners")
@blp.arguments(PartnerListQuerySchema(), location="query")  # one instance: built once
@blp.response(200, PartnerListSchema)
def partners(args: dict[str, Any]) -> Response:
    """Rechercher des partenaires

    Texte libre et filtres (droit, type, niveau d'aide, commune, EPCI, département, rayon
    autour d'un point ou de la commune nommée dans `q`, ouvert à un instant,
    accessibilité). Avec un point de départ (`near`, ou une commune reconnue dans `q`), les
    résultats portent `distance_m` et sont classés par pertinence et proximité.
    """
    session = db_session()
    request = _search_request(args, args["page"], args["per_page"])
    found = search_partners(session, search_index(), request)
    at = args.get("open_at") or now()
    page = {
        "items": partner_documents(session, found.hits, at),
        "total": found.total,
        "total_is_exact": found.total_is_exact,
        "page": found.page,
        "per_page": found.per_page,
        "place": (
            {"label": found.place_label, "insee_code": found.place_insee_code}
            if found.place_label
            else None
        ),
    }
    # Written without a marshmallow dump (the busiest endpoint: the dump of twenty partners
    # cost more than the search once cached): the documents are already in the schema's
    # shape, and tests check that dumping them with `PartnerListSchema` changes nothing.
    return cast(Response, current_app.json.response(page))  # typed as werkzeug's base class


@blp.get("/partners.geojson")
@blp.arguments(PartnerGeoJsonQuerySchema(), location="query")
@blp.response(200, FeatureCollectionSchema, content_type="application/geo+json")
def partners_geojson(args: dict[str, Any]) -> Response:
    """Partenaires en GeoJSON (carte)

    Mêmes filtres que la recherche, plus `bbox` (ouest,sud,est,nord) ; au plus `limit`
    lieux. Les propriétés de chaque point sont celles d'un partenaire de la recherche.
    """
    session = db_session()
    bbox = args.get("bbox")
    with_distance = "near" in args
    request = _search_request(args, 1, MAX_PER_PAGE)
    limit, page = args["limit"], args["page"]
    hits = search_partners_in_bbox(session, search_index(), request, bbox, page * limit + 1)
    matched, has_next = len(hits), len(hits) > page * limit
    hits = hits[(page - 1) * limit : page * limit]
    features = []
    for document in partner_documents(session, hits, args.get("open_at") or now()):
        location = document.pop("location")
        if location is None:  # located in the index, no longer in the directory
            continue
        if not with_distance:
            document.pop("distance_m", None)
        features.append(
            {
                "type": "Feature",
                "id": document["id"],
                "geometry": {"type": "Point", "coordinates": [location["lon"], location["lat"]]},
                "properties": document,
            }
        )
    collection: dict[str, Any] = {
        "type": "FeatureCollection",
        "features": features,
        "numberReturned": len(features),
        "links": [],
    }
    if has_next:
        following = {**http_request.args.to_dict(flat=False), "page": page + 1}
        collection["links"].append(
            {"rel": "next", "href": url_for(".partners_geojson", **following), "type": GEOJSON}
        )
    else:  # the last page: every match was read
        collection["numberMatched"] = matched
    if bbox is not None:
        collection["bbox"] = list(bbox)
    return current_app.response_class(current_app.json.dumps(collection), content_type=GEOJSON)
