"""The bilan use case on the real bundled catalogue and directory, with a fake engine: what is
computed, what falls back to the catalogue, what is assumed, the order, and where to go."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy.orm import Session

from routing.bilan import (
    AmountPeriod,
    Basis,
    Estimate,
    Housing,
    Situation,
    draw_up_bilan,
    french_date,
    missing_answers,
)
from routing.errors import InvalidSituation, PlaceNotFound
from tests.routing.bilan.fake_engine import FakeEngine
from tests.routing.scenario import PARIS, TUESDAY_10H

TOULOUSE, ARRAS = "31555", "62041"
KNOWN_INCOMES = {"monthly_earnings_eur": 0.0, "other_monthly_income_eur": 0.0}
ANSWERS = {
    "rsa": Estimate("rsa", True, 573.49, facts=("Montant forfaitaire : 651,69 €.",)),
    "prime-activite": Estimate("prime-activite", False, 0.0, notes=("Revenus stables.",)),
    "aides-logement": Estimate("aides-logement", True, 200.0),
    "aspa": Estimate("aspa", False, 0.0),
    "cheque-energie": Estimate("cheque-energie", True, 146.0, AmountPeriod.YEAR),
}


def bilan_of(session: Session, engine: FakeEngine | None = None, **answers: object):  # type: ignore[no-untyped-def]
    engine = engine or FakeEngine(ANSWERS)
    return draw_up_bilan(session, Situation(**answers), TUESDAY_10H, engine=engine)  # type: ignore[arg-type]


def by_slug(bilan) -> dict:  # type: ignore[no-untyped-def,type-arg]
    return {right.slug: right for right in bilan.rights}


def test_every_right_of_the_catalogue_is_answered_once(session: Session) -> None:
    bilan = bilan_of(session)
    slugs = [right.slug for right in bilan.rights]
    assert len(slugs) == len(set(slugs)) == 15
    assert {"rsa", "are", "domiciliation", "fsl"} <= set(slugs)


def test_rights_the_engine_does_not_model_keep_the_catalogue_conditions(session: Session) -> None:
    right = by_slug(bilan_of(session, age=40, **KNOWN_INCOMES))["are"]
    assert right.likely is None and right.amount_eur is None
    assert right.basis is Basis.CATALOGUE
    assert right.reasons and all(
        reason.split(" Ou bien")[0].endswith("?") for reason in right.reasons
    )
    assert right.uncertain[0].startswith("Moteur de test ne calcule pas ce droit")
    assert right.documents


def test_skipped_answers_an_estimate_needs_are_asked_for_not_guessed(session: Session) -> None:
    engine = FakeEngine(ANSWERS)
    rights = by_slug(bilan_of(session, engine, age=40, housing=Housing.TENANT))
    rsa = rights["rsa"]
    assert rsa.basis is Basis.MISSING_ANSWERS and rsa.likely is None and rsa.amount_eur is None
    assert rsa.uncertain == (
        "Pour estimer ce droit, indiquez : vos revenus du travail (0 si vous n'en avez pas), "
        "vos autres revenus (0 si vous n'en avez pas).",
    )
    assert engine.asked[0].slugs == ()  # nothing computable: nothing computed
    assert missing_answers(
        "aides-logement", Situation(housing=Housing.TENANT, **KNOWN_INCOMES)
    ) == [
        "rent_eur",
        "place",
    ]
    assert missing_answers("rsa", Situation(age=30, couple=True, **KNOWN_INCOMES)) == [
        "partner_monthly_earnings_eur"
    ]


def test_only_the_computable_rights_are_asked_for_the_month_of_the_instant(
    session: Session,
) -> None:
    engine = FakeEngine(ANSWERS)
    bilan_of(session, engine, age=70, **KNOWN_INCOMES)
    (asked,) = engine.asked
    assert set(asked.slugs) == {"rsa", "prime-activite", "aspa"}  # no housing, no place
    assert asked.month == date(2026, 12, 1) and asked.insee_code is None


def test_computed_rights_carry_the_engine_figures_and_what_was_assumed(session: Session) -> None:
    bilan = bilan_of(session, age=40, housing=Housing.HOSTED, **KNOWN_INCOMES)
    rsa = by_slug(bilan)["rsa"]
    assert (rsa.likely, rsa.amount_eur, rsa.basis) == (True, 573.49, Basis.ENGINE)
    assert rsa.reasons == ("Montant forfaitaire : 651,69 €.",)
    assert "Situation de couple non indiquée : calcul fait pour une personne vivant seule." in (
        rsa.uncertain
    )
    assert any("nationalité" in text for text in rsa.uncertain)
    prime = by_slug(bilan)["prime-activite"]
    assert prime.likely is False and prime.uncertain[0] == "Revenus stables."
    assert prime.uncertain[-1].startswith("D'après vos réponses, ce droit est peu probable")


def test_likely_rights_come_first_by_monthly_amount_then_possible_then_unlikely(
    session: Session,
) -> None:
    bilan = bilan_of(
        session,
        age=40,
        housing=Housing.TENANT,
        rent_eur=500,
        insee_code=TOULOUSE,
        **KNOWN_INCOMES,
    )
    order = [(right.slug, right.likely) for right in bilan.rights]
    assert order[:3] == [("rsa", True), ("aides-logement", True), ("cheque-energie", True)]
    likely = [value for _, value in order]
    assert likely == sorted(likely, key=lambda v: {True: 0, None: 1, False: 2}[v])
    assert order[-2:] == [("prime-activite", False), ("aspa", False)]


def test_where_to_go_is_asked_once_for_the_likely_and_possible_rights(session: Session) -> None:
    bilan = bilan_of(
        session, age=40, housing=Housing.TENANT, rent_eur=500, insee_code=ARRAS, **KNOWN_INCOMES
    )
    assert bilan.place is not None and bilan.place.commune_name == "Arras"
    assert bilan.orientation is not None
    oriented = {right.right_slug for right in bilan.orientation.rights}
    for right in bilan.rights:
        assert (right.orientation is not None) is (right.likely is not False), right.slug
        assert (right.slug in oriented) is (right.likely is not False)
    rsa = by_slug(bilan)["rsa"]
    assert rsa.orientation is not None and 1 <= len(rsa.orientation.partners) <= 3
    assert not bilan.notices


def test_without_a_place_there_is_no_orientation_but_a_notice(session: Session) -> None:
    bilan = bilan_of(session, age=40, **KNOWN_INCOMES)
    assert bilan.place is None and bilan.orientation is None
    assert all(right.orientation is None for right in bilan.rights)
    assert bilan.notices == ("Indiquez votre commune pour savoir où aller près de chez vous.",)


def test_the_legislation_date_is_stated_in_french(session: Session) -> None:
    bilan = bilan_of(session)
    assert bilan.legislation_date == date(2026, 12, 1)
    assert bilan.disclaimer == (
        "Calcul indicatif, basé sur la législation au 1er décembre 2026 (Moteur de test 0.0)."
    )
    assert french_date(date(2025, 3, 15)) == "15 mars 2025"


def test_the_month_is_that_of_the_place(session: Session) -> None:
    engine = FakeEngine(ANSWERS)
    last_evening_of_november = datetime(2026, 11, 30, 22, 30, tzinfo=UTC)  # 23:30 in Arras
    draw_up_bilan(session, Situation(insee_code=ARRAS), last_evening_of_november, engine=engine)
    assert engine.asked[0].month == date(2026, 11, 1)
    draw_up_bilan(session, Situation(), datetime(2026, 12, 1, 0, 30, tzinfo=PARIS), engine=engine)
    assert engine.asked[1].month == date(2026, 12, 1)


def test_an_unknown_commune_and_a_naive_instant_are_refused(session: Session) -> None:
    with pytest.raises(PlaceNotFound):
        bilan_of(session, insee_code="99999")
    with pytest.raises(InvalidSituation):
        draw_up_bilan(session, Situation(), datetime(2026, 12, 1), engine=FakeEngine(ANSWERS))
