"""Schemas of the orientation: a right, a place, a profile in; ranked partners out."""

from __future__ import annotations

import marshmallow as ma

from directory.rights_catalogue import RIGHT_SLUGS
from routing.orientation import AgeBand
from web.schemas.base import WITHOUT_NUL, QuerySchema
from web.schemas.instants import Instant
from web.schemas.partners import INSEE_CODE, PartnerSchema, between, one_of, pattern


class OrientationQuerySchema(QuerySchema):
    right = ma.fields.List(
        ma.fields.String(validate=one_of(RIGHT_SLUGS)),
        required=True,
        validate=ma.validate.Length(min=1, max=5, error="Entre 1 et 5 droits."),
        metadata={"description": "Droit(s) demandé(s), paramètre répétable", "example": ["rsa"]},
    )
    address = ma.fields.String(
        validate=ma.validate.Length(min=1, max=200, error="Entre 1 et 200 caractères."),
        metadata={
            "description": "Adresse de la personne (texte libre) ; un seul lieu : address, "
            "lon et lat, ou insee_code",
            "pattern": WITHOUT_NUL,
        },
    )
    lon = ma.fields.Float(
        allow_nan=False, metadata={"description": "Longitude (avec lat), WGS 84", "example": 2.7772}
    )
    lat = ma.fields.Float(
        allow_nan=False, metadata={"description": "Latitude (avec lon), WGS 84", "example": 50.291}
    )
    insee_code = ma.fields.String(
        validate=pattern(INSEE_CODE, "62041"), metadata={"description": "Commune (code INSEE)"}
    )
    age_band = ma.fields.String(
        validate=one_of(tuple(band.value for band in AgeBand)),
        metadata={"description": "Tranche d'âge"},
    )
    is_agricultural = ma.fields.Boolean(
        load_default=False, metadata={"description": "Relève du régime agricole (MSA)"}
    )
    has_car = ma.fields.Boolean(load_default=True, metadata={"description": "A une voiture"})
    needs_digital_help = ma.fields.Boolean(
        load_default=False, metadata={"description": "A besoin d'aide avec le numérique"}
    )
    has_reduced_mobility = ma.fields.Boolean(
        load_default=False, metadata={"description": "Mobilité réduite"}
    )
    language = ma.fields.String(
        validate=pattern(r"^[a-z]{2}$", "ar"),
        metadata={"description": "Langue parlée (code ISO 639-1), si pas le français"},
    )
    at = Instant(metadata={"description": "Instant de l'orientation (défaut : maintenant)"})
    max_partners = ma.fields.Integer(
        load_default=5, validate=between(1, 20), metadata={"description": "Partenaires par droit"}
    )

    @ma.validates_schema
    def _one_place(self, data: dict[str, object], **_: object) -> None:
        if ("lon" in data) != ("lat" in data):
            raise ma.ValidationError(
                "Donnez lon et lat ensemble.", "lon" if "lat" in data else "lat"
            )
        given = [key for key in ("address", "lon", "insee_code") if key in data]
        if len(given) != 1:
            raise ma.ValidationError(
                "Indiquez un seul lieu : address, lon et lat, ou insee_code.", "place"
            )


class PlaceSchema(ma.Schema):
    label = ma.fields.String(required=True)
    lon = ma.fields.Float(required=True)
    lat = ma.fields.Float(required=True)
    insee_code = ma.fields.String(required=True)
    commune_name = ma.fields.String(required=True)
    departement_code = ma.fields.String(required=True)
    epci_siren = ma.fields.String(allow_none=True)
    precision = ma.fields.String(
        required=True, metadata={"description": "point, housenumber, street ou commune"}
    )
    notes = ma.fields.List(ma.fields.String())


class OrientationEchoSchema(ma.Schema):
    rights = ma.fields.List(ma.fields.String(), required=True)
    at = ma.fields.AwareDateTime(required=True)
    profile = ma.fields.Dict(required=True)
    place = ma.fields.Nested(PlaceSchema, required=True)


class ReasonSchema(ma.Schema):
    scorer = ma.fields.String(required=True, metadata={"example": "distance"})
    value = ma.fields.Float(required=True, metadata={"description": "Entre 0 et 1"})
    weight = ma.fields.Float(required=True)
    text = ma.fields.String(required=True, metadata={"description": "Raison, en français"})


