"""Property-based tests: OSM round trip against a plain model, and robustness to any text."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from directory.hours import (
    HoursState,
    OpeningSchedule,
    TimeSlot,
    convert_france_services_hours,
    convert_mairie_hours,
    describe_hours,
    describe_status,
    format_weekly_osm,
    parse_error,
    public_holidays,
)

Week = list[list[TimeSlot]]
DEPARTEMENTS = ("62", "57", "974", "971", "2A")
FRANCE_SERVICES_COLUMNS = ("h_lundi", "h_mardi", "h_mercredi", "h_jeudi", "h_vendredi", "h_samedi")


@st.composite
def day_slots(draw: st.DrawFn) -> list[TimeSlot]:
    """Sorted slots of one day, separated by at least a minute (touching slots would merge)."""
    bounds = draw(st.lists(st.integers(0, 24 * 12), unique=True, max_size=6).map(sorted))
    bounds = [bound * 5 for bound in bounds[: len(bounds) // 2 * 2]]
    return [(bounds[i], bounds[i + 1]) for i in range(0, len(bounds), 2)]


weeks = st.lists(day_slots(), min_size=7, max_size=7).filter(any)
instants = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2026, 12, 31), timezones=st.just(UTC)
)


def is_ambiguous(local: datetime) -> bool:
    return local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset()


@settings(max_examples=300, deadline=None)
@given(week=weeks, at=instants, departement=st.sampled_from(DEPARTEMENTS), ph_off=st.booleans())
def test_weekly_osm_round_trip_agrees_with_a_plain_model(
    week: Week, at: datetime, departement: str, ph_off: bool
) -> None:
    osm = format_weekly_osm(week, closed_on_holidays=ph_off)
    assert parse_error(osm) is None
    schedule = OpeningSchedule(osm, departement)
    local = at.astimezone(schedule.timezone)
    assume(not is_ambiguous(local))  # the repeated autumn hour: see the DST tests
    minute = local.hour * 60 + local.minute
    in_a_slot = any(start <= minute < end for start, end in week[local.weekday()])
    is_holiday = local.date() in public_holidays(departement, local.year)
    expected = in_a_slot and not (ph_off and is_holiday)
    assert schedule.state_at(at) == (HoursState.OPEN if expected else HoursState.CLOSED)


@settings(max_examples=150, deadline=None)
@given(week=weeks, monday=st.dates(date(2024, 1, 1), date(2030, 12, 31)))
def test_weekly_osm_parses_back_to_the_same_week(week: Week, monday: date) -> None:
    monday -= timedelta(days=monday.weekday())
    schedule = OpeningSchedule(format_weekly_osm(week), "62")
    midnights = [datetime.combine(monday, time(0), tzinfo=schedule.timezone) + timedelta(days=i)
                 for i in (0, 7)]  # fmt: skip
    assume(midnights[0].utcoffset() == midnights[1].utcoffset())  # clock changes: DST tests
    assert schedule.expression is not None
    patterns = schedule.expression.day_patterns(monday, monday + timedelta(days=7))
    parsed = [
        [(slot.start_minute, slot.end_minute) for slot in pattern if slot.state == HoursState.OPEN]
        for pattern in patterns
    ]
    assert parsed == week
    assert describe_hours(schedule, monday).endswith("Fermé les jours fériés")


@settings(max_examples=150, deadline=None)
@given(week=weeks, at=instants)
def test_next_change_and_next_opening_are_consistent(week: Week, at: datetime) -> None:
    schedule = OpeningSchedule(format_weekly_osm(week), "62")
    state = schedule.state_at(at)
    change = schedule.next_change(at)
    assert change is not None and change > at
    assert schedule.state_at(change) != state
    assert schedule.state_at(change.astimezone(UTC) - timedelta(seconds=1)) == state
    opening = schedule.next_opening(at)
    assert opening is not None and schedule.state_at(opening) == HoursState.OPEN
    assert (opening == at) == (state == HoursState.OPEN)
    assert describe_status(schedule, at)


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=80), at=instants)
def test_any_text_as_osm_hours_never_raises(text: str, at: datetime) -> None:
    error = parse_error(text)
    schedule = OpeningSchedule(text, "62")
    assert (error is None) == schedule.has_hours
    state = schedule.state_at(at)
    if error is not None:
        assert state == HoursState.UNKNOWN
    assert describe_status(schedule, at)
    assert describe_hours(schedule, at.date())


osm_like = st.text(alphabet='MoTuWeFrSaSuPH0123456789:-,; "offunknown/+', max_size=40)


@settings(max_examples=300, deadline=None)
@given(text=osm_like, at=instants)
def test_osm_like_text_never_raises(text: str, at: datetime) -> None:
    schedule = OpeningSchedule(text, "974")
    schedule.state_at(at)
    schedule.next_change(at)
    describe_hours(schedule, at.date())


cell_text = st.one_of(
    st.text(max_size=60),
    st.lists(
        st.builds(
            "{:02d}:{:02d} - {:02d}:{:02d}".format,
            st.integers(0, 30), st.integers(0, 70), st.integers(0, 30), st.integers(0, 70),
        ),
        max_size=4,
    ).map(" / ".join),
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(row=st.dictionaries(st.sampled_from(FRANCE_SERVICES_COLUMNS), cell_text))
def test_france_services_converter_never_raises(row: dict[str, str]) -> None:
    conversion = convert_france_services_hours(row)
    assert (conversion.osm is None) != (conversion.error is None)
    if conversion.osm is not None:
        assert parse_error(conversion.osm) is None


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12)
    | st.sampled_from(["lundi", "vendredi", "dimanche", "09:00:00", "12:00:00", "24:00:00"]),
    lambda children: st.lists(children, max_size=4),
    max_leaves=20,
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(raw=st.one_of(st.text(max_size=60), json_values.map(json.dumps)))
def test_mairie_converter_never_raises(raw: str) -> None:
    conversion = convert_mairie_hours(raw)
    assert (conversion.osm is None) != (conversion.error is None)
    if conversion.osm is not None:
        assert parse_error(conversion.osm) is None


def test_deeply_nested_json_is_rejected_not_crashing() -> None:
    assert convert_mairie_hours("[" * 100_000).error == "horaires illisibles (JSON invalide)"
