"""OpenFisca-France behind the bilan: the periods its formulas read, households with known
results at frozen dates, and some of OpenFisca-France's own test cases for the variables
the bilan uses (they check the pinned version still computes them)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from openfisca_core.simulation_builder import SimulationBuilder

from routing.bilan import AmountPeriod, Housing, Situation, euros
from routing.bilan.openfisca import RIGHT_MODELS, OpenFiscaFrance, engine_version
from routing.bilan.openfisca.household import (
    DISABILITY_BENEFITS,
    GROSS_OVER_NET_SALARY,
    HISTORY_YEARS,
    STUDENT_GRANTS,
    TAXABLE_OVER_NET_SALARY,
    UNASKED_INCOMES,
    birth_date,
    household_input,
)

DECEMBER_2026 = date(2026, 12, 1)
JUNE_2025 = date(2025, 6, 1)
TOULOUSE = "31555"


def estimate(engine: OpenFiscaFrance, month: date, *slugs: str, **answers: Any):  # type: ignore[no-untyped-def]
    situation = Situation(**answers)
    return engine.estimate(situation, month, slugs, insee_code=situation.insee_code)


# --- The two households the issue asks for -------------------------------------------


def test_a_single_person_earning_3000_net_gets_no_housing_aid_in_toulouse(
    openfisca: OpenFiscaFrance,
) -> None:
    """With only this month's salary (and no annual incomes) OpenFisca granted housing aid
    at 3 000 € a month: the aides au logement read the 12 months before last and N-2."""
    found = estimate(
        openfisca,
        DECEMBER_2026,
        "aides-logement",
        age=35,
        couple=False,
        children_ages=(),
        monthly_earnings_eur=3000,
        other_monthly_income_eur=0,
        housing=Housing.TENANT,
        rent_eur=800,
        insee_code=TOULOUSE,
    )["aides-logement"]
    assert found.is_entitled is False and found.amount_eur == 0
    assert "33 600 €" in found.facts[0]  # 12 × 3 000 × 1,036 less the 10 % allowance, rounded


def test_a_70_year_old_with_an_800_euro_pension_gets_the_ceiling_minus_the_pension(
    openfisca: OpenFiscaFrance, france: Any
) -> None:
    """Not the full ceiling: the ASPA reads the pension of the last 3 months."""
    found = estimate(
        openfisca,
        DECEMBER_2026,
        "aspa",
        age=70,
        monthly_earnings_eur=0,
        other_monthly_income_eur=800,
    )["aspa"]
    aspa = france.parameters("2026-12-01").prestations_sociales.solidarite_insertion
    ceiling = aspa.minimum_vieillesse.aspa.plafond_ressources.personnes_seules / 12
    assert round(ceiling, 2) == 1043.6
    assert found.is_entitled is True
    assert found.amount_eur == pytest.approx(ceiling - 800, abs=0.01)


def test_earnings_stated_today_fill_every_period_the_formulas_read(france: Any) -> None:
    data = household_input(
        france, Situation(age=40, monthly_earnings_eur=1000), DECEMBER_2026, TOULOUSE
    )
    person = data["individus"]["demandeur"]
    years = [str(year) for year in range(2026 - HISTORY_YEARS, 2027)]
    assert list(person["salaire_net"]) == years  # N-4 … N: 3 months, 12 months, N-2
    assert person["salaire_net"]["2024"] == 12_000
    assert data["menages"]["menage"]["depcom"] == dict.fromkeys(years, TOULOUSE)
    simulation = SimulationBuilder().build_from_entities(france, data)
    for month in ("2026-09", "2026-10", "2026-11", "2025-10", "2024-01"):
        assert simulation.calculate("salaire_net", month)[0] == pytest.approx(1000)
    assert simulation.calculate("rsa_base_ressources", "2026-12")[0] == pytest.approx(1000)


def test_stable_incomes_give_the_same_prime_d_activite_as_three_stated_months(
    france: Any, openfisca: OpenFiscaFrance
) -> None:
    """The prime d'activité of a 1 200 € salary: OpenFisca fed the last 3 months by hand (the
    forfait logement too is read on each of them)."""
    months = ("2026-09", "2026-10", "2026-11", "2026-12")
    by_hand = {
        "individus": {
            "demandeur": {
                "date_naissance": {"ETERNITY": "1990-01-01"},
                "salaire_net": dict.fromkeys(months, 1200),
            }
        },
        "familles": {"famille": {"parents": ["demandeur"]}},
        "foyers_fiscaux": {"foyer": {"declarants": ["demandeur"]}},
        "menages": {
            "menage": {
                "personne_de_reference": ["demandeur"],
                "statut_occupation_logement": dict.fromkeys(months, "loge_gratuitement"),
            }
        },
    }
    expected = SimulationBuilder().build_from_entities(france, by_hand).calculate("ppa", "2026-12")
    found = estimate(
        openfisca,
        DECEMBER_2026,
        "prime-activite",
        age=36,
        monthly_earnings_eur=1200,
        other_monthly_income_eur=0,
        housing=Housing.HOSTED,
    )["prime-activite"]
    assert found.is_entitled is True
    assert found.amount_eur == pytest.approx(float(expected[0]), abs=0.01)


# --- Households whose amounts are fixed by published texts (frozen at June 2025) -------


def test_rsa_of_a_single_person_without_income_housed_for_free_in_june_2025(
    openfisca: OpenFiscaFrance,
) -> None:
    """646,52 € (montant forfaitaire au 1er avril 2025, décret n° 2025-293 du 29 mars 2025)
    less the forfait logement of 12 % (77,58 €): 568,94 €, as Service-Public.fr (F19778) and
    the CAF publish them."""
    found = estimate(
        openfisca,
        JUNE_2025,
        "rsa",
        age=40,
        monthly_earnings_eur=0,
        other_monthly_income_eur=0,
        housing=Housing.HOSTED,
    )["rsa"]
    assert (found.is_entitled, found.amount_eur) == (True, 568.94)
    assert "Forfait logement déduit : 77,58 € par mois" in found.facts[2]


def test_aspa_of_a_single_person_without_resources_in_june_2025(
    openfisca: OpenFiscaFrance,
) -> None:
    """1 034,28 € a month from 1 January 2025 (12 411,44 € a year, circulaire Cnav 2024-39;
    Service-Public.fr F16871)."""
    found = estimate(
        openfisca, JUNE_2025, "aspa", age=72, monthly_earnings_eur=0, other_monthly_income_eur=0
    )["aspa"]
    assert found.amount_eur == pytest.approx(1034.28, abs=0.02)


def test_full_aah_at_80_percent_without_resources_in_june_2025(
    openfisca: OpenFiscaFrance,
) -> None:
    """1 033,32 € from 1 April 2025 (décret n° 2025-297 du 29 mars 2025; F12242)."""
    found = estimate(
        openfisca,
        JUNE_2025,
        "aah",
        age=40,
        monthly_earnings_eur=0,
        other_monthly_income_eur=0,
        disability_rate=80,
        housing=Housing.HOSTED,
    )["aah"]
    assert (found.is_entitled, found.amount_eur) == (True, 1033.32)


def test_aah_between_50_and_79_percent_depends_on_the_cdaph(openfisca: OpenFiscaFrance) -> None:
    found = estimate(
        openfisca,
        JUNE_2025,
        "aah",
        age=40,
        monthly_earnings_eur=0,
        other_monthly_income_eur=0,
        disability_rate=60,
    )["aah"]
    assert found.is_entitled is None and found.amount_eur == 1033.32
    assert "CDAPH" in found.notes[1]


# --- Every modelled right, once, on one household ------------------------------------


def test_a_lone_parent_on_a_small_salary_in_arras(openfisca: OpenFiscaFrance) -> None:
    found = estimate(
        openfisca,
        DECEMBER_2026,
        *RIGHT_MODELS,
        age=30,
        couple=False,
        children_ages=(3, 7),
        monthly_earnings_eur=1200,
        other_monthly_income_eur=0,
        housing=Housing.TENANT,
        rent_eur=600,
        insee_code="62041",
        is_student=False,
    )
    entitled = {slug for slug, value in found.items() if value.is_entitled}
    assert entitled == {
        "prime-activite",
        "aides-logement",
        "allocations-familiales",
        "asf",
        "c2s",
        "cheque-energie",
    }
    assert 2 * 190 < found["asf"].amount_eur < 2 * 210  # about 200 € for each child
    assert found["c2s"].amount_eur is None
    assert found["cheque-energie"].amount_period is AmountPeriod.YEAR
    assert "C2S avec une participation de 30 € par mois." in found["c2s"].facts
    assert all(value.facts for slug, value in found.items() if slug != "asf")


def test_other_income_is_a_pension_from_62_and_unemployment_benefit_before(
    france: Any,
) -> None:
    young = household_input(
        france, Situation(age=50, other_monthly_income_eur=500), DECEMBER_2026, None
    )["individus"]["demandeur"]
    old = household_input(
        france, Situation(age=62, other_monthly_income_eur=500), DECEMBER_2026, None
    )["individus"]["demandeur"]
    assert young["chomage_net"]["2026"] == 6000 and young["retraite_brute"]["2026"] == 0
    assert old["retraite_brute"]["2026"] == 6000 and old["chomage_net"]["2026"] == 0


def test_a_couple_with_children_is_one_family_and_one_tax_household(france: Any) -> None:
    data = household_input(
        france,
        Situation(age=40, couple=True, partner_age=38, children_ages=(0, 12)),
        DECEMBER_2026,
        None,
    )
    assert data["familles"]["famille"] == {
        "parents": ["demandeur", "conjoint"],
        "enfants": ["enfant1", "enfant2"],
    }
    assert data["foyers_fiscaux"]["foyer"]["declarants"] == ["demandeur", "conjoint"]
    assert data["menages"]["menage"]["conjoint"] == ["conjoint"]
    assert data["individus"]["enfant1"]["date_naissance"] == {"ETERNITY": "2026-06-01"}


def test_birth_dates_give_the_stated_age_around_the_month() -> None:
    assert birth_date(65, date(2026, 2, 1)) == "1960-08-01"
    assert birth_date(0, date(2026, 12, 1)) == "2026-06-01"


# --- Guards on the pinned version ---------------------------------------------------


def test_the_salary_ratios_still_hold_for_the_pinned_version(france: Any) -> None:
    data = {
        "individus": {
            "salarie": {
                "date_naissance": {"ETERNITY": "1980-01-01"},
                "salaire_de_base": {"2026-06": 2500},
                "contrat_de_travail": {"2026-06": "temps_plein"},
                "heures_remunerees_volume": {"2026-06": 151.67},
            }
        },
        "familles": {"famille": {"parents": ["salarie"]}},
        "foyers_fiscaux": {"foyer": {"declarants": ["salarie"]}},
        "menages": {"menage": {"personne_de_reference": ["salarie"]}},
    }
    simulation = SimulationBuilder().build_from_entities(france, data)
    net = float(simulation.calculate("salaire_net", "2026-06")[0])
    taxable = float(simulation.calculate("salaire_imposable", "2026-06")[0])
    assert taxable / net == pytest.approx(TAXABLE_OVER_NET_SALARY, abs=0.002)
    assert 2500 / net == pytest.approx(GROSS_OVER_NET_SALARY, abs=0.005)


def test_every_variable_set_to_zero_exists(france: Any) -> None:
    for name in (*UNASKED_INCOMES, *DISABILITY_BENEFITS, *STUDENT_GRANTS):
        assert name in france.variables, name


def test_the_engine_names_its_pinned_version(openfisca: OpenFiscaFrance) -> None:
    assert openfisca.name == "OpenFisca-France"
    assert openfisca.version == engine_version() == "176.1.8"
    assert openfisca.legislation_date(date(2026, 12, 17)) == DECEMBER_2026
    with pytest.raises(ValueError, match="not modelled"):
        openfisca.estimate(Situation(), DECEMBER_2026, ["are"], insee_code=None)


def test_euros_are_written_the_french_way() -> None:
    assert euros(1043.595) == "1 043,60 €"
    assert euros(30.0) == "30 €"


# --- OpenFisca-France's own test cases (tests/formulas/ of its repository) ------------


def run_case(france: Any, period: str, individus: dict[str, Any], variable: str) -> float:
    ids = list(individus)
    data = {
        "individus": individus,
        "familles": {"famille": {"parents": ids}},
        "foyers_fiscaux": {"foyer": {"declarants": ids}},
        "menages": {"menage": {"personne_de_reference": ids[:1]}},
    }
    simulation = SimulationBuilder().build_from_entities(france, data)
    return float(simulation.calculate(variable, period)[0])


@pytest.mark.parametrize(
    ("case", "individu", "expected"),
    [
        (
            "aspa.yaml, ASPA - Cas N°2",
            {
                "date_naissance": {"ETERNITY": "1953-04-01"},
                "duree_possession_titre_sejour": {"2018-04": 12},
                "asi_aspa_base_ressources_individu": {"2018-04": 1590 / 3},
            },
            303.20,
        ),
        (
            "aspa.yaml, ASPA - Cas N°5",
            {
                "date_naissance": {"ETERNITY": "1956-03-12"},
                "duree_possession_titre_sejour": {"2018-04": 12},
                "inapte_travail": {"2018-04": True},
                "asi_aspa_base_ressources_individu": {"2018-04": 2250 / 3},
            },
            83.20,
        ),
    ],
)
def test_openfisca_france_aspa_cases(
    france: Any, case: str, individu: dict[str, Any], expected: float
) -> None:
    assert run_case(france, "2018-04", {"parent1": individu}, "aspa") == pytest.approx(
        expected, abs=0.02
    ), case


def test_openfisca_france_rsa_case_single_person_earning_10000_a_year(france: Any) -> None:
    """rsa/rsa_celibataire.yaml, « RSA célibataire, salaire_net = 10000 » (2014-01)."""
    individu = {
        "date_naissance": {"ETERNITY": "1985-01-01"},
        "salaire_net": {"2012": 10000, "2013": 10000, "2014": 10000},
    }
    data = {
        "individus": {"parent1": individu},
        "familles": {"famille": {"parents": ["parent1"]}},
        "foyers_fiscaux": {"foyer": {"declarants": ["parent1"]}},
        "menages": {
            "menage": {
                "personne_de_reference": ["parent1"],
                "statut_occupation_logement": {"2014-01": "proprietaire"},
            }
        },
    }
    simulation = SimulationBuilder().build_from_entities(france, data)
    assert float(simulation.calculate("rsa_base_ressources", "2014-01")[0]) == pytest.approx(
        833.33, abs=0.005
    )
    assert float(simulation.calculate("rsa_forfait_logement", "2014-01")[0]) == pytest.approx(
        59.92, abs=0.005
    )
    assert float(simulation.calculate("rsa", "2014-01")[0]) == pytest.approx(122.73, abs=0.005)


def test_openfisca_france_rsa_case_no_rsa_under_25(france: Any) -> None:
    """rsa/rsa_celibataire.yaml, « Pas de RSA si âge < 25 » (2015-01)."""
    individu = {"date_naissance": {"ETERNITY": "1990-01-02"}}
    assert run_case(france, "2015-01", {"parent1": individu}, "rsa") == 0
