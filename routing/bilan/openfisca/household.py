"""The household as OpenFisca-France's entities, with every period its formulas read.

A monthly income stated today is written on every month of the years N-4 to N
(`HISTORY_YEARS`): the RSA and the prime d'activité read the last 3 months, the aides au
logement the 12 months before last and the incomes of N-2, the chèque énergie the tax return
of N-2, the C2S the last 12 months. Incomes the questionnaire does not ask about are set to
zero on the same periods (`UNASKED_INCOMES`), which also spares OpenFisca long chains of
formulas that would end in zero anyway.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from routing.bilan.situation import Housing, Situation

HISTORY_YEARS = 4
"""Incomes stated today are written on the years N-4 to N (formulas read N-2 and earlier)."""

TAXABLE_OVER_NET_SALARY = 1.036
"""Salaire imposable / salaire net: the non-deductible CSG and the CRDS are taxed but never
paid out. Measured with OpenFisca-France 176.1.8 for a private-sector employee earning 1 000
to 4 000 € gross a month (1.036 throughout); tests/routing/bilan checks it still holds."""

GROSS_OVER_NET_SALARY = 1.263
"""Salaire de base (brut) / salaire net, same measure (0.7916 net for 1 gross). The ASPA
reads the gross salary for its allowance on earnings."""

PENSION_FROM_AGE = 62
"""From this age, « other income » is counted as a retirement pension; before it, as
unemployment benefit (the most common other income of working-age people)."""

HOUSING_STATUS = {
    Housing.TENANT: "locataire_vide",
    Housing.OWNER: "proprietaire",
    Housing.HOSTED: "loge_gratuitement",
    Housing.HOMELESS: "sans_domicile",
}

UNASKED_INCOMES = (
    "ass",
    "asi",
    "indemnites_journalieres",
    "indemnites_journalieres_imposables",
    "rente_accident_travail",
    "revenus_capital",
    "revenus_locatifs",
    "rpns_auto_entrepreneur_benefice",
    "rente_viagere_titre_onereux",
    "revenus_capitaux_prelevement_bareme",
    "revenus_capitaux_prelevement_liberatoire",
    "revenus_capitaux_prelevement_forfaitaire_unique_ir",
)
"""Formula-computed incomes that the questionnaire gathers under « other income » or does
not ask (ASS, allocation supplémentaire d'invalidité, daily allowances, capital income):
set to zero, they are read as such instead of being recomputed from scratch."""

DISABILITY_BENEFITS = ("aah", "caah", "mva")
"""Zero without a disability rate of at least 50 % (OpenFisca would find zero, month by month)."""

STUDENT_GRANTS = ("bourse_criteres_sociaux",)
"""Zero for a person who is not a student."""
DEMANDEUR = "demandeur"
CONJOINT = "conjoint"


def birth_date(age: int, month: date) -> str:
    """A birth date giving exactly ``age`` on the 6 months around ``month``."""
    months = month.year * 12 + month.month - 1 - 6 - age * 12
    return date(months // 12, months % 12 + 1, 1).isoformat()


def years_of(month: date) -> list[str]:
    return [str(year) for year in range(month.year - HISTORY_YEARS, month.year + 1)]


@dataclass(frozen=True)
class _History:
    """Writes a value on every period of the history, in the variable's own granularity."""

    system: Any
    month: date

    def amount(self, name: str, monthly_eur: float) -> dict[str, float]:
        """A monthly amount over the history (year totals, divided by OpenFisca)."""
        variable = self.system.variables[name]
        if variable.definition_period == "month" and variable.set_input is None:
            return dict.fromkeys(self.months(), monthly_eur)
        return dict.fromkeys(years_of(self.month), monthly_eur * 12)

    def state(self, name: str, value: object) -> dict[str, object]:
        """A state (status, commune, flag) over the history."""
        variable = self.system.variables[name]
        if variable.definition_period == "month" and variable.set_input is None:
            return dict.fromkeys(self.months(), value)
        return dict.fromkeys(years_of(self.month), value)

    def months(self) -> list[str]:
        return [
            f"{year}-{month:02d}"
            for year in range(self.month.year - HISTORY_YEARS, self.month.year + 1)
            for month in range(1, 13)
        ]


def _person_incomes(
    history: _History, earnings_eur: float, other_eur: float, age: int | None
) -> dict[str, Any]:
    incomes: dict[str, Any] = {
        "salaire_net": history.amount("salaire_net", earnings_eur),
        "salaire_imposable": history.amount(
            "salaire_imposable", earnings_eur * TAXABLE_OVER_NET_SALARY
        ),
        "salaire_de_base": history.amount("salaire_de_base", earnings_eur * GROSS_OVER_NET_SALARY),
    }
    pension = age is not None and age >= PENSION_FROM_AGE
    other_names = (
        ("retraite_brute", "retraite_nette", "retraite_imposable")
        if pension
        else ("chomage_brut", "chomage_net", "chomage_imposable")
    )
    unused = (
        ("chomage_brut", "chomage_net", "chomage_imposable")
        if pension
        else ("retraite_brute", "retraite_nette", "retraite_imposable")
    )
    for name in other_names:
        incomes[name] = history.amount(name, other_eur)
    for name in unused:
        incomes[name] = history.amount(name, 0.0)
    return incomes


def household_input(
    system: Any, situation: Situation, month: date, insee_code: str | None
) -> dict[str, Any]:
    """The situation as OpenFisca-France's entities, with every period its formulas read."""
    history = _History(system, month)
    people: dict[str, dict[str, Any]] = {}
    foyer: dict[str, Any] = {}
    demandeur: dict[str, Any] = _person_incomes(
        history,
        situation.monthly_earnings_eur or 0.0,
        situation.other_monthly_income_eur or 0.0,
        situation.age,
    )
    if situation.age is not None:
        demandeur["date_naissance"] = {"ETERNITY": birth_date(situation.age, month)}
    if situation.is_student is not None:
        demandeur["etudiant"] = history.state("etudiant", situation.is_student)
    if situation.disability_rate is not None:
        rate = situation.disability_rate / 100
        demandeur["taux_incapacite"] = history.state("taux_incapacite", rate)
        demandeur["handicap"] = history.state("handicap", situation.disability_rate >= 50)
        # Between 50 and 79 %, the AAH also needs a « restriction substantielle et durable
        # d'accès à l'emploi » that only the CDAPH recognises: assumed, and said so.
        demandeur["aah_restriction_substantielle_durable_acces_emploi"] = history.state(
            "aah_restriction_substantielle_durable_acces_emploi", True
        )
    unasked = list(UNASKED_INCOMES)
    if (situation.disability_rate or 0) < 50:
        unasked += DISABILITY_BENEFITS
    if not situation.is_student:
        unasked += STUDENT_GRANTS
    for name in unasked:
        target = foyer if system.variables[name].entity.key == "foyer_fiscal" else demandeur
        target[name] = history.amount(name, 0.0)
    people[DEMANDEUR] = demandeur
    parents = [DEMANDEUR]
    if situation.is_couple:
        conjoint = _person_incomes(
            history, situation.partner_monthly_earnings_eur or 0.0, 0.0, None
        )
        if situation.partner_age is not None:
            conjoint["date_naissance"] = {"ETERNITY": birth_date(situation.partner_age, month)}
        # Counted as one tax household (married or in a civil partnership); for the benefits
        # the couple's resources are added up either way.
        for person in (demandeur, conjoint):
            person["statut_marital"] = history.state("statut_marital", "pacse")
        people[CONJOINT] = conjoint
        parents.append(CONJOINT)
    children = []
    for index, age in enumerate(situation.children, start=1):
        child_id = f"enfant{index}"
        people[child_id] = {"date_naissance": {"ETERNITY": birth_date(age, month)}}
        children.append(child_id)
    menage: dict[str, Any] = {
        "personne_de_reference": [DEMANDEUR],
        "statut_occupation_logement": history.state(
            "statut_occupation_logement",
            HOUSING_STATUS[situation.housing] if situation.housing else "non_renseigne",
        ),
        "loyer": history.amount("loyer", situation.rent_eur or 0.0),
    }
    if situation.is_couple:
        menage["conjoint"] = [CONJOINT]
    if children:
        menage["enfants"] = children
    if insee_code is not None:
        menage["depcom"] = history.state("depcom", insee_code)
    return {
        "individus": people,
        "familles": {"famille": {"parents": parents, "enfants": children}},
        "foyers_fiscaux": {
            "foyer": {"declarants": parents, "personnes_a_charge": children, **foyer}
        },
        "menages": {"menage": menage},
    }
