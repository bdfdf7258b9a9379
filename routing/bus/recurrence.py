"""Recurrence rules of the bus des droits: RFC 5545 RRULE on dates, a wall-clock time window,
and the route's public-holiday rule. Pure functions: no database.

A rule such as ``FREQ=MONTHLY;BYDAY=2TU,4TU`` (« les 2e et 4e mardis ») is expanded by
python-dateutil on *dates*; each date then gets the window (9 h – 12 h) in the stop's time
zone, so a visit keeps its wall-clock time across daylight-saving changes. A date that
falls on a public holiday of the stop's département is dropped (kept as a cancelled visit
saying why), moved to the previous or next working day, or kept, as the route says.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

from routing.bus.models import (
    HOLIDAY_KEEP,
    HOLIDAY_NEXT_WORKING_DAY,
    HOLIDAY_PREVIOUS_WORKING_DAY,
    HOLIDAY_RULES,
    HOLIDAY_SKIP,
)
from routing.errors import InvalidBusSchedule

ALLOWED_PARTS = frozenset(
    {"FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "BYMONTH", "BYWEEKNO",
     "BYYEARDAY", "BYSETPOS", "WKST"}
)  # fmt: skip
"""Time-of-day parts (BYHOUR…) are refused: the time window says when the bus is there."""
ALLOWED_FREQUENCIES = frozenset({"DAILY", "WEEKLY", "MONTHLY", "YEARLY"})
MAX_RULE_LENGTH = 300
MAX_WORKING_DAY_SEARCH = 10
_PART = re.compile(r"^[A-Z]+=[A-Z0-9,+\-]+$")
_UNTIL = re.compile(r"^(\d{8})(T\d{6}Z?)?$")

HolidayCalendar = Callable[[int], Mapping[date, str]]
"""Public holidays of one year (date → French name), for the stop's département."""


def normalise_rule(text: str) -> str:
    """The RRULE value, checked and in canonical form, or `InvalidBusSchedule` in French.

    Accepts an optional ``RRULE:`` prefix; an ``UNTIL`` with a time keeps only its date
    (the rule works on dates; the last date is included).
    """
    value = text.strip()
    if value.upper().startswith("RRULE:"):
        value = value[len("RRULE:") :]
    value = value.upper()
    if not value:
        raise _invalid("La règle de récurrence est vide.")
    if len(value) > MAX_RULE_LENGTH or any(ch in value for ch in "\r\n\x00"):
        raise _invalid("La règle de récurrence doit tenir sur une ligne (300 caractères au plus).")
    parts: dict[str, str] = {}
    for part in value.split(";"):
        if not _PART.match(part):
            raise _invalid(f"Élément de règle illisible : « {part} ».")
        key, item = part.split("=", 1)
        if key not in ALLOWED_PARTS:
            raise _invalid(
                f"« {key} » n'est pas accepté : la plage horaire dit à quelle heure le bus "
                "passe, la règle ne donne que les jours."
            )
        if key in parts:
            raise _invalid(f"« {key} » apparaît deux fois.")
        parts[key] = item
    if parts.get("FREQ") not in ALLOWED_FREQUENCIES:
        raise _invalid("FREQ doit valoir DAILY, WEEKLY, MONTHLY ou YEARLY.")
    if "COUNT" in parts and "UNTIL" in parts:
        raise _invalid("COUNT et UNTIL ne peuvent pas être utilisés ensemble.")
    if "UNTIL" in parts:
        match = _UNTIL.match(parts["UNTIL"])
        if match is None:
            raise _invalid("UNTIL doit être une date AAAAMMJJ.")
        parts["UNTIL"] = f"{match.group(1)}T235959"
    canonical = ";".join(f"{key}={item}" for key, item in parts.items())
    try:
        rrulestr(canonical, dtstart=datetime(2000, 1, 1))  # noqa: DTZ001 (dates only)
    except (ValueError, TypeError) as exc:
        raise _invalid(f"Règle de récurrence invalide : {exc}.") from exc
    return canonical


def _invalid(message: str) -> InvalidBusSchedule:
    return InvalidBusSchedule(message, {"rule": [message]})


