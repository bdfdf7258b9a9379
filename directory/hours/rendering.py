"""French wording of opening hours for residents and professionals.

``describe_hours`` summarises the regular week ("Du lundi au vendredi : 8 h 30 – 12 h et
13 h 30 – 17 h · Fermé les jours fériés"); ``describe_status`` says what holds at an instant
("Ouvert maintenant, jusqu'à 17 h", "Fermé. Prochaine ouverture lundi 8 h 30"). The week is
read from opening-hours-py's own evaluation of 52 weeks: when the weeks differ (seasonal
hours, week numbers…), the week of the reference day is shown under "Horaires variables".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from directory.hours.expression import DayPattern, DaySlot, Expression, HoursState, is_weekly
from directory.hours.schedule import SEARCH_HORIZON, OpeningSchedule

UNKNOWN_HOURS = "Horaires non renseignés"
SEPARATOR = " · "
TODAY = "aujourd'hui"
DAY_NAMES = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTH_NAMES = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip
_FULL_DAY = 24 * 60
_WEEKS_COMPARED = 52
_WEEKS_OF_A_WEEKLY_RULE = 2

Week = tuple[tuple[DaySlot, ...], ...]  # seven days, Monday first, closed slots left out


def format_time(minute: int) -> str:
    """``510`` → ``"8 h 30"``, ``720`` → ``"12 h"``, ``1440`` → ``"minuit"``."""
    if minute >= _FULL_DAY:
        return "minuit"
    hours, minutes = divmod(minute, 60)
    return f"{hours} h {minutes:02d}" if minutes else f"{hours} h"


def format_day(day: date, *, with_weekday: bool = True) -> str:
    text = f"{day.day} {MONTH_NAMES[day.month - 1]}"
    return f"{DAY_NAMES[day.weekday()]} {text}" if with_weekday else text


def describe_hours(schedule: OpeningSchedule, reference_day: date) -> str:
    """One-line French summary of the regular hours around ``reference_day``."""
    return SEPARATOR.join(weekly_lines(schedule, reference_day))


def weekly_lines(schedule: OpeningSchedule, reference_day: date) -> list[str]:
    """The summary of `describe_hours`, one item per line."""
    if schedule.expression is None:
        return [UNKNOWN_HOURS]
    monday = reference_day - timedelta(days=reference_day.weekday())
    week = _regular_week(schedule.expression.osm, schedule.timezone.key, monday)
    if week is None:
        patterns = schedule.expression.day_patterns(monday, monday + timedelta(days=7))
        lines = _week_lines(_open_slots(patterns))
        lines[0] = f"Semaine du {format_day(monday, with_weekday=False)} : {lines[0]}"
        lines.insert(0, "Horaires variables selon la période")
    else:
        lines = _week_lines(week)
    behaviour = schedule.expression.holiday_behaviour(reference_day.year)
    if behaviour.changes_hours:
        if behaviour.pattern is None:
            lines.append("Horaires particuliers les jours fériés")
        elif slots := _open_slots([behaviour.pattern])[0]:
            lines.append(f"Jours fériés : {_slots_text(slots)}")
        else:
            lines.append("Fermé les jours fériés")
    return lines


def describe_status(schedule: OpeningSchedule, at: datetime) -> str:
    """What holds at ``at``, e.g. ``"Fermé. Prochaine ouverture lundi 8 h 30"``."""
    now, instant = schedule.local(at), schedule.utc(at)
    current = next(schedule.intervals(instant, instant + timedelta(minutes=1)))
    closure = schedule.current_closure(at)
    if current.state == HoursState.OPEN:
        text = "Ouvert maintenant"
        change = schedule.next_change(at)
        if change is not None:
            text += f", jusqu'à {_until(change, now)}"
        if current.comment:
            text += f" ({current.comment})"
        if closure is not None:
            text += f" (horaires exceptionnels : {closure.reason})"
        return text
    holiday = schedule.holiday_name(now.date())
    if current.state == HoursState.UNKNOWN:
        if not schedule.has_hours and closure is None:
            return UNKNOWN_HOURS
        text = (
            f"Ouverture à confirmer : {current.comment}"
            if current.comment
            else ("Ouverture à confirmer")
        )
        return f"Jour férié ({holiday}). {text}" if holiday else text
    if closure is not None and closure.replacement_hours is None:
        head = f"Fermé aujourd'hui : {closure.reason}"
    elif closure is not None:
        head = f"Fermé (horaires exceptionnels : {closure.reason})"
    elif holiday and not _opens_on(schedule, now):
        head = f"Fermé (jour férié : {holiday})"
    else:
        head = "Fermé"
    opening = schedule.next_opening(at)
    if opening is not None:
        day_part, clock = _moment(opening, now)
        return f"{head}. Prochaine ouverture {day_part or TODAY} {clock}"
    ahead = schedule.intervals(instant, instant + SEARCH_HORIZON)
    if any(interval.state == HoursState.UNKNOWN for interval in ahead):
        return f"{head}. Prochaine ouverture non connue"
    return f"{head}. Aucune ouverture prévue dans les douze prochains mois"


def _opens_on(schedule: OpeningSchedule, now: datetime) -> bool:
    midnight = datetime.combine(now.date(), time(0), tzinfo=schedule.timezone)
    next_midnight = datetime.combine(
        now.date() + timedelta(days=1), time(0), tzinfo=midnight.tzinfo
    )
    intervals = schedule.intervals(midnight, next_midnight)
    return any(interval.state == HoursState.OPEN for interval in intervals)


def _moment(moment: datetime, now: datetime) -> tuple[str, str]:
    """(day part, clock): ``("", "17 h")`` today, ``("demain", "8 h 30")``, ``("lundi", …)``."""
    clock = format_time(moment.hour * 60 + moment.minute)
    days = (moment.date() - now.date()).days
    if days == 0:
        return "", clock
    if days == 1:
        return "demain", clock
    if days < 7:
        return DAY_NAMES[moment.weekday()], clock
    text = format_day(moment.date())
    return (f"{text} {moment.year}" if moment.year != now.year else text), clock


def _until(moment: datetime, now: datetime) -> str:
    if moment.time() == time(0) and (moment.date() - now.date()).days == 1:
        return "minuit"
    day_part, clock = _moment(moment, now)
    return f"{day_part} {clock}" if day_part else clock


@lru_cache(maxsize=4096)
def _regular_week(osm: str, zone_key: str, monday: date) -> Week | None:
    """The week every week repeats over a year from ``monday``, or None if weeks differ."""
    zone = ZoneInfo(zone_key)
    expression = Expression(osm, zone)
    # Hours that depend on the weekday alone repeat every week: two weeks are enough (the
    # second fills the day a clock change leaves out of the first). Others are compared
    # over a year (a rule by month or by date).
    weeks = _WEEKS_OF_A_WEEKLY_RULE if is_weekly(osm) else _WEEKS_COMPARED
    patterns = expression.day_patterns(monday, monday + timedelta(weeks=weeks))
    week: list[DayPattern | None] = [None] * 7
    changes = _clock_change_days(zone_key, monday.year) | _clock_change_days(
        zone_key, monday.year + 1
    )
    for offset, pattern in enumerate(patterns):
        day = monday + timedelta(days=offset)
        if day in changes:
            continue
        if week[day.weekday()] is None:
            week[day.weekday()] = pattern
        elif week[day.weekday()] != pattern:
            return None
    return _open_slots([pattern or () for pattern in week])


@lru_cache(maxsize=64)
def _clock_change_days(zone_key: str, year: int) -> frozenset[date]:
    zone = ZoneInfo(zone_key)
    day, days = date(year, 1, 1), set()
    offset = datetime.combine(day, time(0), tzinfo=zone).utcoffset()
    while day.year == year:
        day += timedelta(days=1)
        next_offset = datetime.combine(day, time(0), tzinfo=zone).utcoffset()
        if next_offset != offset:
            days.add(day - timedelta(days=1))
        offset = next_offset
    return frozenset(days)


def _open_slots(patterns: list[DayPattern]) -> Week:
    return tuple(
        tuple(slot for slot in pattern if slot.state != HoursState.CLOSED) for pattern in patterns
    )


def _week_lines(week: Week) -> list[str]:
    days = [list(slots) for slots in _join_overnight(week)]
    groups: dict[tuple[DaySlot, ...], list[int]] = {}
    for weekday, day_slots in enumerate(days):
        if day_slots:
            groups.setdefault(tuple(day_slots), []).append(weekday)
    if not groups:
        return ["Pas d'ouverture régulière"]
    lines = []
    for slots, weekdays in groups.items():
        label = _days_label(weekdays)
        lines.append(f"{label[0].upper()}{label[1:]} : {_slots_text(slots)}")
    return lines


def _join_overnight(week: Week) -> Week:
    """Show ``Fr 20:00-02:00`` as "vendredi : 20 h – 2 h", not as two pieces."""
    days = [list(slots) for slots in week]
    for weekday in range(7):
        following = days[(weekday + 1) % 7]
        if not days[weekday] or not following:
            continue
        last, first = days[weekday][-1], following[0]
        if (
            last.end_minute == _FULL_DAY
            and last.start_minute > 0
            and first.start_minute == 0
            and first.end_minute < _FULL_DAY
            and (last.state, last.comment) == (first.state, first.comment)
        ):
            days[weekday][-1] = DaySlot(
                last.start_minute, _FULL_DAY + first.end_minute, last.state, last.comment
            )
            following.pop(0)
    return tuple(tuple(slots) for slots in days)


def _days_label(weekdays: list[int]) -> str:
    if len(weekdays) == 7:
        return "tous les jours"
    runs: list[list[int]] = []
    for weekday in weekdays:
        if runs and runs[-1][-1] == weekday - 1:
            runs[-1].append(weekday)
        else:
            runs.append([weekday])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"du {DAY_NAMES[run[0]]} au {DAY_NAMES[run[-1]]}")
        else:
            parts.extend(DAY_NAMES[weekday] for weekday in run)
    return ", ".join(parts)


def _slots_text(slots: tuple[DaySlot, ...]) -> str:
    texts = [_slot_text(slot) for slot in slots]
    return texts[0] if len(texts) == 1 else f"{', '.join(texts[:-1])} et {texts[-1]}"


def _slot_text(slot: DaySlot) -> str:
    if slot.start_minute == 0 and slot.end_minute == _FULL_DAY:
        if slot.state == HoursState.UNKNOWN:
            return slot.comment or "horaires à confirmer"
        text = "24 h/24"
    else:
        end = slot.end_minute - _FULL_DAY if slot.end_minute > _FULL_DAY else slot.end_minute
        text = f"{format_time(slot.start_minute)} – {format_time(end)}"
    if slot.comment:
        return f"{text} ({slot.comment})"
    return f"{text} (à confirmer)" if slot.state == HoursState.UNKNOWN else text


@dataclass(frozen=True)
class DayHours:
    """What one calendar day holds, in words: « 8 h 30 – 12 h et 13 h 30 – 17 h »."""

    day: date
    label: str  # « jeudi 3 décembre »
    text: str
    is_today: bool


def coming_days(schedule: OpeningSchedule, at: datetime, count: int = 7) -> list[DayHours]:
    """The ``count`` days from today, each with its real hours (public holidays and dated
    closures included), for a page that highlights today."""
    today = schedule.local(at).date()
    days = []
    for offset in range(count):
        day = today + timedelta(days=offset)
        days.append(DayHours(day, format_day(day), _day_text(schedule, day), is_today=offset == 0))
    return days


def _day_text(schedule: OpeningSchedule, day: date) -> str:
    if schedule.expression is None and not schedule.closures:
        return UNKNOWN_HOURS
    start = datetime.combine(day, time(0), tzinfo=schedule.timezone)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=schedule.timezone)
    pieces = []
    has_unknown = False
    for interval in schedule.intervals(start, end):
        if interval.state == HoursState.CLOSED:
            continue
        if interval.state == HoursState.UNKNOWN:
            has_unknown = True
            continue
        first = interval.starts_at.astimezone(schedule.timezone)
        last = interval.ends_at.astimezone(schedule.timezone)
        end_minute = 24 * 60 if last.date() > day else last.hour * 60 + last.minute
        text = f"{format_time(first.hour * 60 + first.minute)} – {format_time(end_minute)}"
        pieces.append(f"{text} ({interval.comment})" if interval.comment else text)
    if pieces:
        return pieces[0] if len(pieces) == 1 else f"{', '.join(pieces[:-1])} et {pieces[-1]}"
    closure = next((c for c in schedule.closures if c.starts_on <= day <= c.ends_on), None)
    if closure is not None:
        return f"Fermé ({closure.reason})"
    holiday = schedule.holiday_name(day)
    if holiday:
        return f"Fermé (jour férié : {holiday})"
    return "Horaires non connus" if has_unknown else "Fermé"
