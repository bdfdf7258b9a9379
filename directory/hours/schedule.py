"""Opening schedule of a place: weekly OSM hours, territorial public holidays and closures.

* Unknown, empty or unparsable weekly hours give the state ``unknown``, never ``closed``.
* Closures entered by a partner override the weekly hours on their dates, from 00:00 to
  24:00 local time: closed all day, or the closure's replacement hours (OSM string, public
  holidays honoured) when it has some. They apply even when the weekly hours are unknown.
  When closures overlap, the one that starts last wins (the first given on a tie).
* Instants are aware datetimes, in any time zone; results are in the place's time zone.
* Searches (next change, next opening) look one year ahead (366 days) and return None
  beyond.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from directory.hours.errors import InvalidClosure, NaiveDateTime
from directory.hours.expression import (
    Expression,
    HolidayBehaviour,
    HoursState,
    Span,
    local_midnight,
    parse_error,
)
from directory.hours.territory import (
    POLYNESIA,
    normalize_departement_code,
    public_holidays,
    timezone_for,
)

SEARCH_HORIZON = timedelta(days=366)
_DAY = timedelta(days=1)
_CHUNK_DAYS = (2, 14, 62)  # evaluate a little first: most answers are found in a few days
_DAYS_KEPT = 3  # local days whose states a schedule keeps (today and its neighbours)


@dataclass(frozen=True)
class Closure:
    """An exceptional closure, or replacement hours, entered by a partner.

    ``ends_on`` is inclusive; ``reason`` is shown to residents. Raises `InvalidClosure`.
    """

    starts_on: date
    ends_on: date
    reason: str
    replacement_hours: str | None = None

    def __post_init__(self) -> None:
        if self.ends_on < self.starts_on:
            raise InvalidClosure("La fin de la fermeture précède son début.")
        if not self.reason.strip():
            raise InvalidClosure("Le motif de la fermeture est obligatoire : il est affiché.")
        if self.replacement_hours is not None:
            if not self.replacement_hours.strip():
                object.__setattr__(self, "replacement_hours", None)
            elif error := parse_error(self.replacement_hours):
                raise InvalidClosure(f"Horaires de remplacement : {error}")

    def covers(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


@dataclass(frozen=True)
class HoursInterval:
    """A period of constant state, in the place's local time (``ends_at`` excluded)."""

    starts_at: datetime
    ends_at: datetime
    state: HoursState
    comment: str | None = None


class _TerritoryHolidays:
    """Public holidays of a département, as a container of dates."""

    def __init__(self, departement_code: str) -> None:
        self._departement_code = departement_code

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and day in public_holidays(self._departement_code, day.year)


