"""Evaluation of OpenStreetMap ``opening_hours`` expressions, wrapping opening-hours-py.

We never parse the OSM syntax ourselves: every evaluation is done by opening-hours-py.

Public holidays (``PH``) — decision
-----------------------------------
opening-hours-py 1.4 applies ``PH`` rules only when it is given a country. With
``country="FR"`` its calendar is the *national* French one: measured identical to
``holidays.France()`` for every year from 2000 to 2076 except 2005-2007, where it still
counts Whit Monday (not a public holiday in those years), and empty outside 2000-2076. It
knows no subdivision (``FR-57`` or ``RE`` are refused), so Good Friday and 26 December in
Alsace-Moselle or the abolition-of-slavery days overseas are ordinary days for it, and its
Python API cannot be handed another calendar.

The `holidays` package is the reference (see ``territory.py``). Each expression is compiled
twice, with the national calendar and without any calendar, and evaluated day by day:

* reference and library agree about the day (nearly every day, holidays included): the
  library's own evaluation with the national calendar, exact, midnight spill-over included;
* the library sees a holiday the reference does not: the evaluation without calendar;
* the reference has a holiday the library ignores (regional days; national days outside
  2000-2076): the behaviour of the expression on public holidays is learnt from the national
  holidays of the five surrounding years, each evaluated by the library itself:

  - PH changes nothing on any of them: the day is evaluated as an ordinary day;
  - all of them get the same day (``PH off``: closed all day; ``PH 10:00-12:00``…): that
    day is applied;
  - otherwise (the holiday hours depend on the weekday, the month…): the day is *unknown*.
    Nothing is guessed. Known limit: ``PH +1 day`` style offsets around regional holidays.

Other guard: the library treats a comment-only rule (``Tu "sur rendez-vous"``) as open around
the clock. Every whole local day (00:00-24:00) of an open period that carries a comment is
reported as unknown, so that we never announce "ouvert" on the strength of a comment.
Closed periods carry no comment (the library leaves the comment of an overridden rule on
them).
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import TypeAlias
from zoneinfo import ZoneInfo

import opening_hours
from opening_hours import OpeningHours, State

# The stub of opening-hours-py 1.4 omits its parse error class.
ParserError: type[Exception] = opening_hours.ParserError  # type: ignore[attr-defined]
_LIBRARY_COUNTRY = "FR"
_MINUTES_PER_DAY = 24 * 60
_SAMPLE_YEARS = 5
_ERROR_POSITION = re.compile(r"-->\s*(\d+):(\d+)")
OSM_EXAMPLE = "Mo-Fr 09:00-12:00,14:00-17:00; PH off"
# Selectors whose answer depends on the date, not only on the weekday and the clock: years,
# months and dates, week numbers, the n-th weekday of a month (« Mo[1] »), Easter, school
# holidays, times that follow the sun, and comments (kept whole, to be safe).
_DATE_DEPENDENT = re.compile(
    r"[0-9]{4}|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|week|\[|easter|SH"
    r"|sunrise|sunset|dawn|dusk|\""
)
_PUBLIC_HOLIDAY = re.compile(r"\bPH\b")


def is_weekly(osm: str) -> bool:
    """True when every week has the same hours (public holidays aside): only weekdays and
    times. All the 6 522 distinct expressions of the national directory are (2026-12)."""
    return _DATE_DEPENDENT.search(osm) is None


def mentions_public_holidays(osm: str) -> bool:
    """False when no rule says « PH »: public holidays are then ordinary days."""
    return _PUBLIC_HOLIDAY.search(osm) is not None


class HoursState(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    UNKNOWN = "unknown"


_STATES = {State.OPEN: HoursState.OPEN, State.CLOSED: HoursState.CLOSED}


@dataclass(frozen=True)
class Span:
    """A period of constant state; bounds are UTC so that comparisons ignore DST folds."""

    starts_at: datetime
    ends_at: datetime
    state: HoursState
    comment: str | None = None


@dataclass(frozen=True)
class DaySlot:
    """A period of one local day, in minutes since midnight (``end_minute`` up to 1440)."""

    start_minute: int
    end_minute: int
    state: HoursState
    comment: str | None = None


DayPattern: TypeAlias = tuple[DaySlot, ...]
_Period: TypeAlias = tuple[datetime, datetime, HoursState, str | None]  # local bounds


@dataclass(frozen=True)
class HolidayBehaviour:
    """What an expression does on public holidays, learnt from the national ones."""

    changes_hours: bool
    pattern: DayPattern | None = None  # the day every holiday gets, when it is always the same


def parse_error(osm: str) -> str | None:
    """French explanation of why ``osm`` is not a usable opening-hours string, or None."""
    text = osm.strip()
    if not text:
        return "Les horaires sont vides."
    try:
        OpeningHours(text)
    except (ParserError, ValueError) as exc:
        where = ""
        match = _ERROR_POSITION.search(str(exc))
        if match and match.group(1) == "1":
            column = int(match.group(2))
            where = f" près de « {text[column - 1 : column + 14]} » (caractère {column})"
        return (
            f"Horaires illisibles{where} : utilisez le format OpenStreetMap, "
            f"par exemple « {OSM_EXAMPLE} »."
        )
    return None


def local_midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone)


@lru_cache(maxsize=256)
def library_holidays(year: int) -> frozenset[date]:
    """The days opening-hours-py treats as ``PH`` with ``country="FR"``."""
    calendar = OpeningHours("PH", timezone=ZoneInfo("UTC"), country=_LIBRARY_COUNTRY)
    start = datetime(year, 1, 1, tzinfo=ZoneInfo("UTC"))
    days: set[date] = set()
    for opens, closes, state, _ in calendar.intervals(start, start.replace(year=year + 1)):
        day = opens.date()
        while state == State.OPEN and day < closes.date():
            days.add(day)
            day += timedelta(days=1)
    return frozenset(days)


@lru_cache(maxsize=1)
def _library_years() -> tuple[int, int]:
    years = [year for year in range(1950, 2151) if library_holidays(year)]
    return min(years), max(years)


class Expression:
    """One valid OSM expression evaluated in one time zone (see the module docstring)."""

    def __init__(self, osm: str, zone: ZoneInfo) -> None:
        """Raise `ValueError` when ``osm`` does not parse (check `parse_error` first)."""
        try:
            self._with_holidays = OpeningHours(osm, timezone=zone, country=_LIBRARY_COUNTRY)
            self._without_holidays = OpeningHours(osm, timezone=zone)
        except ParserError as exc:
            raise ValueError(parse_error(osm) or str(exc)) from exc
        self.osm = osm
        self.zone = zone
        self._behaviours: dict[int, HolidayBehaviour] = {}

    def spans(self, first_day: date, end_day: date, holidays: Container[date]) -> Iterator[Span]:
        """Spans covering local days ``[first_day, end_day)``; ``holidays`` is the reference."""
        day = first_day
        while day < end_day:
            is_holiday = day in holidays
            if is_holiday == (day in library_holidays(day.year)):
                run_end = day + timedelta(days=1)
                while run_end < end_day and (run_end in holidays) == (
                    run_end in library_holidays(run_end.year)
                ):
                    run_end += timedelta(days=1)
                yield from self._library_spans(self._with_holidays, day, run_end)
                day = run_end
                continue
            if is_holiday:
                yield from self._holiday_spans(day)
            else:
                yield from self._library_spans(self._without_holidays, day, day + timedelta(1))
            day += timedelta(days=1)

    def day_patterns(self, first_day: date, end_day: date) -> list[DayPattern]:
        """Wall-clock pattern of each day, ignoring public holidays (used for rendering)."""
        patterns: list[list[DaySlot]] = [[] for _ in range((end_day - first_day).days)]
        for period in self._periods(self._without_holidays, first_day, end_day):
            for index, slot in _split_by_day(period, first_day):
                if 0 <= index < len(patterns):
                    patterns[index].append(slot)
        return [tuple(slots) for slots in patterns]

    def holiday_behaviour(self, year: int) -> HolidayBehaviour:
        if not mentions_public_holidays(self.osm):  # nothing to learn
            return HolidayBehaviour(changes_hours=False)
        if year not in self._behaviours:
            self._behaviours[year] = self._learn_holiday_behaviour(year)
        return self._behaviours[year]

    def _learn_holiday_behaviour(self, year: int) -> HolidayBehaviour:
        first_year, last_year = _library_years()
        start = min(max(year - _SAMPLE_YEARS // 2, first_year), last_year - _SAMPLE_YEARS + 1)
        samples = sorted(
            day for sample_year in range(start, start + _SAMPLE_YEARS)
            for day in library_holidays(sample_year)
        )  # fmt: skip
        if is_weekly(self.osm):
            samples = self._one_per_weekday(samples)
        on_holidays = [self._pattern(self._with_holidays, day) for day in samples]
        ordinary = [self._pattern(self._without_holidays, day) for day in samples]
        if on_holidays == ordinary:
            return HolidayBehaviour(changes_hours=False)
        if all(pattern == on_holidays[0] for pattern in on_holidays):
            return HolidayBehaviour(changes_hours=True, pattern=on_holidays[0])
        return HolidayBehaviour(changes_hours=True)

    def _one_per_weekday(self, days: list[date]) -> list[date]:
        """For a weekly rule a holiday's hours depend on its weekday only: the first holiday
        of each weekday gives the same verdict as all of them, which is 8 times cheaper.
        Days of a clock change (shorter or longer) are kept, each of them."""
        kept: list[date] = []
        weekdays: set[int] = set()
        for day in days:
            changes_clock = (
                local_midnight(day, self.zone).utcoffset()
                != local_midnight(day + timedelta(days=1), self.zone).utcoffset()
            )
            if changes_clock:
                kept.append(day)
            elif day.weekday() not in weekdays:
                weekdays.add(day.weekday())
                kept.append(day)
        return kept

    def _holiday_spans(self, day: date) -> Iterator[Span]:
        behaviour = self.holiday_behaviour(day.year)
        if not behaviour.changes_hours:
            yield from self._library_spans(self._without_holidays, day, day + timedelta(1))
        elif behaviour.pattern is None:
            yield Span(
                local_midnight(day, self.zone).astimezone(UTC),
                local_midnight(day + timedelta(days=1), self.zone).astimezone(UTC),
                HoursState.UNKNOWN,
            )
        else:
            yield from _apply_pattern(behaviour.pattern, day, self.zone)

    def _pattern(self, evaluator: OpeningHours, day: date) -> DayPattern:
        periods = self._periods(evaluator, day, day + timedelta(days=1))
        return tuple(slot for period in periods for _, slot in _split_by_day(period, day))

    def _library_spans(self, evaluator: OpeningHours, first_day: date, end_day: date) -> list[Span]:
        return [
            Span(opens.astimezone(UTC), closes.astimezone(UTC), state, comment)
            for opens, closes, state, comment in self._periods(evaluator, first_day, end_day)
        ]

    def _periods(self, evaluator: OpeningHours, first_day: date, end_day: date) -> list[_Period]:
        """The library's periods over whole local days, bounds in local time."""
        start = local_midnight(first_day, self.zone)
        end = local_midnight(end_day, self.zone)
        periods = []
        for opens, closes, library_state, comments in evaluator.intervals(start, end):
            state = _STATES.get(library_state, HoursState.UNKNOWN)
            # the library leaves the comment of an overridden rule on closed days
            comment = None if state == HoursState.CLOSED else " ; ".join(comments) or None
            if state == HoursState.OPEN and comment:
                periods.extend(self._bare_comment_days(opens, closes, comment))
            else:
                periods.append((opens, closes, state, comment))
        return periods

    def _bare_comment_days(self, opens: datetime, closes: datetime, comment: str) -> list[_Period]:
        """Whole local days of an open period with a comment become unknown (day by day, so
        that the answer does not depend on the window asked)."""
        pieces: list[_Period] = []
        while opens.astimezone(UTC) < closes.astimezone(UTC):  # UTC: folds compare right
            midnight = local_midnight(opens.date() + timedelta(days=1), self.zone)
            end = closes if closes.astimezone(UTC) < midnight.astimezone(UTC) else midnight
            whole_day = opens.time() == time(0) and end is midnight
            pieces.append(
                (opens, end, HoursState.UNKNOWN if whole_day else HoursState.OPEN, comment)
            )
            opens = end
        return pieces


