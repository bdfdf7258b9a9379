"""Schemas of the service endpoints (health)."""

from __future__ import annotations

import marshmallow as ma


class SearchIndexStatusSchema(ma.Schema):
    status = ma.fields.String(
        required=True, metadata={"description": "ok, absent (jamais construit) ou en-retard"}
    )
    documents = ma.fields.Integer(required=True, metadata={"description": "Partenaires indexés"})
    last_built_at = ma.fields.AwareDateTime(allow_none=True, required=True)


class HealthSchema(ma.Schema):
    status = ma.fields.String(
        required=True, metadata={"description": "ok ou degraded", "example": "ok"}
    )
    backend = ma.fields.String(
        required=True, metadata={"description": "spatialite ou postgis", "example": "postgis"}
    )
    database = ma.fields.String(required=True, metadata={"description": "ok ou indisponible"})
    communes = ma.fields.Integer(metadata={"description": "Communes en base"})
    partners = ma.fields.Integer(metadata={"description": "Partenaires en base"})
    detail = ma.fields.String(metadata={"description": "Cause d'une indisponibilité"})
    search_index = ma.fields.Nested(SearchIndexStatusSchema, allow_none=True)
