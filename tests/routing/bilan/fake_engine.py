"""An honest fake of the benefit engine: it answers what the test tells it, and records what
it was asked (which rights, for which month and commune)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date

from routing.bilan import Estimate, Situation

FAKE_MODELLED = frozenset({"rsa", "prime-activite", "aides-logement", "aspa", "cheque-energie"})


@dataclass
class Asked:
    slugs: tuple[str, ...]
    month: date
    insee_code: str | None


@dataclass
class FakeEngine:
    answers: Mapping[str, Estimate] = field(default_factory=dict)
    modelled_rights: frozenset[str] = FAKE_MODELLED
    name: str = "Moteur de test"
    version: str = "0.0"
    asked: list[Asked] = field(default_factory=list)

    def legislation_date(self, month: date) -> date:
        return month

    def estimate(
        self,
        situation: Situation,
        month: date,
        slugs: Collection[str],
        *,
        insee_code: str | None,
    ) -> dict[str, Estimate]:
        assert set(slugs) <= self.modelled_rights
        self.asked.append(Asked(tuple(slugs), month, insee_code))
        return {slug: self.answers[slug] for slug in slugs}
