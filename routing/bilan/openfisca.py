"""OpenFisca-France behind the `BenefitEngine` protocol: eligibility and amounts come from
the reference tax-benefit model, never from rules written here.

The tax-benefit system takes seconds and about 150 MB to load: `france_system` loads it on
first use and keeps it for the life of the process (once per worker), and every bilan then
runs one small simulation asking only the variables of the rights wanted.

Periods are where simulations go wrong. OpenFisca's formulas read the past: the RSA and the
prime d'activité the last 3 months of resources, the aides au logement the 12 months before
last and the incomes of year N-2, the chèque énergie the tax return of N-2, the C2S the last
12 months. A monthly income stated today is therefore written on every month of the years
N-4 to N (`HISTORY_YEARS`): the household is assumed to have had the same incomes, and says
so in the notes. Incomes the questionnaire does not ask about are set to zero on the same
periods (`UNASKED_INCOMES`), which also spares OpenFisca long chains of formulas that would
end in zero anyway.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from importlib import metadata
from typing import Any

from routing.bilan.engine import AmountPeriod, Estimate
from routing.bilan.situation import Housing, Situation

ENGINE_NAME = "OpenFisca-France"
ENGINE_DISTRIBUTION = "openfisca-france"

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

_LOCK = threading.Lock()
_SYSTEM: list[Any] = []


def france_system() -> Any:
    """OpenFisca-France's tax-benefit system, loaded on first use, once per process."""
    with _LOCK:
        if not _SYSTEM:
            from openfisca_france import FranceTaxBenefitSystem  # heavy: only when needed

            _SYSTEM.append(FranceTaxBenefitSystem())
        return _SYSTEM[0]


def is_system_loaded() -> bool:
    return bool(_SYSTEM)


def engine_version() -> str:
    return metadata.version(ENGINE_DISTRIBUTION)


# --- The household as OpenFisca's entities ---------------------------------------------

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


# --- Reading the simulation -------------------------------------------------------------


def euros(amount: float) -> str:
    """« 1 043,60 € » (French spacing and decimal comma)."""
    text = f"{amount:,.2f}".replace(",", " ").replace(".", ",")
    return f"{text.removesuffix(',00')} €"


@dataclass(frozen=True)
class _Reader:
    simulation: Any
    month: date

    @property
    def period(self) -> str:
        return f"{self.month.year}-{self.month.month:02d}"

    def value(self, name: str, period: str | None = None) -> Any:
        return self.simulation.calculate(name, period or self.period)[0]

    def amount(self, name: str, period: str | None = None) -> float:
        return round(float(self.value(name, period)), 2)

    def flag(self, name: str) -> bool:
        return bool(self.value(name))

    def parameters(self) -> Any:
        return self.simulation.tax_benefit_system.parameters(self.month.isoformat())


STABLE_3_MONTHS = (
    "Revenus supposés identiques sur les 3 derniers mois (ils sont relus mois par mois)."
)
STABLE_12_MONTHS = "Revenus supposés identiques sur les 12 derniers mois."


def _stable_since(month: date) -> str:
    return (
        f"Revenus de {month.year - 2} supposés égaux à ceux d'aujourd'hui : ce droit se calcule "
        f"sur les revenus déclarés aux impôts pour {month.year - 2}."
    )


def _rsa(read: _Reader, situation: Situation) -> Estimate:
    amount = read.amount("rsa")
    facts = [
        f"Montant forfaitaire pour votre foyer : {euros(read.amount('rsa_socle'))} par mois.",
        f"Ressources prises en compte : {euros(read.amount('rsa_base_ressources'))} par mois "
        "(moyenne des 3 derniers mois).",
    ]
    housing_deduction = read.amount("rsa_forfait_logement")
    if housing_deduction > 0:
        facts.append(
            f"Forfait logement déduit : {euros(housing_deduction)} par mois (vous êtes logé "
            "gratuitement, propriétaire, ou vous touchez une aide au logement)."
        )
    if not read.flag("rsa_eligibilite"):
        facts.append(
            "D'après vos réponses, les conditions d'âge ou d'études du RSA ne sont pas remplies."
        )
    return Estimate("rsa", amount > 0, amount, facts=tuple(facts), notes=(STABLE_3_MONTHS,))


