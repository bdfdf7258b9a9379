"""The tax-benefit engine behind the bilan, as a small protocol.

The real implementation is OpenFisca-France (:mod:`routing.bilan.openfisca`); unit tests use
an honest fake that returns what it is told. An engine estimates only the rights it models,
for one month, from a `Situation` whose answers it needs are known (the caller checks that).
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from routing.bilan.situation import Situation


class AmountPeriod(enum.StrEnum):
    """What an amount is counted per: most rights are paid monthly, the chèque énergie once
    a year."""

    MONTH = "month"
    YEAR = "year"


@dataclass(frozen=True)
class Estimate:
    """The engine's answer for one right.

    ``is_entitled`` is None when the answer hangs on a decision the engine cannot foresee
    (the AAH between 50 and 79 % of incapacity). ``amount_eur`` is per ``amount_period``; it
    is None for a right without an amount to receive (the C2S pays health costs). ``facts``
    say in French what the result rests on (the figures the engine used); ``notes`` what it
    assumed or could not check.
    """

    slug: str
    is_entitled: bool | None
    amount_eur: float | None
    amount_period: AmountPeriod = AmountPeriod.MONTH
    facts: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


class BenefitEngine(Protocol):
    @property
    def name(self) -> str:
        """The model's name, e.g. « OpenFisca-France »."""

    @property
    def version(self) -> str:
        """The model's exact version."""

    @property
    def modelled_rights(self) -> frozenset[str]:
        """The catalogue slugs this engine estimates."""

    def legislation_date(self, month: date) -> date:
        """The day whose legislation a computation for ``month`` applies."""

    def estimate(
        self,
        situation: Situation,
        month: date,
        slugs: Collection[str],
        *,
        insee_code: str | None,
    ) -> Mapping[str, Estimate]:
        """Estimate ``slugs`` (a subset of `modelled_rights`) for ``month`` (its first day),
        the household living in the commune ``insee_code`` when known."""