def _split_by_day(period: _Period, first_day: date) -> Iterator[tuple[int, DaySlot]]:
    """Cut a local period at midnights: (index of the day from ``first_day``, slot)."""
    opens, closes, state, comment = period
    day, last_day = (opens.date() - first_day).days, (closes.date() - first_day).days
    start_minute, end_minute = opens.hour * 60 + opens.minute, closes.hour * 60 + closes.minute
    if end_minute == 0 and last_day > day:  # ends at midnight: the end of the previous day
        last_day, end_minute = last_day - 1, _MINUTES_PER_DAY
    while day < last_day:
        yield day, DaySlot(start_minute, _MINUTES_PER_DAY, state, comment)
        day, start_minute = day + 1, 0
    if end_minute > start_minute:
        yield day, DaySlot(start_minute, end_minute, state, comment)


def _apply_pattern(pattern: DayPattern, day: date, zone: ZoneInfo) -> Iterator[Span]:
    for slot in pattern:
        starts_at = _wall_clock(day, slot.start_minute, zone)
        ends_at = _wall_clock(day, slot.end_minute, zone)
        if ends_at > starts_at:
            yield Span(starts_at, ends_at, slot.state, slot.comment)


def _wall_clock(day: date, minute: int, zone: ZoneInfo) -> datetime:
    if minute >= _MINUTES_PER_DAY:
        return local_midnight(day + timedelta(days=1), zone).astimezone(UTC)
    moment = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=zone)
    return moment.astimezone(UTC)
