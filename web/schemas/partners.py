"""Schemas of partners: search parameters in, partner documents out."""

from __future__ import annotations

from typing import Any

import marshmallow as ma

from directory.confirmation import ConfirmationState
from directory.rights_catalogue import RIGHT_SLUGS
from directory.search.request import MAX_PAGE, MAX_PER_PAGE, MAX_RADIUS_M
from directory.vocabulary import HELP_LEVELS, PARTNER_KINDS
from web.schemas.base import WITHOUT_NUL, QuerySchema
from web.schemas.geo import Bbox, LonLat, PointSchema
from web.schemas.instants import Instant

MAX_GEOJSON_LIMIT = 5000
MAX_GEOJSON_PAGE = 100

# [0-9], not \d: Python's \d also matches other scripts' digits (« ٦٢٠٤١ »).
INSEE_CODE = r"^([0-9]{2}|2[AB])[0-9]{3}$"
EPCI_SIREN = r"^[0-9]{9}$"
DEPARTEMENT_CODE = r"^([0-9]{2}|2[AB]|97[0-9])$"


def one_of(values: tuple[str, ...]) -> ma.validate.OneOf:
    return ma.validate.OneOf(values, error="Valeur inconnue. Valeurs permises : {choices}.")


class WholeValue(ma.validate.Regexp):
    """The whole value must match: ``re.match`` lets ``$`` match before a final line
    break, so « 62041\\n » would pass ``^…$``."""

    def __call__(self, value: Any) -> Any:
        if self.regex.fullmatch(value) is None:
            raise ma.ValidationError(self._format_error(value))
        return value


def pattern(regex: str, example: str) -> ma.validate.Regexp:
    return WholeValue(regex, error=f"Format invalide (exemple : {example}).")


def between(low: int, high: int) -> ma.validate.Range:
    return ma.validate.Range(low, high, error=f"Doit être compris entre {low} et {high}.")


class PartnerFilterSchema(QuerySchema):
    """Filters shared by the list and the GeoJSON of partners."""

    q = ma.fields.String(
        validate=ma.validate.Length(max=200, error="200 caractères au plus."),
        metadata={
            "description": "Texte libre (nom, droit, commune…)",
            "example": "rsa arras",
            "pattern": WITHOUT_NUL,
        },
    )
    right = ma.fields.String(
        validate=one_of(RIGHT_SLUGS), metadata={"description": "Droit (slug du catalogue)"}
    )
    kind = ma.fields.String(
        validate=one_of(PARTNER_KINDS), metadata={"description": "Type de partenaire"}
    )
    help_level = ma.fields.String(
        validate=one_of(HELP_LEVELS),
        metadata={"description": "Niveau d'aide pour le droit demandé (ou pour un droit)"},
    )
    insee_code = ma.fields.String(
        validate=pattern(INSEE_CODE, "62041"),
        metadata={"description": "Commune (code INSEE) où se trouve le partenaire"},
    )
    epci = ma.fields.String(
        validate=pattern(EPCI_SIREN, "200033579"),
        metadata={"description": "Intercommunalité (SIREN de l'EPCI)"},
    )
    departement = ma.fields.String(
        validate=pattern(DEPARTEMENT_CODE, "62"), metadata={"description": "Code du département"}
    )
    near = LonLat()
    radius_m = ma.fields.Integer(
        validate=between(1, MAX_RADIUS_M),
        metadata={
            "description": "Rayon en mètres autour de near, ou de la commune nommée dans q ; "
            "refusé (422) sans near ni commune dans q"
        },
    )
    open_at = Instant(
        metadata={
            "description": "« now » ou un instant ISO 8601 : ne garder que les lieux ouverts "
            "à cet instant (sans fuseau : heure de Paris). Donne aussi l'instant de open_now."
        }
    )
    accessible = ma.fields.Boolean(
        metadata={"description": "true : seulement les lieux accessibles en fauteuil roulant"}
    )
    include_unconfirmed = ma.fields.Boolean(
        load_default=False,
        metadata={
            "description": "true : inclure les lieux « à confirmer » (informations plus "
            "anciennes que l'âge configuré, 24 mois par défaut, et jamais confirmées "
            "depuis), masqués par défaut ; ils portent alors staleness_warning"
        },
    )


