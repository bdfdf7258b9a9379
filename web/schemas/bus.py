"""Schemas of the bus des droits: routes, visits, calendar."""

from __future__ import annotations

from datetime import datetime

import marshmallow as ma

from web.schemas.base import QuerySchema
from web.schemas.geo import LonLat
from web.schemas.instants import Instant
from web.schemas.partners import INSEE_CODE, between, pattern

MAX_VISIT_RADIUS_M = 200_000


class BusRouteSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    description = ma.fields.String(allow_none=True, required=True)
    partner_id = ma.fields.Integer(allow_none=True, required=True)
    source = ma.fields.String(required=True)
    is_demo = ma.fields.Boolean(
        required=True, metadata={"description": "Tournée fictive de démonstration"}
    )
    stop_count = ma.fields.Integer(required=True)
    next_visit_at = ma.fields.AwareDateTime(allow_none=True, required=True)
    calendar_url = ma.fields.String(required=True, metadata={"description": "Fichier iCalendar"})


class BusRouteListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(BusRouteSchema), required=True)
    total = ma.fields.Integer(required=True)


class BusVisitsQuerySchema(QuerySchema):
    near = LonLat()
    radius_m = ma.fields.Integer(
        validate=between(1, MAX_VISIT_RADIUS_M),
        metadata={
            "description": "Rayon autour de near, en mètres (défaut 30 000), seulement avec near"
        },
    )
    insee_code = ma.fields.String(
        validate=pattern(INSEE_CODE, "62041"), metadata={"description": "Commune de l'arrêt"}
    )
    route_id = ma.fields.Integer(validate=between(1, 2**31 - 1))
    from_ = Instant(
        data_key="from", metadata={"description": "Début de la période (défaut : maintenant)"}
    )
    to = Instant(
        metadata={
            "description": "Fin de la période (défaut : six semaines après from) ; égale à "
            "from : les passages en cours à cet instant"
        }
    )

    @ma.validates_schema
    def _consistent(self, data: dict[str, object], **_: object) -> None:
        if "radius_m" in data and "near" not in data:
            raise ma.ValidationError("Le rayon demande un point « near ».", "radius_m")
        start, end = data.get("from_"), data.get("to")
        if isinstance(start, datetime) and isinstance(end, datetime) and end < start:
            raise ma.ValidationError("« to » ne peut pas être avant « from ».", "to")


class OnBoardRightSchema(ma.Schema):
    slug = ma.fields.String(required=True)
    name = ma.fields.String(required=True)


class OnBoardPartnerSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    kind = ma.fields.String(required=True)
    is_demo = ma.fields.Boolean(required=True)


class BusVisitSchema(ma.Schema):
    visit_id = ma.fields.Integer(required=True)
    route_id = ma.fields.Integer(required=True)
    route_name = ma.fields.String(required=True)
    stop_name = ma.fields.String(required=True)
    street = ma.fields.String(allow_none=True, required=True)
    insee_code = ma.fields.String(required=True)
    commune_name = ma.fields.String(required=True)
    location = ma.fields.Dict(required=True, metadata={"description": "{lon, lat}"})
    starts_at = ma.fields.AwareDateTime(required=True)
    ends_at = ma.fields.AwareDateTime(required=True)
    status = ma.fields.String(required=True)
    status_label = ma.fields.String(required=True)
    note = ma.fields.String(allow_none=True, required=True)
    change_reason = ma.fields.String(
        allow_none=True,
        required=True,
        metadata={
            "description": "Motif public d'une annulation, d'un déplacement, d'un jour férié"
        },
    )
    is_extra = ma.fields.Boolean(
        required=True, metadata={"description": "Passage supplémentaire, hors des règles"}
    )
    time_zone = ma.fields.String(required=True, metadata={"description": "Fuseau de l'arrêt"})
    rights = ma.fields.List(
        ma.fields.Nested(OnBoardRightSchema),
        required=True,
        metadata={"description": "Droits traités pendant ce passage"},
    )
    partners = ma.fields.List(
        ma.fields.Nested(OnBoardPartnerSchema),
        required=True,
        metadata={"description": "Partenaires présents pendant ce passage"},
    )
    is_demo = ma.fields.Boolean(required=True)
    distance_m = ma.fields.Float(metadata={"description": "Seulement avec near"})


class BusVisitListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(BusVisitSchema), required=True)
    total = ma.fields.Integer(required=True)