def _prime_activite(read: _Reader, situation: Situation) -> Estimate:
    amount = read.amount("ppa")
    facts = [
        "Montant forfaitaire pour votre foyer : "
        f"{euros(read.amount('ppa_montant_forfaitaire_familial_non_majore'))} par mois.",
        f"Ressources prises en compte : {euros(read.amount('ppa_base_ressources'))} par mois "
        "(moyenne des 3 derniers mois).",
    ]
    if not read.flag("ppa_eligibilite"):
        facts.append("D'après vos réponses, les conditions d'âge ou d'études ne sont pas remplies.")
    return Estimate(
        "prime-activite", amount > 0, amount, facts=tuple(facts), notes=(STABLE_3_MONTHS,)
    )


def _aides_logement(read: _Reader, situation: Situation) -> Estimate:
    amount = read.amount("aide_logement")
    zone = read.value("zone_apl")
    facts = [
        "Ressources annuelles prises en compte : "
        f"{euros(read.amount('aide_logement_base_ressources'))} (12 mois glissants et revenus "
        f"de {read.month.year - 2}).",
        f"Loyer retenu : {euros(read.amount('aide_logement_loyer_retenu'))} par mois "
        "(dans la limite d'un plafond).",
    ]
    zone_name = getattr(zone, "name", str(zone))
    if zone_name.startswith("zone_"):
        facts.append(f"Votre commune est en zone {zone_name.removeprefix('zone_')} de loyer.")
    return Estimate(
        "aides-logement",
        amount > 0,
        amount,
        facts=tuple(facts),
        notes=(STABLE_12_MONTHS, _stable_since(read.month)),
    )


def _allocations_familiales(read: _Reader, situation: Situation) -> Estimate:
    amount = read.amount("af")
    counted = int(read.value("af_nbenf"))
    facts = [f"Enfants comptés pour les allocations familiales : {counted}."]
    return Estimate(
        "allocations-familiales",
        amount > 0,
        amount,
        facts=tuple(facts),
        notes=(_stable_since(read.month),),
    )


def _asf(read: _Reader, situation: Situation) -> Estimate:
    amount = read.amount("asf")
    facts = []
    if situation.children and not situation.is_couple:
        facts.append(f"Parent vivant seul avec {len(situation.children)} enfant(s).")
    elif situation.is_couple:
        facts.append("Vous vivez en couple : l'ASF est pour un parent qui élève seul son enfant.")
    notes = (
        "Le calcul suppose que l'autre parent ne verse pas de pension alimentaire (ou verse "
        "moins que l'ASF).",
    )
    return Estimate("asf", amount > 0, amount, facts=tuple(facts), notes=notes)


def _aspa(read: _Reader, situation: Situation) -> Estimate:
    amount = read.amount("aspa")
    aspa = read.parameters().prestations_sociales.solidarite_insertion.minimum_vieillesse.aspa
    ceiling = (
        aspa.plafond_ressources.couples
        if situation.is_couple
        else aspa.plafond_ressources.personnes_seules
    )
    who = "un couple" if situation.is_couple else "une personne seule"
    facts = [
        f"Âge minimum : {int(aspa.age_min)} ans (plus tôt en cas d'inaptitude ou de handicap).",
        f"Plafond de ressources pour {who} : {euros(float(ceiling) / 12)} par mois.",
        f"Ressources prises en compte : {euros(read.amount('asi_aspa_base_ressources'))} par "
        "mois (moyenne des 3 derniers mois).",
    ]
    return Estimate("aspa", amount > 0, amount, facts=tuple(facts), notes=(STABLE_3_MONTHS,))


def _aah(read: _Reader, situation: Situation) -> Estimate:
    amount = read.amount("aah")
    rate = situation.disability_rate or 0
    facts = [f"Taux d'incapacité indiqué : {rate} %."]
    notes = [STABLE_12_MONTHS]
    entitled: bool | None = amount > 0
    if 50 <= rate < 80:
        notes.append(
            "Entre 50 et 79 %, l'AAH demande aussi une « restriction substantielle et durable "
            "d'accès à l'emploi » reconnue par la CDAPH (la commission des droits des personnes "
            "handicapées) : le montant est calculé comme si elle l'était."
        )
        entitled = None if amount > 0 else False
    return Estimate("aah", entitled, amount, facts=tuple(facts), notes=tuple(notes))


