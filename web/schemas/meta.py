"""Schemas of the service endpoints (health: complete, live, ready)."""

from __future__ import annotations

import marshmallow as ma


class SearchIndexStatusSchema(ma.Schema):
    status = ma.fields.String(
        required=True,
        metadata={
            "description": "ok, absent (jamais construit), en-retard, ou a-reconstruire "
            "(sans position dans le journal des changements de cette base)"
        },
    )
    documents = ma.fields.Integer(required=True, metadata={"description": "Partenaires indexés"})
    last_built_at = ma.fields.AwareDateTime(allow_none=True, required=True)
    sequence = ma.fields.Integer(
        allow_none=True,
        metadata={"description": "Dernier changement du journal que l'index reflète"},
    )
    database_sequence = ma.fields.Integer(
        metadata={"description": "Dernier changement du journal de la base"}
    )
    lag_s = ma.fields.Float(
        allow_none=True,
        metadata={"description": "Âge, en secondes, du plus ancien changement non indexé"},
    )


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


class LiveSchema(ma.Schema):
    status = ma.fields.String(required=True, metadata={"description": "ok", "example": "ok"})


class ReadySchema(ma.Schema):
    status = ma.fields.String(
        required=True, metadata={"description": "ok ou indisponible", "example": "ok"}
    )
    database = ma.fields.String(required=True, metadata={"description": "ok ou indisponible"})
    detail = ma.fields.String(metadata={"description": "Pourquoi le serveur n'est pas prêt"})
    search_index = ma.fields.Nested(SearchIndexStatusSchema, allow_none=True)
