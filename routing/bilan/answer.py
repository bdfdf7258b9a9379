"""What a bilan answers: for each right of the catalogue, how likely it is, the estimated
amount, why, what is uncertain, the documents to bring and where to go (frozen results).

Texts meant for people are French; stored values (``Basis``) are ASCII codes.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime

from routing.bilan.engine import AmountPeriod
from routing.orientation import OrientationResult, ResolvedPlace, RightOrientation

FRENCH_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def french_date(day: date) -> str:
    """« 1er décembre 2026 », « 15 mars 2025 »."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {FRENCH_MONTHS[day.month - 1]} {day.year}"


def euros(amount: float) -> str:
    """« 1 043,60 € » (French spacing and decimal comma)."""
    text = f"{amount:,.2f}".replace(",", " ").replace(".", ",")
    return f"{text.removesuffix(',00')} €"


class Basis(enum.StrEnum):
    """Where a right's verdict comes from."""

    ENGINE = "engine"
    """Computed by the tax-benefit engine from the answers."""
    MISSING_ANSWERS = "missing-answers"
    """Modelled by the engine, but an answer it needs was « je ne sais pas »."""
    CATALOGUE = "catalogue"
    """Not modelled: the catalogue's conditions, to be checked by the person."""


BASIS_LABELS = {
    Basis.ENGINE: "Calculé",
    Basis.MISSING_ANSWERS: "Non calculé : il manque des réponses",
    Basis.CATALOGUE: "Non calculé : conditions à vérifier",
}


@dataclass(frozen=True)
class RightAssessment:
    """One right of the catalogue for this household.

    ``likely`` is True (probably entitled), False (probably not, today) or None (cannot
    tell: not computed, or depends on something the engine cannot know). ``amount_eur`` is
    the estimate per ``amount_period`` when the engine computed one. ``orientation`` says
    where to go near the place, for the rights that are likely or possible.
    """

    slug: str
    name: str
    short_name: str
    likely: bool | None
    amount_eur: float | None
    amount_period: AmountPeriod
    basis: Basis
    reasons: tuple[str, ...]
    uncertain: tuple[str, ...]
    documents: tuple[str, ...]
    orientation: RightOrientation | None = None


@dataclass(frozen=True)
class Bilan:
    """The whole answer; nothing of it is stored."""

    rights: tuple[RightAssessment, ...]
    at: datetime
    month: date
    legislation_date: date
    engine_name: str
    engine_version: str
    place: ResolvedPlace | None
    orientation: OrientationResult | None
    notices: tuple[str, ...] = ()

    @property
    def engine_label(self) -> str:
        return f"{self.engine_name} {self.engine_version}"

    @property
    def disclaimer(self) -> str:
        return (
            f"Calcul indicatif, basé sur la législation au {french_date(self.legislation_date)} "
            f"({self.engine_label})."
        )