class OrientationResultSchema(ma.Schema):
    right = ma.fields.String(required=True)
    rank = ma.fields.Integer(required=True)
    partner = ma.fields.Nested(PartnerSchema, required=True)
    score = ma.fields.Float(required=True)
    help_level = ma.fields.String(required=True)
    help_level_label = ma.fields.String(required=True)
    is_in_service_area = ma.fields.Boolean(required=True)
    reasons = ma.fields.List(ma.fields.Nested(ReasonSchema), required=True)
    distance_m = ma.fields.Float(allow_none=True, required=True)
    travel_time_s = ma.fields.Integer(allow_none=True, required=True)
    travel_mode = ma.fields.String(allow_none=True, required=True)
    opening_status = ma.fields.String(required=True)
    documents = ma.fields.List(ma.fields.String(), required=True)


class BusVisitOptionSchema(ma.Schema):
    visit_id = ma.fields.Integer(required=True)
    rights = ma.fields.List(ma.fields.String(), required=True)
    route_name = ma.fields.String(required=True)
    stop_name = ma.fields.String(required=True)
    street = ma.fields.String(allow_none=True, required=True)
    commune_name = ma.fields.String(required=True)
    starts_at = ma.fields.AwareDateTime(required=True)
    ends_at = ma.fields.AwareDateTime(required=True)
    distance_m = ma.fields.Float(required=True)
    travel_time_s = ma.fields.Integer(required=True)
    travel_mode = ma.fields.String(required=True)
    text = ma.fields.String(required=True)
    is_demo = ma.fields.Boolean(required=True)


class RemoteSchema(ma.Schema):
    right = ma.fields.String(required=True)
    kind = ma.fields.String(required=True, metadata={"description": "online ou phone"})
    label = ma.fields.String(required=True)
    url = ma.fields.String(allow_none=True)
    phone = ma.fields.String(allow_none=True)
    partner_id = ma.fields.Integer(allow_none=True)


class OnlineLinkSchema(ma.Schema):
    label = ma.fields.String(required=True)
    url = ma.fields.String(required=True)


class PossibleOfficeSchema(ma.Schema):
    partner_id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    address = ma.fields.String(required=True)
    phone = ma.fields.String(allow_none=True, required=True)
    verified_at = ma.fields.Date(
        allow_none=True, required=True, metadata={"description": "Date des informations"}
    )
    distance_m = ma.fields.Float(allow_none=True, required=True)
    travel_time_s = ma.fields.Integer(allow_none=True, required=True)
    travel_mode = ma.fields.String(allow_none=True, required=True)
    staleness_warning = ma.fields.String(required=True)


class DeciderSchema(ma.Schema):
    decider = ma.fields.String(required=True)
    label = ma.fields.String(required=True)
    partner_ids = ma.fields.List(
        ma.fields.Integer(),
        required=True,
        metadata={"description": "Accueils à jour ou confirmés de l'organisme (classés)"},
    )
    online = ma.fields.Nested(OnlineLinkSchema, allow_none=True, required=True)
    note = ma.fields.String(allow_none=True, required=True)
    possible_offices = ma.fields.List(
        ma.fields.Nested(PossibleOfficeSchema),
        required=True,
        metadata={
            "description": "Lieux possibles, à vérifier : accueils de l'organisme à moins "
            "d'une heure dont les informations sont anciennes (« à confirmer »), du plus proche "
            "au plus loin"
        },
    )


class OrientationRightSchema(ma.Schema):
    slug = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    short_name = ma.fields.String(required=True)
    decider_note = ma.fields.String(required=True)
    deciders = ma.fields.List(ma.fields.Nested(DeciderSchema), required=True)
    documents = ma.fields.List(ma.fields.String(), required=True)
    has_nearby_partner = ma.fields.Boolean(required=True)
    notices = ma.fields.List(ma.fields.String(), required=True)


class OrientationSchema(ma.Schema):
    query = ma.fields.Nested(OrientationEchoSchema, required=True)
    results = ma.fields.List(ma.fields.Nested(OrientationResultSchema), required=True)
    bus_visits = ma.fields.List(ma.fields.Nested(BusVisitOptionSchema), required=True)
    remote = ma.fields.List(ma.fields.Nested(RemoteSchema), required=True)
    rights = ma.fields.List(ma.fields.Nested(OrientationRightSchema), required=True)
