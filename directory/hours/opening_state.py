"""What a schedule says at an instant (open or not, in words, next opening), computed once
per schedule and minute and shared by the ranking of an orientation and the documents of
the API and the pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from directory.hours.rendering import describe_status
from directory.hours.schedule import OpeningSchedule


@dataclass(frozen=True)
class OpeningState:
    status: str
    """In words, e.g. « Ouvert maintenant, jusqu'à 17 h »."""
    is_open: bool | None
    """None when the hours do not say (unknown or « à confirmer »)."""
    next_opening: datetime | None


def opening_state(schedule: OpeningSchedule, at: datetime) -> OpeningState:
    """The state at ``at``, shared by every caller within the same minute.

    Opening hours (OSM) and closures change state only on whole minutes, so every instant
    of a minute has the same answer: truncating ``at`` is exact, and lets partners with the
    same hours, and requests of the same minute, share the work (schedules are cached, so
    they compare by identity).
    """
    return _state_at_minute(schedule, at.replace(second=0, microsecond=0))


@lru_cache(maxsize=16384)
def _state_at_minute(schedule: OpeningSchedule, minute: datetime) -> OpeningState:
    return OpeningState(
        status=describe_status(schedule, minute),
        is_open=schedule.is_open(minute),
        next_opening=schedule.next_opening(minute),
    )