class OpeningSchedule:
    """When a place is open: ``OpeningSchedule("Mo-Fr 09:00-12:00; PH off", "62")``.

    ``insee_code`` is only needed in French Polynesia (three time zones).
    """

    def __init__(
        self,
        osm_hours: str | None,
        departement_code: str,
        closures: Sequence[Closure] = (),
        *,
        insee_code: str | None = None,
    ) -> None:
        self.departement_code = normalize_departement_code(departement_code)
        self.timezone: ZoneInfo = timezone_for(self.departement_code, insee_code)
        text = (osm_hours or "").strip()
        self.osm_hours = text or None
        self.hours_error: str | None = None if text else "Horaires non renseignés."
        self._expression: Expression | None = None
        if text:
            try:
                self._expression = Expression(text, self.timezone)
            except ValueError as exc:
                self.hours_error = str(exc)
        self.closures = tuple(closures)
        self._replacements = {
            closure.replacement_hours: Expression(closure.replacement_hours, self.timezone)
            for closure in self.closures
            if closure.replacement_hours is not None
        }
        self._holidays = _TerritoryHolidays(self.departement_code)
        self._days: dict[date, tuple[list[float], list[Span]]] = {}

    def __repr__(self) -> str:
        return f"OpeningSchedule({self.osm_hours!r}, {self.departement_code!r})"

    @property
    def has_hours(self) -> bool:
        """True when the weekly hours are known (present and parsable)."""
        return self._expression is not None

    @property
    def expression(self) -> Expression | None:
        return self._expression

    def holiday_name(self, day: date) -> str | None:
        """French name of the public holiday on ``day`` in this territory, if any."""
        return public_holidays(self.departement_code, day.year).get(day)

    def holiday_behaviour(self, year: int) -> HolidayBehaviour | None:
        return None if self._expression is None else self._expression.holiday_behaviour(year)

    def closure_on(self, day: date) -> Closure | None:
        covering = [closure for closure in self.closures if closure.covers(day)]
        return max(covering, key=lambda closure: closure.starts_on, default=None)

    def current_closure(self, at: datetime) -> Closure | None:
        return self.closure_on(self.local(at).date())

    def local(self, at: datetime) -> datetime:
        """``at`` in the place's time zone; raises `NaiveDateTime` for a naive datetime."""
        if at.tzinfo is None or at.utcoffset() is None:
            raise NaiveDateTime("Instant sans fuseau horaire : impossible de le situer.")
        return at.astimezone(self.timezone)

    def utc(self, at: datetime) -> datetime:
        """``at`` in UTC, where adding a duration is safe (local wall-clock arithmetic ignores
        the DST fold); raises `NaiveDateTime`."""
        return self.local(at).astimezone(UTC)

    def state_at(self, at: datetime) -> HoursState:
        return self.period_at(at)[2]

    def period_at(self, at: datetime) -> tuple[float, float, HoursState]:
        """The state at ``at`` and the period it holds for, as POSIX timestamps (from,
        until): until the next change, or the end of the local day if sooner."""
        local = self.local(at)
        starts, spans = self._day_states(local.date())
        index = bisect_right(starts, local.timestamp()) - 1
        until = starts[index + 1] if index + 1 < len(starts) else spans[index].ends_at.timestamp()
        return starts[index], until, spans[index].state

    def _day_states(self, day: date) -> tuple[list[float], list[Span]]:
        """The merged spans of a whole local day (and their starts as POSIX timestamps),
        computed once: a search asks whether hundreds of places are open now, again at
        every request of the day.

        Kept for a few days only, replaced as a whole (requests share a schedule across
        threads: a reader sees the old dictionary or the new one, never half of one).
        """
        known = self._days.get(day)
        if known is None:
            spans = list(
                self._spans(
                    local_midnight(day, self.timezone), local_midnight(day + _DAY, self.timezone)
                )
            )
            known = ([span.starts_at.timestamp() for span in spans], spans)
            recent = sorted(self._days.items(), key=lambda item: abs((item[0] - day).days))
            self._days = dict([(day, known), *recent[: _DAYS_KEPT - 1]])
        return known

    def is_open(self, at: datetime) -> bool | None:
        """True/False, or None when the state is unknown."""
        state = self.state_at(at)
        return None if state == HoursState.UNKNOWN else state == HoursState.OPEN

    def next_change(self, at: datetime) -> datetime | None:
        """First instant after ``at`` where the state differs from the state at ``at``."""
        current: HoursState | None = None
        instant = self.utc(at)
        for span in self._spans(instant, instant + SEARCH_HORIZON):
            if current is None:
                current = span.state
            elif span.state != current:
                return span.starts_at.astimezone(self.timezone)
        return None

    def next_opening(self, at: datetime) -> datetime | None:
        """Earliest instant from ``at`` on where the place is open (``at`` itself when open)."""
        instant = self.utc(at)
        for span in self._spans(instant, instant + SEARCH_HORIZON):
            if span.state == HoursState.OPEN:
                return span.starts_at.astimezone(self.timezone)
        return None

    def intervals(self, start: datetime, end: datetime) -> Iterator[HoursInterval]:
        """Periods of constant state covering ``[start, end)``, in local time."""
        for span in self._spans(start, end):
            yield HoursInterval(
                span.starts_at.astimezone(self.timezone),
                span.ends_at.astimezone(self.timezone),
                span.state,
                span.comment,
            )

    def _spans(self, start: datetime, end: datetime) -> Iterator[Span]:
        """Merged spans clipped to ``[start, end)``, bounds in UTC."""
        start_utc, end_utc = self.utc(start), self.utc(end)
        pending: Span | None = None
        for span in self._covering(self._day_spans(start_utc, end_utc), start_utc, end_utc):
            if pending is None:
                pending = span
            elif (pending.state, pending.comment) == (span.state, span.comment):
                pending = Span(pending.starts_at, span.ends_at, span.state, span.comment)
            else:
                yield pending
                pending = span
        if pending is not None:
            yield pending

    @staticmethod
    def _covering(spans: Iterator[Span], start_utc: datetime, end_utc: datetime) -> Iterator[Span]:
        """Clip to ``[start, end)``; any hole the library would leave is unknown."""
        cursor = start_utc
        for span in spans:
            opens, closes = max(span.starts_at, cursor), min(span.ends_at, end_utc)
            if closes <= opens:
                continue
            if opens > cursor:
                yield Span(cursor, opens, HoursState.UNKNOWN)
            yield Span(opens, closes, span.state, span.comment)
            cursor = closes
        if cursor < end_utc:
            yield Span(cursor, end_utc, HoursState.UNKNOWN)

    def _day_spans(self, start_utc: datetime, end_utc: datetime) -> Iterator[Span]:
        """Unclipped spans of whole local days, evaluated chunk by chunk, lazily."""
        day = start_utc.astimezone(self.timezone).date()
        last_day = end_utc.astimezone(self.timezone).date()
        chunks = iter(_CHUNK_DAYS)
        while day <= last_day:
            chunk_end = min(day + timedelta(days=next(chunks, _CHUNK_DAYS[-1])), last_day + _DAY)
            while day < chunk_end:
                closure = self.closure_on(day)
                run_end = day + _DAY
                while run_end < chunk_end and self.closure_on(run_end) is closure:
                    run_end += _DAY
                yield from self._source_spans(closure, day, run_end)
                day = run_end

    def _source_spans(
        self, closure: Closure | None, first_day: date, end_day: date
    ) -> Iterator[Span]:
        expression = self._expression
        if closure is not None:
            if closure.replacement_hours is None:
                yield self._whole_days(first_day, end_day, HoursState.CLOSED)
                return
            expression = self._replacements[closure.replacement_hours]
        if expression is None:
            yield self._whole_days(first_day, end_day, HoursState.UNKNOWN)
        else:
            yield from expression.spans(first_day, end_day, self._holidays)

    def _whole_days(self, first_day: date, end_day: date, state: HoursState) -> Span:
        return Span(
            local_midnight(first_day, self.timezone).astimezone(UTC),
            local_midnight(end_day, self.timezone).astimezone(UTC),
            state,
        )


def schedule_for(
    osm_hours: str | None,
    departement_code: str,
    closures: Sequence[Closure] = (),
    *,
    insee_code: str | None = None,
) -> OpeningSchedule:
    """The `OpeningSchedule` of these hours, built once and shared by every caller.

    Many partners have the same weekly hours: the search, the orientation and the API ask
    for the same schedules again and again. The commune only matters in French Polynesia;
    elsewhere it is left out so that the partners of a territory share one schedule. Raises
    what `OpeningSchedule` raises (unknown territory, commune missing in Polynesia).
    """
    insee = insee_code if departement_code == POLYNESIA else None
    return _cached_schedule(osm_hours, departement_code, tuple(closures), insee)


@lru_cache(maxsize=8192)
def _cached_schedule(
    osm_hours: str | None, departement_code: str, closures: tuple[Closure, ...], insee: str | None
) -> OpeningSchedule:
    return OpeningSchedule(osm_hours, departement_code, closures, insee_code=insee)
