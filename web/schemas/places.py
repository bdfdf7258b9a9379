"""Schemas of communes and geocoding."""

from __future__ import annotations

import marshmallow as ma

from web.schemas.base import WITHOUT_NUL, QuerySchema
from web.schemas.geo import PointSchema
from web.schemas.partners import between

MAX_SUGGESTIONS = 10


def required_text(max_length: int) -> ma.fields.String:
    return ma.fields.String(
        required=True,
        validate=ma.validate.Length(
            min=1, max=max_length, error=f"Entre 1 et {max_length} caractères."
        ),
        metadata={"example": "12 rue des Capucins 62000 Arras", "pattern": WITHOUT_NUL},
    )


class GeocodeQuerySchema(QuerySchema):
    q = required_text(200)
    autocomplete = ma.fields.Boolean(
        load_default=False,
        metadata={"description": "true : suggestions pour une saisie en cours"},
    )
    limit = ma.fields.Integer(
        load_default=5, validate=between(1, MAX_SUGGESTIONS), metadata={"description": "1 à 10"}
    )


class GeocodingResultSchema(ma.Schema):
    label = ma.fields.String(required=True)
    lon = ma.fields.Float(required=True)
    lat = ma.fields.Float(required=True)
    insee_code = ma.fields.String(required=True)
    city = ma.fields.String(required=True)
    postcode = ma.fields.String(allow_none=True, required=True)
    precision = ma.fields.String(
        required=True, metadata={"description": "housenumber, street, commune ou postcode"}
    )
    precision_note = ma.fields.String(required=True)
    score = ma.fields.Float(required=True, metadata={"description": "Entre 0 et 1"})
    context = ma.fields.String(required=True)
    source = ma.fields.String(required=True, metadata={"description": "offline ou ban-api"})
    notes = ma.fields.List(ma.fields.String(), required=True)


class GeocodeResponseSchema(ma.Schema):
    query = ma.fields.String(required=True)
    items = ma.fields.List(ma.fields.Nested(GeocodingResultSchema), required=True)


class CommuneQuerySchema(QuerySchema):
    q = ma.fields.String(
        required=True,
        validate=ma.validate.Length(min=1, max=100, error="Entre 1 et 100 caractères."),
        metadata={
            "description": "Début du nom ou du code postal",
            "example": "Arr",
            "pattern": WITHOUT_NUL,
        },
    )
    limit = ma.fields.Integer(load_default=10, validate=between(1, MAX_SUGGESTIONS))


class NamedCodeSchema(ma.Schema):
    code = ma.fields.String(required=True)
    name = ma.fields.String(required=True)


class CommuneSchema(ma.Schema):
    insee_code = ma.fields.String(required=True, metadata={"example": "62041"})
    name = ma.fields.String(required=True, metadata={"example": "Arras"})
    kind = ma.fields.String(required=True)
    departement = ma.fields.Nested(NamedCodeSchema, required=True)
    epci = ma.fields.Nested(NamedCodeSchema, allow_none=True, required=True)
    postal_codes = ma.fields.List(ma.fields.String(), required=True)
    population = ma.fields.Integer(allow_none=True, required=True)
    centre = ma.fields.Nested(PointSchema, allow_none=True, required=True)
    zone = ma.fields.String(required=True)


class CommuneListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(CommuneSchema), required=True)
    total = ma.fields.Integer(required=True)
