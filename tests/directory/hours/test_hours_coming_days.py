"""The next seven days in words, today first: what a partner's page highlights."""

from __future__ import annotations

from datetime import UTC, date, datetime

from directory.hours import Closure, OpeningSchedule, coming_days

WEEKDAYS = "Mo-Fr 08:30-12:00,13:30-17:00; PH off"


def test_today_comes_first_and_christmas_is_said_closed() -> None:
    schedule = OpeningSchedule(WEEKDAYS, "62", ())
    days = coming_days(schedule, datetime(2026, 12, 22, 10, 0, tzinfo=UTC))
    assert [d.is_today for d in days] == [True] + [False] * 6
    assert days[0].label == "mardi 22 décembre"
    assert days[0].text == "8 h 30 – 12 h et 13 h 30 – 17 h"
    assert days[3].text == "Fermé (jour férié : Noël)"
    assert days[4].text == "Fermé"


def test_a_dated_closure_gives_its_reason() -> None:
    closure = Closure(date(2026, 12, 23), date(2026, 12, 23), "inventaire", None)
    schedule = OpeningSchedule(WEEKDAYS, "31", (closure,))
    days = coming_days(schedule, datetime(2026, 12, 22, 10, 0, tzinfo=UTC))
    assert days[1].text == "Fermé (inventaire)"


def test_unknown_hours_are_not_invented() -> None:
    schedule = OpeningSchedule(None, "31", ())
    days = coming_days(schedule, datetime(2026, 12, 22, 10, 0, tzinfo=UTC))
    assert {d.text for d in days} == {"Horaires non renseignés"}
