"""Schemas of the exports (loose: the formats are documented by their own standards)."""

from __future__ import annotations

import marshmallow as ma


class DataInclusionDocumentSchema(ma.Schema):
    schema = ma.fields.String(required=True, metadata={"example": "data·inclusion"})
    schema_version = ma.fields.String(required=True, metadata={"example": "1"})
    producer = ma.fields.String(required=True)
    generated_at = ma.fields.String(required=True)
    structures = ma.fields.List(
        ma.fields.Dict(),
        required=True,
        metadata={"description": "Structures au schéma data·inclusion v1 (+ extension aiguillage)"},
    )
    services = ma.fields.List(
        ma.fields.Dict(),
        required=True,
        metadata={"description": "Services au schéma data·inclusion v1 (+ extension aiguillage)"},
    )


class LinkSchema(ma.Schema):
    rel = ma.fields.String(required=True, metadata={"example": "next"})
    href = ma.fields.String(required=True)
    type = ma.fields.String()


class FeatureCollectionSchema(ma.Schema):
    type = ma.fields.String(required=True, metadata={"example": "FeatureCollection"})
    features = ma.fields.List(ma.fields.Dict(), required=True)
    bbox = ma.fields.List(ma.fields.Float())
    numberReturned = ma.fields.Integer(  # noqa: N815 (the OGC API Features name)
        metadata={"description": "Nombre de lieux de cette page"}
    )
    numberMatched = ma.fields.Integer(  # noqa: N815
        metadata={"description": "Nombre total de lieux trouvés (toutes pages)"}
    )
    links = ma.fields.List(
        ma.fields.Nested(LinkSchema),
        metadata={"description": "`next` : la page suivante, tant qu'il reste des lieux"},
    )