class PartnerListQuerySchema(PartnerFilterSchema):
    page = ma.fields.Integer(
        load_default=1,
        validate=between(1, MAX_PAGE),
        metadata={"description": f"Page, de 1 à {MAX_PAGE}"},
    )
    per_page = ma.fields.Integer(
        load_default=20,
        validate=between(1, MAX_PER_PAGE),
        metadata={"description": f"Résultats par page ({MAX_PER_PAGE} au plus)"},
    )


class PartnerGeoJsonQuerySchema(PartnerFilterSchema):
    bbox = Bbox()
    limit = ma.fields.Integer(
        load_default=1000,
        validate=between(1, MAX_GEOJSON_LIMIT),
        metadata={"description": f"Lieux par page ({MAX_GEOJSON_LIMIT} au plus)"},
    )
    page = ma.fields.Integer(
        load_default=1,
        validate=between(1, MAX_GEOJSON_PAGE),
        metadata={
            "description": "Page de lieux : la réponse donne le lien de la suivante (`links`) "
            "tant qu'il reste des lieux"
        },
    )


class AddressSchema(ma.Schema):
    street = ma.fields.String(allow_none=True)
    complement = ma.fields.String(allow_none=True)
    postcode = ma.fields.String(allow_none=True)
    city = ma.fields.String(allow_none=True)
    insee_code = ma.fields.String(allow_none=True)


class DataSourceSchema(ma.Schema):
    name = ma.fields.String(required=True, metadata={"example": "anct-france-services"})
    licence = ma.fields.String(allow_none=True)
    date = ma.fields.Date(allow_none=True, metadata={"description": "Date des données sources"})


class PartnerRightSchema(ma.Schema):
    slug = ma.fields.String(required=True, metadata={"example": "rsa"})
    help_level = ma.fields.String(required=True, metadata={"example": "accompagnement"})
    help_level_label = ma.fields.String(required=True)


class PartnerSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    kind = ma.fields.String(required=True, metadata={"example": "france-services"})
    kind_label = ma.fields.String(required=True)
    address = ma.fields.Nested(AddressSchema, required=True)
    location = ma.fields.Nested(PointSchema, allow_none=True, required=True)
    is_location_doubtful = ma.fields.Boolean(required=True)
    phone = ma.fields.String(allow_none=True, required=True)
    email = ma.fields.String(
        allow_none=True,
        required=True,
        metadata={
            "description": "Courriel du lieu ; null aussi quand l'adresse publiée semble "
            "celle d'une personne (prénom.nom@…), jamais affichée"
        },
    )
    website = ma.fields.String(allow_none=True, required=True)
    opening_hours = ma.fields.String(
        allow_none=True, required=True, metadata={"description": "Horaires au format OSM"}
    )
    opening_hours_text = ma.fields.String(
        required=True, metadata={"description": "Horaires de la semaine, en français"}
    )
    opening_status = ma.fields.String(
        required=True, metadata={"description": "Ouvert ou fermé à l'instant demandé, en français"}
    )
    open_now = ma.fields.Boolean(
        allow_none=True, required=True, metadata={"description": "null : horaires inconnus"}
    )
    next_opening = ma.fields.AwareDateTime(
        allow_none=True,
        required=True,
        metadata={"description": "Prochaine ouverture (heure locale du lieu)"},
    )
    accessibility = ma.fields.String(required=True)
    accessibility_label = ma.fields.String(required=True)
    appointment = ma.fields.String(required=True)
    appointment_label = ma.fields.String(required=True)
    rights = ma.fields.List(ma.fields.Nested(PartnerRightSchema), required=True)
    verified_at = ma.fields.Date(
        allow_none=True,
        required=True,
        metadata={
            "description": "Dernier jour où ces informations étaient connues exactes : date "
            "de la source, ou de la confirmation par une personne"
        },
    )
    confirmation_state = ma.fields.String(
        required=True,
        validate=one_of(tuple(ConfirmationState)),
        metadata={
            "description": "confirme (vérifié par une personne), a-jour (source récente) ou "
            "a-confirmer (informations anciennes ou sans date)",
            "example": "a-confirmer",
        },
    )
    confirmation_label = ma.fields.String(required=True, metadata={"example": "À confirmer"})
    staleness_warning = ma.fields.String(
        allow_none=True,
        required=True,
        metadata={
            "description": "Avertissement à afficher pour un lieu « à confirmer » (null sinon)",
            "example": "Informations de 2017, à vérifier par téléphone avant de vous déplacer",
        },
    )
    source = ma.fields.Nested(DataSourceSchema, required=True)
    is_demo = ma.fields.Boolean(
        required=True, metadata={"description": "Donnée fictive de démonstration"}
    )
    distance_m = ma.fields.Float(
        metadata={
            "description": "Distance à vol d'oiseau en mètres depuis near, ou depuis la "
            "commune nommée dans q (absente sans point de départ)"
        }
    )