@dataclass(frozen=True)
class RecurrenceRule:
    """What a :class:`~routing.bus.models.BusSchedule` says, as plain values."""

    rule: str
    starts_on: date
    ends_on: date | None
    start_time: time
    end_time: time

    def __post_init__(self) -> None:
        if self.end_time <= self.start_time:
            message = "L'heure de fin doit être après l'heure de début."
            raise InvalidBusSchedule(message, {"end_time": [message]})
        if self.ends_on is not None and self.ends_on < self.starts_on:
            message = "La date de fin doit être après la date de début."
            raise InvalidBusSchedule(message, {"ends_on": [message]})


@dataclass(frozen=True)
class Occurrence:
    """One date given by a rule, and the visit it makes after the holiday rule."""

    occurrence_on: date
    """The date the rule gives (the key that makes regeneration keep the same visit)."""
    day: date
    """The visit's day: the same date, or the working day it was moved to."""
    starts_at: datetime
    ends_at: datetime
    holiday_name: str | None = None
    is_cancelled: bool = False

    @property
    def change_reason(self) -> str | None:
        if self.holiday_name is None:
            return None
        if self.is_cancelled:
            return f"Jour férié ({self.holiday_name}) : pas de passage."
        if self.day != self.occurrence_on:
            return (
                f"Jour férié ({self.holiday_name}) le {self.occurrence_on:%d/%m/%Y} : "
                f"passage déplacé au {self.day:%d/%m/%Y}."
            )
        return None


def local_window(day: date, start: time, end: time, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The window of a day in UTC. A wall-clock time in a spring-forward gap moves forward."""
    return (
        datetime.combine(day, start, tzinfo=zone).astimezone(UTC),
        datetime.combine(day, end, tzinfo=zone).astimezone(UTC),
    )


def is_working_day(day: date, holidays: HolidayCalendar) -> bool:
    """Monday to Friday, and not a public holiday (jour ouvré)."""
    return day.weekday() < 5 and day not in holidays(day.year)


def _working_day(day: date, step: int, holidays: HolidayCalendar) -> date:
    candidate = day
    for _ in range(MAX_WORKING_DAY_SEARCH):
        candidate += timedelta(days=step)
        if is_working_day(candidate, holidays):
            return candidate
    return candidate  # pragma: no cover - ten days without a working day never happens


def list_occurrences(
    rule: RecurrenceRule,
    *,
    first_day: date,
    last_day: date,
    zone: ZoneInfo,
    holidays: HolidayCalendar,
    holiday_rule: str,
) -> list[Occurrence]:
    """The rule's dates between ``first_day`` and ``last_day`` (inclusive), as visits."""
    if holiday_rule not in HOLIDAY_RULES:
        message = f"Règle des jours fériés inconnue : « {holiday_rule} »."
        raise InvalidBusSchedule(message, {"holiday_rule": [message]})
    last = min(last_day, rule.ends_on) if rule.ends_on is not None else last_day
    first = max(first_day, rule.starts_on)
    if last < first:
        return []
    recurrence = rrulestr(
        rule.rule,
        dtstart=datetime.combine(rule.starts_on, time()),
    )
    occurrences = []
    for moment in recurrence.between(
        datetime.combine(first, time()),
        datetime.combine(last, time()),
        inc=True,
    ):
        occurrence_on = moment.date()
        holiday = holidays(occurrence_on.year).get(occurrence_on)
        day, cancelled = occurrence_on, False
        if holiday is not None:
            if holiday_rule == HOLIDAY_SKIP:
                cancelled = True
            elif holiday_rule == HOLIDAY_NEXT_WORKING_DAY:
                day = _working_day(occurrence_on, 1, holidays)
            elif holiday_rule == HOLIDAY_PREVIOUS_WORKING_DAY:
                day = _working_day(occurrence_on, -1, holidays)
            else:
                assert holiday_rule == HOLIDAY_KEEP
        starts_at, ends_at = local_window(day, rule.start_time, rule.end_time, zone)
        occurrences.append(
            Occurrence(
                occurrence_on=occurrence_on,
                day=day,
                starts_at=starts_at,
                ends_at=ends_at,
                holiday_name=holiday if holiday_rule != HOLIDAY_KEEP else None,
                is_cancelled=cancelled,
            )
        )
    return occurrences
