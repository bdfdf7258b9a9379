"""`OpenFiscaFrance`, the `BenefitEngine` of the bilan."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from datetime import date
from typing import Any

from routing.bilan.engine import Estimate
from routing.bilan.openfisca.household import PENSION_FROM_AGE, household_input
from routing.bilan.openfisca.rights import RIGHT_MODELS, Reader
from routing.bilan.openfisca.system import ENGINE_NAME, engine_version, france_system
from routing.bilan.situation import Situation


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
        read = Reader(simulation, month)
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
