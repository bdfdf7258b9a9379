"""The bilan use case: from a household's answers to the rights of the catalogue it may be
entitled to, each with why, an estimated amount, what is uncertain, the documents to bring
and where to go near the place.

The engine (OpenFisca-France) decides eligibility and amounts for the rights it models; this
module only checks that the answers it needs are known, words what was assumed, and falls
back to the catalogue's conditions for the other rights, saying so. The places to go come
from the orientation (`routing.orientation.orient`), asked once for every right found.
Nothing here writes to the database or keeps the situation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from directory.hours import timezone_for
from directory.queries import list_rights
from directory.rights_catalogue import RIGHT_SLUGS, RightContent
from geodata.geocoding.results import Geocoder
from geodata.travel_time import TravelTimeProvider
from routing.bilan.answer import Basis, Bilan, RightAssessment
from routing.bilan.engine import AmountPeriod, BenefitEngine, Estimate
from routing.bilan.situation import Housing, Situation
from routing.errors import InvalidSituation
from routing.orientation import (
    AgeBand,
    OrientationRequest,
    PlaceQuery,
    Profile,
    ResolvedPlace,
    orient,
)
from routing.orientation.places import resolve_place

DEFAULT_TIME_ZONE = ZoneInfo("Europe/Paris")
PARTNERS_PER_RIGHT = 3

QUESTION_LABELS: Mapping[str, str] = {
    "age": "votre âge",
    "couple": "si vous vivez en couple",
    "partner_age": "l'âge de votre conjoint",
    "children_ages": "l'âge de vos enfants (ou « aucun enfant »)",
    "monthly_earnings_eur": "vos revenus du travail (0 si vous n'en avez pas)",
    "partner_monthly_earnings_eur": "les revenus du travail de votre conjoint",
    "other_monthly_income_eur": "vos autres revenus (0 si vous n'en avez pas)",
    "housing": "votre logement",
    "rent_eur": "votre loyer",
    "place": "votre commune ou votre adresse",
    "disability_rate": "votre taux d'incapacité",
    "is_student": "si vous êtes étudiant",
}

INCOMES = "incomes"
NEEDS: Mapping[str, tuple[str, ...]] = {
    "rsa": ("age", INCOMES),
    "prime-activite": ("age", INCOMES),
    "aides-logement": (INCOMES, "housing", "rent_eur", "place"),
    "allocations-familiales": ("children_ages", INCOMES),
    "asf": ("children_ages", "couple"),
    "aspa": ("age", INCOMES),
    "aah": ("age", "disability_rate", INCOMES),
    "c2s": ("age", INCOMES),
    "cheque-energie": (INCOMES, "housing"),
}
"""The answers without which an estimate means nothing (« je ne sais pas » → not computed)."""

ASSUMPTIONS: Mapping[str, tuple[str, frozenset[str]]] = {
    "couple": (
        "Situation de couple non indiquée : calcul fait pour une personne vivant seule.",
        frozenset(NEEDS) - {"asf"},
    ),
    "children_ages": (
        "Enfants non indiqués : calcul fait sans enfant à charge.",
        frozenset(NEEDS) - {"allocations-familiales", "asf"},
    ),
    "housing": (
        "Logement non indiqué : le montant peut être plus faible si vous êtes logé "
        "gratuitement ou propriétaire.",
        frozenset({"rsa", "prime-activite", "c2s"}),
    ),
    "is_student": (
        "Études non indiquées : calcul fait pour une personne qui n'est pas étudiante.",
        frozenset({"rsa", "prime-activite", "aides-logement"}),
    ),
    "partner_age": (
        "Âge de votre conjoint non indiqué : le montant peut en dépendre.",
        frozenset({"aspa", "c2s"}),
    ),
}
"""A skipped answer an estimate can do without: what was assumed, and for which rights."""

UNCHECKED_CONDITIONS = (
    "Le calcul ne vérifie pas les conditions de nationalité, de titre de séjour ni de "
    "résidence en France : voir la fiche du droit."
)
ASK_ANYWAY = (
    "D'après vos réponses, ce droit est peu probable aujourd'hui. Si votre situation est "
    "différente ou vient de changer, demandez conseil : seul l'organisme qui verse l'aide "
    "décide."
)


def age_band(age: int | None) -> AgeBand | None:
    if age is None:
        return None
    if age < 25:
        return AgeBand.UNDER_25
    if age < 60:
        return AgeBand.FROM_25_TO_59
    if age < 65:
        return AgeBand.FROM_60_TO_64
    return AgeBand.FROM_65


def missing_answers(slug: str, situation: Situation) -> list[str]:
    """The questions (`QUESTION_LABELS` keys) still needed to estimate ``slug``."""
    missing: list[str] = []
    for need in NEEDS.get(slug, ()):
        if need == INCOMES:
            missing += [
                name
                for name in ("monthly_earnings_eur", "other_monthly_income_eur")
                if getattr(situation, name) is None
            ]
            if situation.is_couple and situation.partner_monthly_earnings_eur is None:
                missing.append("partner_monthly_earnings_eur")
        elif need == "place":
            if not situation.has_place:
                missing.append("place")
        elif need == "rent_eur":
            if situation.housing is Housing.TENANT and situation.rent_eur is None:
                missing.append("rent_eur")
        elif getattr(situation, need) is None:
            missing.append(need)
    return missing


def assumptions(slug: str, situation: Situation) -> list[str]:
    """What was assumed for ``slug`` in place of the skipped answers it can do without."""
    found = []
    for name, (text, rights) in ASSUMPTIONS.items():
        if slug not in rights or getattr(situation, name) is not None:
            continue
        if name == "partner_age" and not situation.is_couple:
            continue
        found.append(text)
    return found


def condition_reasons(content: RightContent) -> tuple[str, ...]:
    """The catalogue's conditions as sentences: the question and its alternatives."""
    reasons = []
    for condition in content.conditions:
        text = condition.question
        if condition.alternatives:
            text += " Ou bien : " + " ; ".join(condition.alternatives)
        reasons.append(text)
    return tuple(reasons)


