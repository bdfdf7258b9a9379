"""Schemas of the coverage analysis: a territory, a right, a threshold and a mode in;
communes with their nearest permanent partner and travel times, and totals, out."""

from __future__ import annotations

import marshmallow as ma

from directory.rights_catalogue import RIGHT_SLUGS
from routing.bus.planning.coverage import CoverageMode
from web.schemas.base import QuerySchema
from web.schemas.partners import INSEE_CODE, between, one_of, pattern

SIREN = r"^[0-9]{9}$"
DEPARTEMENT = r"^([0-9]{2}|2[AB]|9[78][0-9])$"
MODES = tuple(mode.value for mode in CoverageMode)


class CoverageQuerySchema(QuerySchema):
    epci = ma.fields.List(
        ma.fields.String(validate=pattern(SIREN, "200033579")),
        validate=ma.validate.Length(max=20, error="20 EPCI au plus."),
        metadata={"description": "EPCI (SIREN), paramètre répétable", "example": ["200033579"]},
    )
    departement = ma.fields.List(
        ma.fields.String(validate=pattern(DEPARTEMENT, "31")),
        validate=ma.validate.Length(max=3, error="3 départements au plus."),
        metadata={"description": "Département (code), paramètre répétable"},
    )
    insee_code = ma.fields.List(
        ma.fields.String(validate=pattern(INSEE_CODE, "62041")),
        validate=ma.validate.Length(max=500, error="500 communes au plus."),
        metadata={"description": "Commune (code INSEE), paramètre répétable"},
    )
    right = ma.fields.String(
        validate=one_of(RIGHT_SLUGS),
        metadata={"description": "Droit (slug du catalogue) ; sans lui : pour au moins un droit"},
    )
    threshold_min = ma.fields.Integer(
        load_default=30,
        validate=between(1, 180),
        metadata={"description": "Seuil des « zones éloignées », en minutes (défaut 30)"},
    )
    mode = ma.fields.String(
        load_default=CoverageMode.CAR.value,
        validate=one_of(MODES),
        metadata={"description": "car (en voiture) ou without_car (à pied ou en transports)"},
    )

    @ma.validates_schema
    def _territory(self, data: dict[str, object], **_: object) -> None:
        if not (data.get("epci") or data.get("departement") or data.get("insee_code")):
            raise ma.ValidationError(
                "Indiquez un territoire : epci, departement ou insee_code.", "epci"
            )


class NearestPartnerSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    kind = ma.fields.String(required=True)
    kind_label = ma.fields.String(required=True)
    travel_time_s = ma.fields.Integer(required=True)
    straight_distance_m = ma.fields.Float(required=True)


class CommuneCoverageSchema(ma.Schema):
    insee_code = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    population = ma.fields.Integer(
        required=True, metadata={"description": "Population municipale (INSEE)"}
    )
    location = ma.fields.Dict(required=True, metadata={"description": "Mairie (ou centre)"})
    nearest_partner = ma.fields.Nested(
        NearestPartnerSchema,
        allow_none=True,
        required=True,
        metadata={"description": "Le plus proche selon le mode demandé"},
    )
    car_travel_time_s = ma.fields.Integer(allow_none=True, required=True)
    without_car_travel_time_s = ma.fields.Integer(allow_none=True, required=True)
    nearest_by_car = ma.fields.Nested(NearestPartnerSchema, allow_none=True, required=True)
    nearest_without_car = ma.fields.Nested(NearestPartnerSchema, allow_none=True, required=True)
    is_remote = ma.fields.Boolean(
        required=True, metadata={"description": "« Zone éloignée » : au-delà du seuil"}
    )


class CoverageTotalsSchema(ma.Schema):
    communes = ma.fields.Integer(required=True)
    population = ma.fields.Integer(required=True)
    remote_communes = ma.fields.Integer(required=True)
    remote_population = ma.fields.Integer(required=True)
    covered_population = ma.fields.Integer(required=True)


class CoverageSchema(ma.Schema):
    right = ma.fields.String(allow_none=True, required=True)
    help_levels = ma.fields.List(ma.fields.String(), required=True)
    mode = ma.fields.String(required=True)
    mode_label = ma.fields.String(required=True)
    threshold_min = ma.fields.Integer(required=True)
    permanent_partners = ma.fields.Integer(required=True)
    communes = ma.fields.List(ma.fields.Nested(CommuneCoverageSchema), required=True)
    totals = ma.fields.Nested(CoverageTotalsSchema, required=True)
    summary = ma.fields.String(required=True)
    method = ma.fields.String(required=True)
