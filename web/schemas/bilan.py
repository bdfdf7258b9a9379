"""Schemas of the bilan des droits: a household's situation in (JSON body), the rights it may
be entitled to out. Every field of the situation may be left out or null: « je ne sais pas »."""

from __future__ import annotations

import marshmallow as ma

from routing.bilan import AmountPeriod, Basis, Housing
from routing.bilan.situation import (
    MAX_ADDRESS_LENGTH,
    MAX_AGE,
    MAX_CHILD_AGE,
    MAX_CHILDREN,
    MAX_MONTHLY_EUR,
    MAX_RENT_EUR,
    MIN_ADULT_AGE,
)
from web.schemas.base import FrenchSchema
from web.schemas.orientation import (
    BusVisitOptionSchema,
    DeciderSchema,
    OrientationResultSchema,
    PlaceSchema,
    RemoteSchema,
)
from web.schemas.partners import INSEE_CODE, between, one_of, pattern

UNKNOWN = " Absent ou null : je ne sais pas."


def _amount(description: str, high: int) -> ma.fields.Float:
    return ma.fields.Float(
        allow_none=True,
        allow_nan=False,
        validate=ma.validate.Range(0, high, error=f"Entre 0 et {high} €."),
        metadata={"description": description + UNKNOWN, "example": 1200},
    )


def _flag(description: str) -> ma.fields.Boolean:
    return ma.fields.Boolean(allow_none=True, metadata={"description": description + UNKNOWN})


class BilanSituationSchema(FrenchSchema):
    """The answers of the questionnaire; amounts in euros per month, net."""

    class Meta:
        unknown = ma.RAISE

    age = ma.fields.Integer(
        allow_none=True,
        validate=between(MIN_ADULT_AGE, MAX_AGE),
        metadata={"description": "Âge de la personne." + UNKNOWN, "example": 34},
    )
    couple = _flag("Vit en couple (marié, pacsé ou en union libre).")
    partner_age = ma.fields.Integer(
        allow_none=True,
        validate=between(MIN_ADULT_AGE, MAX_AGE),
        metadata={"description": "Âge du conjoint (avec couple = true)." + UNKNOWN},
    )
    children_ages = ma.fields.List(
        ma.fields.Integer(validate=between(0, MAX_CHILD_AGE)),
        allow_none=True,
        validate=ma.validate.Length(max=MAX_CHILDREN, error=f"{MAX_CHILDREN} enfants au plus."),
        metadata={
            "description": "Âges des enfants qui vivent au foyer ([] : aucun enfant)." + UNKNOWN,
            "example": [3, 7],
        },
    )
    monthly_earnings_eur = _amount(
        "Revenus du travail, nets, par mois (0 : aucun).", MAX_MONTHLY_EUR
    )
    partner_monthly_earnings_eur = _amount(
        "Revenus du travail du conjoint, nets, par mois (avec couple = true).", MAX_MONTHLY_EUR
    )
    other_monthly_income_eur = _amount(
        "Autres revenus par mois : retraite, allocations chômage, pension… (0 : aucun).",
        MAX_MONTHLY_EUR,
    )
    housing = ma.fields.String(
        allow_none=True,
        validate=one_of(tuple(housing.value for housing in Housing)),
        metadata={"description": "Logement : locataire, proprietaire, heberge ou sans-domicile."},
    )
    rent_eur = _amount("Loyer par mois, sans les charges (locataires).", MAX_RENT_EUR)
    insee_code = ma.fields.String(
        allow_none=True,
        validate=pattern(INSEE_CODE, "31555"),
        metadata={"description": "Commune (code INSEE), ou bien address." + UNKNOWN},
    )
    address = ma.fields.String(
        allow_none=True,
        validate=ma.validate.Length(
            min=1, max=MAX_ADDRESS_LENGTH, error=f"Entre 1 et {MAX_ADDRESS_LENGTH} caractères."
        ),
        metadata={"description": "Adresse (texte libre), ou bien insee_code." + UNKNOWN},
    )
    disability_rate = ma.fields.Integer(
        allow_none=True,
        validate=between(0, 100),
        metadata={"description": "Taux d'incapacité reconnu, en % (0 : aucun)." + UNKNOWN},
    )
    is_student = _flag("Est étudiant.")
    is_agricultural = _flag("Relève de la Mutualité sociale agricole (MSA).")


class BilanOrientationSchema(ma.Schema):
    partners = ma.fields.List(
        ma.fields.Nested(OrientationResultSchema),
        required=True,
        metadata={"description": "Les lieux proposés près de la personne, classés"},
    )
    deciders = ma.fields.List(ma.fields.Nested(DeciderSchema), required=True)
    decider_note = ma.fields.String(required=True)
    remote = ma.fields.List(ma.fields.Nested(RemoteSchema), required=True)
    bus_visits = ma.fields.List(ma.fields.Nested(BusVisitOptionSchema), required=True)
    has_nearby_partner = ma.fields.Boolean(required=True)
    notices = ma.fields.List(ma.fields.String(), required=True)


class BilanRightSchema(ma.Schema):
    slug = ma.fields.String(required=True, metadata={"example": "prime-activite"})
    name = ma.fields.String(required=True)
    short_name = ma.fields.String(required=True)
    likely = ma.fields.Boolean(
        required=True,
        allow_none=True,
        metadata={"description": "true : probable ; false : peu probable ; null : à vérifier"},
    )
    amount_eur = ma.fields.Float(
        required=True,
        allow_none=True,
        metadata={"description": "Montant estimé par amount_period (null : non calculé)"},
    )
    amount_period = ma.fields.String(
        required=True,
        validate=one_of(tuple(period.value for period in AmountPeriod)),
        metadata={"description": "month ou year (chèque énergie)"},
    )
    basis = ma.fields.String(
        required=True,
        validate=one_of(tuple(basis.value for basis in Basis)),
        metadata={
            "description": "engine : calculé ; missing-answers : il manque des réponses ; "
            "catalogue : non calculé, conditions de la fiche"
        },
    )
    basis_label = ma.fields.String(required=True)
    reasons = ma.fields.List(
        ma.fields.String(), required=True, metadata={"description": "Pourquoi, en français"}
    )
    uncertain = ma.fields.List(
        ma.fields.String(), required=True, metadata={"description": "Ce qui reste incertain"}
    )
    documents = ma.fields.List(ma.fields.String(), required=True)
    orientation = ma.fields.Nested(
        BilanOrientationSchema,
        required=True,
        allow_none=True,
        metadata={"description": "Où aller (null : sans lieu, ou droit peu probable)"},
    )


class EngineSchema(ma.Schema):
    name = ma.fields.String(required=True, metadata={"example": "OpenFisca-France"})
    version = ma.fields.String(required=True, metadata={"example": "176.1.8"})


class BilanSchema(ma.Schema):
    rights = ma.fields.List(ma.fields.Nested(BilanRightSchema), required=True)
    legislation_date = ma.fields.Date(
        required=True, metadata={"description": "Date de la législation appliquée"}
    )
    engine = ma.fields.Nested(EngineSchema, required=True)
    disclaimer = ma.fields.String(
        required=True,
        metadata={
            "example": "Calcul indicatif, basé sur la législation au 1er décembre 2026 "
            "(OpenFisca-France 176.1.8)."
        },
    )
    place = ma.fields.Nested(PlaceSchema, required=True, allow_none=True)
    notices = ma.fields.List(ma.fields.String(), required=True)
