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


class FeatureCollectionSchema(ma.Schema):
    type = ma.fields.String(required=True, metadata={"example": "FeatureCollection"})
    features = ma.fields.List(ma.fields.Dict(), required=True)
    bbox = ma.fields.List(ma.fields.Float())
