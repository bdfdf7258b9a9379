"""How current a partner's information is: its date and its confirmation state.

``verified_at`` is the day the information was last known true: the source's own date for
an imported row (the Annuaire export of 2017, the France services list of 2024…), or the
day a person confirmed the record (`directory.upkeep.confirm_partner`). From it and the
configured age (`ConfirmationPolicy`, a value given by the caller — the web settings'
``PARTNER_MAX_AGE_MONTHS``), a partner is:

* « confirmé » when a person confirmed it (``verified_at`` later than the source's date)
  within that age;
* « à jour » when its source is that recent and nobody confirmed it yet;
* « à confirmer » otherwise: older than that age, or without any date. Such a partner is
  hidden from the public search by default, never ranked above a current one for the same
  help, and always shown with a warning.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

DEFAULT_MAX_AGE_MONTHS = 24


class ConfirmationState(enum.StrEnum):
    CONFIRMED = "confirme"
    CURRENT = "a-jour"
    TO_CONFIRM = "a-confirmer"


CONFIRMATION_LABELS = {
    ConfirmationState.CONFIRMED: "Confirmé",
    ConfirmationState.CURRENT: "À jour",
    ConfirmationState.TO_CONFIRM: "À confirmer",
}


@dataclass(frozen=True)
class ConfirmationPolicy:
    """Information older than ``max_age_months`` must be confirmed by a person."""

    max_age_months: int = DEFAULT_MAX_AGE_MONTHS

    def __post_init__(self) -> None:
        if self.max_age_months < 1:
            raise ValueError("max_age_months must be at least 1")

    def oldest_current_date(self, today: date) -> date:
        """The oldest ``verified_at`` still current on ``today`` (same day, months before)."""
        months = today.year * 12 + today.month - 1 - self.max_age_months
        year, month = divmod(months, 12)
        day = today.day
        while True:
            try:
                return date(year, month + 1, day)
            except ValueError:  # 29-31 in a shorter month: its last day
                day -= 1

    def state(
        self, verified_at: date | None, source_date: date | None, today: date
    ) -> ConfirmationState:
        if verified_at is None or verified_at < self.oldest_current_date(today):
            return ConfirmationState.TO_CONFIRM
        if is_confirmed_by_a_person(verified_at, source_date):
            return ConfirmationState.CONFIRMED
        return ConfirmationState.CURRENT

    def is_current(self, verified_at: date | None, today: date) -> bool:
        return verified_at is not None and verified_at >= self.oldest_current_date(today)


def is_confirmed_by_a_person(verified_at: date | None, source_date: date | None) -> bool:
    """A person confirmed the record after the source's date (or it has no source date)."""
    return verified_at is not None and (source_date is None or verified_at > source_date)


def staleness_warning(state: ConfirmationState, verified_at: date | None) -> str | None:
    """The sentence shown with a partner « à confirmer » (None for a current one)."""
    if state is not ConfirmationState.TO_CONFIRM:
        return None
    if verified_at is None:
        return "Informations sans date, à vérifier par téléphone avant de vous déplacer"
    return f"Informations de {verified_at.year}, à vérifier par téléphone avant de vous déplacer"
