"""The situation of a bilan: every answer optional, bad answers refused with French field
errors (never another exception)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from routing.bilan import Housing, Situation
from routing.errors import InvalidSituation


def errors_of(**answers: object) -> dict[str, list[str]]:
    with pytest.raises(InvalidSituation) as raised:
        Situation(**answers)  # type: ignore[arg-type]
    return raised.value.field_errors


def test_every_question_may_be_skipped() -> None:
    situation = Situation()
    assert not situation.has_place and not situation.is_couple and situation.children == ()


def test_a_full_situation_is_accepted() -> None:
    situation = Situation(
        age=34,
        couple=True,
        partner_age=36,
        children_ages=(0, 4, 17),
        monthly_earnings_eur=1450.5,
        partner_monthly_earnings_eur=0,
        other_monthly_income_eur=120,
        housing=Housing.TENANT,
        rent_eur=640,
        insee_code="2A004",
        disability_rate=0,
        is_student=False,
        is_agricultural=True,
    )
    assert situation.is_couple and situation.has_place and situation.children == (0, 4, 17)


def test_ages_rates_and_amounts_out_of_range_are_refused_field_by_field() -> None:
    errors = errors_of(
        age=12,
        disability_rate=120,
        monthly_earnings_eur=-5,
        other_monthly_income_eur=math.nan,
        rent_eur=1e9,
        children_ages=(3, 40),
    )
    assert errors == {
        "age": ["Entre 16 et 120."],
        "disability_rate": ["Entre 0 et 100."],
        "monthly_earnings_eur": ["Un montant en euros par mois, entre 0 et 100000 €."],
        "other_monthly_income_eur": ["Un montant en euros par mois, entre 0 et 100000 €."],
        "rent_eur": ["Un montant en euros par mois, entre 0 et 20000 €."],
        "children_ages": ["L'âge d'un enfant va de 0 à 24 ans."],
    }


def test_partner_answers_need_a_couple() -> None:
    errors = errors_of(couple=False, partner_age=40, partner_monthly_earnings_eur=900)
    assert set(errors) == {"partner_age", "partner_monthly_earnings_eur"}
    assert "en couple" in errors["partner_age"][0]
    assert set(errors_of(partner_age=40)) == {"partner_age"}  # « je ne sais pas » either


def test_rent_is_for_tenants_and_the_place_is_one_of_code_or_address() -> None:
    assert set(errors_of(housing=Housing.OWNER, rent_eur=500)) == {"rent_eur"}
    assert Situation(rent_eur=500).rent_eur == 500  # housing unknown: kept
    assert set(errors_of(insee_code="31555", address="Toulouse")) == {"address"}
    assert set(errors_of(insee_code="3155")) == {"insee_code"}
    assert set(errors_of(address="   ")) == {"address"}
    assert set(errors_of(children_ages=tuple([1] * 16))) == {"children_ages"}


ANSWERS = st.fixed_dictionaries(
    {},
    optional={
        "age": st.integers(-5, 200),
        "couple": st.booleans(),
        "partner_age": st.integers(-5, 200),
        "children_ages": st.lists(st.integers(-2, 30), max_size=20).map(tuple),
        "monthly_earnings_eur": st.floats(allow_nan=True, allow_infinity=True),
        "partner_monthly_earnings_eur": st.floats(-10, 200_000),
        "other_monthly_income_eur": st.floats(-10, 200_000),
        "housing": st.sampled_from(list(Housing)),
        "rent_eur": st.floats(-10, 30_000),
        "insee_code": st.text(max_size=8),
        "address": st.text(max_size=250),
        "disability_rate": st.integers(-10, 150),
        "is_student": st.booleans(),
        "is_agricultural": st.booleans(),
    },
)


@given(ANSWERS)
def test_any_answers_give_a_situation_or_french_field_errors(answers: dict[str, object]) -> None:
    try:
        Situation(**answers)  # type: ignore[arg-type]
    except InvalidSituation as error:
        assert error.field_errors
        assert set(error.field_errors) <= set(answers)
        assert all(
            message.endswith((".", "»")) for m in error.field_errors.values() for message in m
        )
