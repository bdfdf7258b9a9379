"""Recurrence rules of the bus des droits at frozen dates: daylight-saving changes, public
holidays of each département, overseas time zones, and rules typed by people."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from directory.hours import public_holidays
from routing.bus.models import (
    HOLIDAY_KEEP,
    HOLIDAY_NEXT_WORKING_DAY,
    HOLIDAY_PREVIOUS_WORKING_DAY,
    HOLIDAY_SKIP,
)
from routing.bus.recurrence import RecurrenceRule, list_occurrences, normalise_rule
from routing.errors import InvalidBusSchedule

PARIS = ZoneInfo("Europe/Paris")
REUNION = ZoneInfo("Indian/Reunion")


def holidays_of(departement: str):  # type: ignore[no-untyped-def]
    return lambda year: public_holidays(departement, year)


def occurrences(
    rule: str,
    first: date,
    last: date,
    *,
    holiday_rule: str = HOLIDAY_SKIP,
    departement: str = "62",
    zone: ZoneInfo = PARIS,
    window: tuple[time, time] = (time(9), time(12)),
):  # type: ignore[no-untyped-def]
    return list_occurrences(
        RecurrenceRule(normalise_rule(rule), first, None, *window),
        first_day=first,
        last_day=last,
        zone=zone,
        holidays=holidays_of(departement),
        holiday_rule=holiday_rule,
    )


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_second_and_fourth_tuesdays_keep_nine_oclock_across_the_spring_change() -> None:
    found = occurrences("FREQ=MONTHLY;BYDAY=2TU,4TU", date(2026, 3, 1), date(2026, 4, 30))
    assert [o.day for o in found] == [
        date(2026, 3, 10), date(2026, 3, 24), date(2026, 4, 14), date(2026, 4, 28),
    ]  # fmt: skip
    # Summer time starts on Sunday 29 March 2026: 9 h is 8 h UTC before, 7 h UTC after.
    assert [o.starts_at for o in found] == [
        utc(2026, 3, 10, 8), utc(2026, 3, 24, 8), utc(2026, 4, 14, 7), utc(2026, 4, 28, 7),
    ]  # fmt: skip
    assert {o.ends_at - o.starts_at for o in found} == {timedelta(hours=3)}
    assert {o.starts_at.astimezone(PARIS).time() for o in found} == {time(9)}
    assert {o.ends_at.astimezone(PARIS).time() for o in found} == {time(12)}


def test_the_autumn_change_moves_utc_times_back_by_one_hour() -> None:
    found = occurrences("FREQ=WEEKLY;BYDAY=FR", date(2026, 10, 19), date(2026, 10, 31))
    # Winter time starts on Sunday 25 October 2026.
    assert [o.starts_at for o in found] == [utc(2026, 10, 23, 7), utc(2026, 10, 30, 8)]


def test_a_window_in_the_spring_forward_gap_moves_forward_rather_than_vanishing() -> None:
    found = occurrences(
        "FREQ=DAILY", date(2026, 3, 29), date(2026, 3, 29), window=(time(2, 30), time(4))
    )
    assert [o.starts_at for o in found] == [utc(2026, 3, 29, 1, 30)]  # 03:30 summer time
    assert found[0].ends_at == utc(2026, 3, 29, 2)


def test_an_overseas_stop_uses_its_own_time_zone() -> None:
    found = occurrences(
        "FREQ=WEEKLY;BYDAY=WE", date(2026, 7, 1), date(2026, 7, 1),
        departement="974", zone=REUNION,
    )  # fmt: skip
    assert [o.starts_at for o in found] == [utc(2026, 7, 1, 5)]  # UTC+4, no summer time


@pytest.mark.parametrize(
    ("holiday_rule", "day", "cancelled", "reason"),
    [
        (HOLIDAY_SKIP, date(2026, 4, 6), True, "Jour férié (Lundi de Pâques) : pas de passage."),
        (
            HOLIDAY_NEXT_WORKING_DAY,
            date(2026, 4, 7),
            False,
            "Jour férié (Lundi de Pâques) le 06/04/2026 : passage déplacé au 07/04/2026.",
        ),
        (
            HOLIDAY_PREVIOUS_WORKING_DAY,
            date(2026, 4, 3),
            False,
            "Jour férié (Lundi de Pâques) le 06/04/2026 : passage déplacé au 03/04/2026.",
        ),
        (HOLIDAY_KEEP, date(2026, 4, 6), False, None),
    ],
)
def test_easter_monday_follows_the_route_holiday_rule(
    holiday_rule: str, day: date, cancelled: bool, reason: str | None
) -> None:
    found = occurrences(
        "FREQ=WEEKLY;BYDAY=MO", date(2026, 3, 30), date(2026, 4, 13), holiday_rule=holiday_rule
    )
    assert [o.occurrence_on for o in found] == [
        date(2026, 3, 30), date(2026, 4, 6), date(2026, 4, 13),
    ]  # fmt: skip
    easter = found[1]
    assert (easter.day, easter.is_cancelled, easter.change_reason) == (day, cancelled, reason)
    assert easter.starts_at == datetime.combine(day, time(9), tzinfo=PARIS)
    assert found[0].change_reason is None and found[2].change_reason is None


def test_moving_skips_weekends_and_following_holidays() -> None:
    # Friday 1 May 2026 (Fête du Travail) → Monday 4 May; Thursday 14 May (Ascension) → 15.
    fridays = occurrences(
        "FREQ=WEEKLY;BYDAY=FR", date(2026, 5, 1), date(2026, 5, 1),
        holiday_rule=HOLIDAY_NEXT_WORKING_DAY,
    )  # fmt: skip
    assert [o.day for o in fridays] == [date(2026, 5, 4)]
    thursdays = occurrences(
        "FREQ=WEEKLY;BYDAY=TH", date(2026, 5, 14), date(2026, 5, 14),
        holiday_rule=HOLIDAY_NEXT_WORKING_DAY,
    )  # fmt: skip
    assert [o.day for o in thursdays] == [date(2026, 5, 15)]


def test_alsace_moselle_holidays_apply_only_there() -> None:
    # Good Friday (3 April 2026) is a public holiday in Moselle (57), not in Pas-de-Calais.
    rule = "FREQ=WEEKLY;BYDAY=FR"
    moselle = occurrences(rule, date(2026, 4, 3), date(2026, 4, 3), departement="57")
    artois = occurrences(rule, date(2026, 4, 3), date(2026, 4, 3), departement="62")
    assert moselle[0].is_cancelled and "Vendredi saint" in (moselle[0].change_reason or "")
    assert not artois[0].is_cancelled and artois[0].change_reason is None


def test_the_rule_starts_and_ends_where_the_schedule_says() -> None:
    rule = RecurrenceRule(
        normalise_rule("FREQ=WEEKLY;BYDAY=TU"), date(2026, 3, 10), date(2026, 3, 24),
        time(14), time(16, 30),
    )  # fmt: skip
    found = list_occurrences(
        rule, first_day=date(2026, 1, 1), last_day=date(2026, 12, 31), zone=PARIS,
        holidays=holidays_of("62"), holiday_rule=HOLIDAY_SKIP,
    )  # fmt: skip
    assert [o.day for o in found] == [date(2026, 3, 10), date(2026, 3, 17), date(2026, 3, 24)]


def test_count_is_counted_from_the_first_date_of_the_schedule() -> None:
    rule = RecurrenceRule(
        normalise_rule("FREQ=WEEKLY;COUNT=3"), date(2026, 3, 2), None, time(9), time(10)
    )
    found = list_occurrences(
        rule, first_day=date(2026, 3, 10), last_day=date(2026, 12, 31), zone=PARIS,
        holidays=holidays_of("62"), holiday_rule=HOLIDAY_SKIP,
    )  # fmt: skip
    assert [o.day for o in found] == [date(2026, 3, 16)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("RRULE:freq=monthly;byday=2TU,4TU", "FREQ=MONTHLY;BYDAY=2TU,4TU"),
        ("FREQ=WEEKLY;UNTIL=20261231T120000Z", "FREQ=WEEKLY;UNTIL=20261231T235959"),
        (" FREQ=WEEKLY;INTERVAL=2;BYDAY=MO ", "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO"),
    ],
)
def test_rules_are_normalised(text: str, expected: str) -> None:
    assert normalise_rule(text) == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "vide"),
        ("FREQ=HOURLY", "FREQ doit valoir"),
        ("FREQ=WEEKLY;BYHOUR=9", "BYHOUR"),
        ("FREQ=WEEKLY\nDTSTART:20260101", "une ligne"),
        ("DTSTART=20260101;FREQ=DAILY", "DTSTART"),
        ("FREQ=WEEKLY;FREQ=DAILY", "deux fois"),
        ("FREQ=WEEKLY;COUNT=2;UNTIL=20261231", "ensemble"),
        ("FREQ=WEEKLY;BYDAY=XX", "invalide"),
        ("FREQ=WEEKLY;UNTIL=DEMAIN", "AAAAMMJJ"),
        ("every tuesday", "illisible"),
    ],
)
def test_bad_rules_are_refused_in_french(text: str, fragment: str) -> None:
    with pytest.raises(InvalidBusSchedule) as caught:
        normalise_rule(text)
    assert fragment in caught.value.message
    assert caught.value.field_errors == {"rule": [caught.value.message]}


@given(st.text(max_size=80))
def test_any_text_is_either_a_rule_or_a_french_refusal(text: str) -> None:
    try:
        canonical = normalise_rule(text)
    except InvalidBusSchedule:
        return
    assert normalise_rule(canonical) == canonical


def test_end_before_start_is_refused() -> None:
    with pytest.raises(InvalidBusSchedule) as caught:
        RecurrenceRule("FREQ=DAILY", date(2026, 1, 1), None, time(12), time(9))
    assert "end_time" in caught.value.field_errors
