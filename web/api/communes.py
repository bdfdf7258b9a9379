"""GET /api/v1/communes, /communes/<insee_code>, /geocode."""

from __future__ import annotations

from typing import Any

from geoalchemy2.shape import to_shape
from sqlalchemy.orm import Session

from geodata.geocoding.ban_api import BanApiGeocoder
from geodata.geocoding.results import GeocodingResult, Precision
from geodata.models import Commune, Departement, Epci
from geodata.queries import get_commune
from web.api import API_PREFIX, ApiBlueprint
from web.api.providers import geocoder
from web.database import db_session
from web.http_cache import LONG_MAX_AGE_S, set_max_age
from web.schemas.base import NoQuerySchema
from web.schemas.places import (
    CommuneListSchema,
    CommuneQuerySchema,
    CommuneSchema,
    GeocodeQuerySchema,
    GeocodeResponseSchema,
)

blp = ApiBlueprint(
    "lieux",
    __name__,
    url_prefix=API_PREFIX,
    description="Communes et géocodage d'adresses (hors ligne, ou API BAN si configurée).",
)

COMMUNE_PRECISIONS = (Precision.COMMUNE, Precision.POSTCODE)


def commune_document(session: Session, commune: Commune) -> dict[str, Any]:
    departement = session.get(Departement, commune.departement_code)
    epci = session.get(Epci, commune.epci_siren) if commune.epci_siren else None
    centre = to_shape(commune.centre) if commune.centre is not None else None
    return {
        "insee_code": commune.insee_code,
        "name": commune.name,
        "kind": commune.kind,
        "departement": {
            "code": commune.departement_code,
            "name": departement.name if departement is not None else "",
        },
        "epci": {"code": epci.siren, "name": epci.name} if epci is not None else None,
        "postal_codes": commune.postal_code_list,
        "population": commune.population,
        "centre": {"lon": centre.x, "lat": centre.y} if centre is not None else None,
        "zone": commune.zone,
    }


@blp.get("/communes/<string:insee_code>")
@blp.arguments(NoQuerySchema, location="query", as_kwargs=True)
@blp.response(200, CommuneSchema)
@blp.alt_response(404, response="NOT_FOUND")
def commune(insee_code: str) -> dict[str, Any]:
    """Une commune

    Nom, département, intercommunalité (EPCI), codes postaux, population, centre.
    """
    set_max_age(LONG_MAX_AGE_S)
    session = db_session()
    return commune_document(session, get_commune(session, insee_code))


@blp.get("/communes")
@blp.arguments(CommuneQuerySchema, location="query")
@blp.response(200, CommuneListSchema)
def communes(args: dict[str, Any]) -> dict[str, Any]:
    """Chercher une commune

    Par le début de son nom (ou d'un ancien nom) ou de son code postal, sans réseau.
    """
    set_max_age(LONG_MAX_AGE_S)
    session = db_session()
    engine = geocoder()
    offline = engine.fallback if isinstance(engine, BanApiGeocoder) else engine
    codes: list[str] = []
    for result in offline.autocomplete(session, args["q"], limit=args["limit"]):
        if result.precision in COMMUNE_PRECISIONS and result.insee_code not in codes:
            codes.append(result.insee_code)
    items = [commune_document(session, get_commune(session, code)) for code in codes]
    return {"items": items, "total": len(items)}


def result_document(result: GeocodingResult) -> dict[str, Any]:
    return {
        "label": result.label,
        "lon": result.lon,
        "lat": result.lat,
        "insee_code": result.insee_code,
        "city": result.city,
        "postcode": result.postcode,
        "precision": result.precision.value,
        "precision_note": result.precision_note,
        "score": result.score,
        "context": result.context,
        "source": result.source,
        "notes": list(result.notes),
    }


@blp.get("/geocode")
@blp.arguments(GeocodeQuerySchema, location="query")
@blp.response(200, GeocodeResponseSchema)
def geocode(args: dict[str, Any]) -> dict[str, Any]:
    """Géocoder une adresse

    Adresse, commune ou code postal → positions possibles, la meilleure d'abord, avec leur
    précision. `autocomplete=true` pour une saisie en cours.
    """
    set_max_age(LONG_MAX_AGE_S)
    session = db_session()
    engine = geocoder()
    if args["autocomplete"]:
        results = engine.autocomplete(session, args["q"], limit=args["limit"])
    else:
        results = engine.geocode(session, args["q"], limit=args["limit"])
    return {"query": args["q"], "items": [result_document(r) for r in results]}
