"""Public holidays: the `holidays` package is the reference, opening-hours-py evaluates.

These tests also pin the measurements behind the decision documented in
``directory/hours/expression.py``: if an upgrade of either library changes them, they fail.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import holidays
import pytest

from directory.hours import (
    AmbiguousTimeZone,
    HoursState,
    OpeningSchedule,
    UnknownTerritory,
    holiday_subdivision,
    public_holidays,
    timezone_for,
)
from directory.hours.expression import library_holidays

PARIS = ZoneInfo("Europe/Paris")


def test_library_national_calendar_is_the_reference_one_except_whit_monday_2005_2007() -> None:
    # Whit Monday was not a public holiday from 2005 to 2007 (journée de solidarité law).
    whit_mondays = {2005: date(2005, 5, 16), 2006: date(2006, 6, 5), 2007: date(2007, 5, 28)}
    for year in range(2000, 2077):
        reference = set(holidays.France(years=year))
        extra = {whit_mondays[year]} if year in whit_mondays else set()
        assert library_holidays(year) == reference | extra, year


def test_whit_monday_2005_is_an_ordinary_day_as_the_reference_says() -> None:
    schedule = OpeningSchedule("Mo-Fr 09:00-12:00; PH off", "62")
    whit_monday_2005 = datetime(2005, 5, 16, 10, 0, tzinfo=PARIS)
    assert whit_monday_2005.date() in library_holidays(2005)
    assert schedule.holiday_name(whit_monday_2005.date()) is None
    assert schedule.is_open(whit_monday_2005) is True
    assert schedule.is_open(datetime(2005, 5, 1, 10, 0, tzinfo=PARIS)) is False  # a Sunday
    assert schedule.is_open(datetime(2005, 7, 14, 10, 0, tzinfo=PARIS)) is False


def test_library_calendar_stops_after_2076() -> None:
    assert library_holidays(2077) == frozenset()


def test_library_ignores_regional_holidays_that_the_reference_knows() -> None:
    good_friday, saint_stephen = date(2024, 3, 29), date(2024, 12, 26)
    assert good_friday in public_holidays("57", 2024)
    assert saint_stephen in public_holidays("67", 2024)
    assert good_friday not in library_holidays(2024)
    assert saint_stephen not in library_holidays(2024)


@pytest.mark.parametrize(
    ("departement", "subdivision"),
    [("62", None), ("2A", None), ("57", "57"), ("67", "6AE"), ("68", "6AE"), ("971", "971"),
     ("974", "974"), ("975", "PM"), ("976", "976"), ("977", "BL"), ("978", "MF"),
     ("986", "WF"), ("987", "PF"), ("988", "NC")],
)  # fmt: skip
def test_departement_is_mapped_to_its_holiday_subdivision(
    departement: str, subdivision: str | None
) -> None:
    assert holiday_subdivision(departement) == subdivision


@pytest.mark.parametrize(
    ("departement", "zone"),
    [("59", "Europe/Paris"), ("2b", "Europe/Paris"), ("971", "America/Guadeloupe"),
     ("972", "America/Martinique"), ("973", "America/Cayenne"), ("974", "Indian/Reunion"),
     ("975", "America/Miquelon"), ("976", "Indian/Mayotte"), ("977", "America/St_Barthelemy"),
     ("978", "America/Marigot"), ("986", "Pacific/Wallis"), ("988", "Pacific/Noumea")],
)  # fmt: skip
def test_departement_is_mapped_to_its_time_zone(departement: str, zone: str) -> None:
    assert timezone_for(departement) == ZoneInfo(zone)


def test_polynesian_time_zone_depends_on_the_commune() -> None:
    assert timezone_for("987", "98735") == ZoneInfo("Pacific/Tahiti")  # Papeete
    assert timezone_for("987", "98723") == ZoneInfo("Pacific/Marquesas")  # Hiva-Oa
    assert timezone_for("987", "98719") == ZoneInfo("Pacific/Gambier")
    with pytest.raises(AmbiguousTimeZone):
        timezone_for("987")
    with pytest.raises(AmbiguousTimeZone):
        timezone_for("987", "75056")


@pytest.mark.parametrize("code", ["20", "99", "984", "989", "", "ABC"])
def test_unknown_or_uninhabited_territories_are_refused(code: str) -> None:
    with pytest.raises(UnknownTerritory):
        timezone_for(code)


def test_whit_monday_is_a_public_holiday_in_the_reference_calendar() -> None:
    assert public_holidays("62", 2025)[date(2025, 6, 9)] == "Lundi de Pentecôte"


def test_mayotte_abolition_day_is_a_holiday_there() -> None:
    assert public_holidays("976", 2024)[date(2024, 4, 27)] == "Abolition de l'esclavage"
    assert date(2024, 4, 27) not in public_holidays("974", 2024)


def test_holiday_hours_apply_on_a_regional_holiday() -> None:
    schedule = OpeningSchedule("Mo-Sa 09:00-18:00; PH 10:00-12:00", "57")
    good_friday = date(2024, 3, 29)
    assert schedule.is_open(datetime(2024, 3, 29, 11, 0, tzinfo=PARIS)) is True
    assert schedule.is_open(datetime(2024, 3, 29, 13, 0, tzinfo=PARIS)) is False
    assert schedule.holiday_name(good_friday) == "Vendredi saint"


def test_weekday_dependent_holiday_rule_makes_a_regional_holiday_unknown() -> None:
    # PH first, overridden by Mo-Sa: a holiday on Sunday gets 10-12, on Friday 09-18.
    hours = "PH 10:00-12:00; Mo-Sa 09:00-18:00"
    friday = datetime(2024, 3, 29, 15, 0, tzinfo=PARIS)
    assert OpeningSchedule(hours, "57").state_at(friday) == HoursState.UNKNOWN
    assert OpeningSchedule(hours, "62").state_at(friday) == HoursState.OPEN


def test_hours_without_holiday_rule_ignore_regional_holidays() -> None:
    schedule = OpeningSchedule("Mo-Fr 09:00-12:00", "57")
    assert schedule.is_open(datetime(2024, 3, 29, 10, 0, tzinfo=PARIS)) is True


def test_holiday_rule_that_nothing_overrides_closes_even_on_a_weekend_holiday() -> None:
    schedule = OpeningSchedule("Mo-Su 09:00-18:00; PH off", "68")
    saint_stephen_2026 = datetime(2026, 12, 26, 10, 0, tzinfo=PARIS)  # a Saturday
    assert saint_stephen_2026.weekday() == 5
    assert schedule.is_open(saint_stephen_2026) is False


def test_national_holiday_beyond_the_library_calendar_is_still_closed() -> None:
    may_first_2080 = datetime(2080, 5, 1, 10, 0, tzinfo=PARIS)
    assert may_first_2080.weekday() < 5
    schedule = OpeningSchedule("Mo-Fr 09:00-12:00; PH off", "62")
    assert schedule.is_open(may_first_2080) is False
    assert schedule.is_open(datetime(2080, 5, 2, 10, 0, tzinfo=PARIS)) is True


def test_holiday_behaviour_is_learnt_from_the_national_holidays() -> None:
    closed = OpeningSchedule("Mo-Fr 09:00-12:00; PH off", "62").holiday_behaviour(2024)
    assert closed is not None and closed.changes_hours
    assert closed.pattern is not None and [s.state for s in closed.pattern] == [HoursState.CLOSED]
    unchanged = OpeningSchedule("Mo-Fr 09:00-12:00", "62").holiday_behaviour(2024)
    assert unchanged is not None and not unchanged.changes_hours
    assert OpeningSchedule(None, "62").holiday_behaviour(2024) is None