class SearchPlaceSchema(ma.Schema):
    label = ma.fields.String(required=True, metadata={"example": "Arras (62)"})
    insee_code = ma.fields.String(allow_none=True, required=True)


class PartnerListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(PartnerSchema), required=True)
    total = ma.fields.Integer(required=True)
    total_is_exact = ma.fields.Boolean(
        required=True, metadata={"description": "false : total est un minimum (« au moins »)"}
    )
    page = ma.fields.Integer(required=True)
    per_page = ma.fields.Integer(required=True)
    place = ma.fields.Nested(
        SearchPlaceSchema,
        allow_none=True,
        required=True,
        metadata={"description": "Commune reconnue dans le texte, qui sert de point de départ"},
    )


class ServiceSchema(ma.Schema):
    right_slug = ma.fields.String(required=True)
    right_name = ma.fields.String(required=True)
    help_level = ma.fields.String(required=True)
    help_level_label = ma.fields.String(required=True)
    description = ma.fields.String(allow_none=True)
    publics = ma.fields.List(ma.fields.String())
    source = ma.fields.String(allow_none=True, metadata={"description": "Fondement de l'offre"})


class ServiceAreaSchema(ma.Schema):
    level = ma.fields.String(required=True, metadata={"example": "commune"})
    code = ma.fields.String(required=True, metadata={"example": "62041"})


class ClosureSchema(ma.Schema):
    starts_on = ma.fields.Date(required=True)
    ends_on = ma.fields.Date(required=True)
    reason = ma.fields.String(required=True)
    replacement_hours = ma.fields.String(allow_none=True)


class PartnerDetailSchema(PartnerSchema):
    description = ma.fields.String(allow_none=True)
    location_note = ma.fields.String(allow_none=True)
    accessibility_details = ma.fields.String(allow_none=True)
    languages = ma.fields.List(ma.fields.String(), metadata={"description": "Codes ISO 639-1"})
    transport_access = ma.fields.String(allow_none=True)
    opening_hours_lines = ma.fields.List(ma.fields.String())
    services = ma.fields.List(ma.fields.Nested(ServiceSchema))
    service_areas = ma.fields.List(ma.fields.Nested(ServiceAreaSchema))
    closures = ma.fields.List(
        ma.fields.Nested(ClosureSchema), metadata={"description": "Fermetures en cours ou à venir"}
    )
    updated_at = ma.fields.AwareDateTime()


class PartnerDetailQuerySchema(QuerySchema):
    open_at = Instant(metadata={"description": "Instant de open_now (défaut : maintenant)"})
