"""What the bilan reads from a simulation for each right of the catalogue it models: the
amount, and the figures it rests on, in French."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from routing.bilan.answer import euros
from routing.bilan.engine import AmountPeriod, Estimate
from routing.bilan.situation import Situation


@dataclass(frozen=True)
class Reader:
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


def _rsa(read: Reader, situation: Situation) -> Estimate:
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


def _prime_activite(read: Reader, situation: Situation) -> Estimate:
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


def _aides_logement(read: Reader, situation: Situation) -> Estimate:
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


def _allocations_familiales(read: Reader, situation: Situation) -> Estimate:
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


def _asf(read: Reader, situation: Situation) -> Estimate:
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


def _aspa(read: Reader, situation: Situation) -> Estimate:
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


def _aah(read: Reader, situation: Situation) -> Estimate:
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


def _c2s(read: Reader, situation: Situation) -> Estimate:
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


def _cheque_energie(read: Reader, situation: Situation) -> Estimate:
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


Explain = Callable[[Reader, Situation], Estimate]

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