def _c2s(read: _Reader, situation: Situation) -> Estimate:
    free = read.flag("cmu_c")
    contribution = read.amount("css_participation_forfaitaire")
    facts = [
        "Ressources des 12 derniers mois prises en compte : "
        f"{euros(read.amount('css_cmu_base_ressources'))}.",
        f"Plafond pour la C2S sans participation : {euros(read.amount('cmu_c_plafond'))} par an ; "
        f"avec participation : {euros(read.amount('acs_plafond'))} par an.",
    ]
    if free:
        facts.append("C2S sans participation : elle ne coûte rien.")
    elif contribution > 0:
        facts.append(f"C2S avec une participation de {euros(contribution)} par mois.")
    return Estimate(
        "c2s", free or contribution > 0, None, facts=tuple(facts), notes=(STABLE_12_MONTHS,)
    )


def _cheque_energie(read: _Reader, situation: Situation) -> Estimate:
    year = str(read.month.year)
    amount = read.amount("cheque_energie", year)
    units = float(read.value("cheque_energie_unites_consommation", year))
    units_text = f"{units:g}".replace(".", ",")
    facts = [
        f"Revenu fiscal de référence estimé pour {read.month.year - 2} : "
        f"{euros(read.amount('rfr', str(read.month.year - 2)))}, pour {units_text} unité(s) "
        "de consommation.",
    ]
    return Estimate(
        "cheque-energie",
        amount > 0,
        amount,
        AmountPeriod.YEAR,
        facts=tuple(facts),
        notes=(_stable_since(read.month),),
    )


Explain = Callable[[_Reader, Situation], Estimate]

RIGHT_MODELS: Mapping[str, Explain] = {
    "rsa": _rsa,
    "prime-activite": _prime_activite,
    "aides-logement": _aides_logement,
    "allocations-familiales": _allocations_familiales,
    "asf": _asf,
    "aspa": _aspa,
    "aah": _aah,
    "c2s": _c2s,
    "cheque-energie": _cheque_energie,
}
"""Catalogue slug → how it is read from OpenFisca-France (its variables: ``rsa``, ``ppa``,
``aide_logement``, ``af``, ``asf``, ``aspa``, ``aah``, ``cmu_c`` and
``css_participation_forfaitaire``, ``cheque_energie``)."""


def _other_income_note(situation: Situation) -> Iterator[str]:
    if not situation.other_monthly_income_eur:
        return
    if situation.age is not None and situation.age >= PENSION_FROM_AGE:
        yield (
            "Vos autres revenus sont comptés comme une retraite, dont le montant brut est pris "
            "égal au net (c'est le cas des petites retraites, exonérées de CSG)."
        )
    else:
        yield (
            "Vos autres revenus sont comptés comme des allocations chômage ; une pension "
            "d'invalidité ou une pension alimentaire peuvent être comptées autrement."
        )


class OpenFiscaFrance:
    """The `BenefitEngine` of the bilan: OpenFisca-France, loaded once per process."""

    name = ENGINE_NAME

    def __init__(self, load_system: Callable[[], Any] = france_system) -> None:
        self._load_system = load_system

    @property
    def version(self) -> str:
        return engine_version()

    @property
    def modelled_rights(self) -> frozenset[str]:
        return frozenset(RIGHT_MODELS)

    def legislation_date(self, month: date) -> date:
        return month.replace(day=1)

    def estimate(
        self,
        situation: Situation,
        month: date,
        slugs: Collection[str],
        *,
        insee_code: str | None,
    ) -> dict[str, Estimate]:
        unknown = set(slugs) - set(RIGHT_MODELS)
        if unknown:
            raise ValueError(f"rights not modelled: {sorted(unknown)}")
        if not slugs:
            return {}
        from openfisca_core.simulation_builder import SimulationBuilder

        system = self._load_system()
        month = month.replace(day=1)
        data = household_input(system, situation, month, insee_code)
        simulation = SimulationBuilder().build_from_entities(system, data)
        read = _Reader(simulation, month)
        extra = tuple(_other_income_note(situation))
        estimates = {}
        for slug in slugs:
            found = RIGHT_MODELS[slug](read, situation)
            estimates[slug] = Estimate(
                found.slug,
                found.is_entitled,
                found.amount_eur,
                found.amount_period,
                found.facts,
                found.notes + extra,
            )
        return estimates