def _to_verify(content: RightContent) -> list[str]:
    return [f"À vérifier : {c.to_verify}" for c in content.conditions if c.to_verify]


def _assessed(
    content: RightContent,
    situation: Situation,
    engine: BenefitEngine,
    estimate: Estimate | None,
) -> RightAssessment:
    undecided = RightAssessment(
        slug=content.slug,
        name=content.name,
        short_name=content.short_name,
        likely=None,
        amount_eur=None,
        amount_period=AmountPeriod.MONTH,
        basis=Basis.CATALOGUE,
        reasons=condition_reasons(content),
        uncertain=(),
        documents=content.documents,
    )
    if content.slug not in engine.modelled_rights:
        note = (
            f"{engine.name} ne calcule pas ce droit : les conditions ci-dessus viennent de la "
            "fiche du catalogue. Vérifiez-les, avec un accueil si besoin."
        )
        return replace(undecided, uncertain=(note, *_to_verify(content)))
    missing = missing_answers(content.slug, situation)
    if missing or estimate is None:
        asked = ", ".join(QUESTION_LABELS[name] for name in missing)
        return replace(
            undecided,
            basis=Basis.MISSING_ANSWERS,
            uncertain=(f"Pour estimer ce droit, indiquez : {asked}.",),
        )
    uncertain = [*estimate.notes, *assumptions(content.slug, situation), UNCHECKED_CONDITIONS]
    if estimate.is_entitled is False:
        uncertain.append(ASK_ANYWAY)
    return replace(
        undecided,
        likely=estimate.is_entitled,
        amount_eur=estimate.amount_eur,
        amount_period=estimate.amount_period,
        basis=Basis.ENGINE,
        reasons=estimate.facts,
        uncertain=tuple(uncertain),
    )


_GROUP = {True: 0, None: 1, False: 2}


def _order(rights: Sequence[RightAssessment]) -> list[RightAssessment]:
    """Likely rights first (largest monthly amounts first), then possible ones, then the
    unlikely; the catalogue's order otherwise."""
    position = {slug: index for index, slug in enumerate(RIGHT_SLUGS)}

    def key(right: RightAssessment) -> tuple[int, int, float, int]:
        monthly = right.amount_eur or 0.0
        if right.amount_period is AmountPeriod.YEAR:
            monthly /= 12
        return (
            _GROUP[right.likely],
            right.basis is Basis.CATALOGUE,
            -monthly,
            position.get(right.slug, len(position)),
        )

    return sorted(rights, key=key)


def _place_query(situation: Situation) -> PlaceQuery | None:
    if situation.insee_code is not None:
        return PlaceQuery(insee_code=situation.insee_code)
    if situation.address is not None:
        return PlaceQuery(address=situation.address)
    return None


def _month(at: datetime, place: ResolvedPlace | None) -> date:
    zone = timezone_for(place.departement_code, place.insee_code) if place else DEFAULT_TIME_ZONE
    return at.astimezone(zone).date().replace(day=1)


def draw_up_bilan(
    session: Session,
    situation: Situation,
    at: datetime,
    *,
    engine: BenefitEngine,
    geocoder: Geocoder | None = None,
    travel_times: TravelTimeProvider | None = None,
) -> Bilan:
    """Draw up the bilan of ``situation`` at the instant ``at`` (an aware datetime)."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise InvalidSituation(
            "L'instant doit porter un fuseau horaire.", {"at": ["Fuseau horaire manquant."]}
        )
    query = _place_query(situation)
    place = resolve_place(session, query, geocoder) if query is not None else None
    month = _month(at, place)
    contents = list_catalogue(session)
    computable = [
        content.slug
        for content in contents
        if content.slug in engine.modelled_rights and not missing_answers(content.slug, situation)
    ]
    estimates = engine.estimate(
        situation, month, computable, insee_code=place.insee_code if place else None
    )
    rights = _order([_assessed(c, situation, engine, estimates.get(c.slug)) for c in contents])
    orientation = None
    found = tuple(right.slug for right in rights if right.likely is not False)
    if query is not None and found:
        request = OrientationRequest(
            rights=found,
            place=query,
            profile=Profile(
                age_band=age_band(situation.age),
                is_agricultural=bool(situation.is_agricultural),
            ),
            max_partners=PARTNERS_PER_RIGHT,
        )
        orientation = orient(session, request, at, geocoder=geocoder, travel_times=travel_times)
        by_slug = {oriented.right_slug: oriented for oriented in orientation.rights}
        rights = [replace(right, orientation=by_slug.get(right.slug)) for right in rights]
    notices: tuple[str, ...] = ()
    if query is None:
        notices = ("Indiquez votre commune pour savoir où aller près de chez vous.",)
    return Bilan(
        rights=tuple(rights),
        at=at,
        month=month,
        legislation_date=engine.legislation_date(month),
        engine_name=engine.name,
        engine_version=engine.version,
        place=place,
        orientation=orientation,
        notices=notices,
    )


def list_catalogue(session: Session) -> list[RightContent]:
    """The rights of the catalogue as stored (a territory may have edited them)."""
    return [RightContent.from_dict(r.content, origin=r.slug) for r in list_rights(session)]
