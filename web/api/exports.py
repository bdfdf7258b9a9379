"""GET /api/v1/exports/…: the whole directory as data·inclusion v1 JSON, CSV and GeoJSON."""

from __future__ import annotations

from flask import Response, current_app

from directory.exchange.datainclusion_export import export_datainclusion
from directory.exchange.snapshot import list_partners_for_export
from directory.exchange.tabular import csv_text, geojson_collection
from web.api import API_PREFIX, ApiBlueprint
from web.database import db_session
from web.http_cache import set_max_age
from web.media_types import CSV, GEOJSON, JSON
from web.schemas.base import NoQuerySchema
from web.schemas.exports import DataInclusionDocumentSchema, FeatureCollectionSchema
from web.schemas.instants import now

EXPORT_MAX_AGE_S = 600

blp = ApiBlueprint(
    "exports",
    __name__,
    url_prefix=API_PREFIX,
    description="L'annuaire entier, avec ses sources et licences, pour d'autres outils.",
)


def _attachment(body: str, content_type: str, file_name: str) -> Response:
    set_max_age(EXPORT_MAX_AGE_S)
    response = current_app.response_class(body, content_type=content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response


@blp.get("/exports/datainclusion.json")
@blp.arguments(NoQuerySchema, location="query", as_kwargs=True)
@blp.response(200, DataInclusionDocumentSchema)
def datainclusion() -> Response:
    """Annuaire au schéma data·inclusion v1

    Structures et services au schéma data·inclusion v1 ; ce qui n'a pas d'équivalent
    (type de partenaire, zone d'intervention, fermetures…) est dans l'objet d'extension
    « aiguillage » de chaque enregistrement. Réimportable sans perte
    (`aiguillage exchange import-datainclusion`).
    """
    document = export_datainclusion(db_session(), now())
    body = current_app.json.dumps(document)
    return _attachment(body, JSON, "aiguillage-datainclusion.json")


@blp.get("/exports/partners.csv")
@blp.arguments(NoQuerySchema, location="query", as_kwargs=True)
@blp.response(
    200, {"type": "string"}, content_type="text/csv", description="Un partenaire par ligne"
)
def partners_csv() -> Response:
    """Annuaire en CSV"""
    body = csv_text(list_partners_for_export(db_session()))
    return _attachment(body, CSV, "aiguillage-partenaires.csv")


@blp.get("/exports/partners.geojson")
@blp.arguments(NoQuerySchema, location="query", as_kwargs=True)
@blp.response(200, FeatureCollectionSchema, content_type="application/geo+json")
def partners_geojson() -> Response:
    """Annuaire en GeoJSON"""
    collection = geojson_collection(list_partners_for_export(db_session()))
    body = current_app.json.dumps(collection)
    return _attachment(body, GEOJSON, "aiguillage-partenaires.geojson")
