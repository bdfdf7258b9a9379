"""Weekly rules take short cuts (two weeks instead of a year, no holiday learning without
« PH »); these tests check that the short cuts give exactly the long answers."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pytest

from directory.hours import expression, rendering
from directory.hours.expression import Expression, is_weekly, mentions_public_holidays

WEEKLY = (
    "Mo-Fr 09:00-12:00,14:00-17:00; PH off",
    "Mo,We,Fr 08:30-12:00; Tu 13:30-17:30",
    "Mo-Sa 22:00-02:00",  # across midnight
    "Mo-Fr 00:00-24:00",
    "Tu 09:00-12:00; Th 14:00-16:00; PH 10:00-11:00",
    "Mo-Fr 09:00-17:00; Sa 09:00-12:00 || unknown",
)
MONDAYS = (
    date(2026, 3, 23),  # the spring clock change on its Sunday
    date(2026, 10, 19),
    date(2026, 10, 26),  # the autumn change the Sunday before
    date(2026, 12, 28),  # across the new year
    date(2027, 3, 22),
)


@pytest.mark.parametrize("osm", WEEKLY)
@pytest.mark.parametrize("monday", MONDAYS)
@pytest.mark.parametrize("zone", ["Europe/Paris", "America/Cayenne"])
def test_two_weeks_give_the_regular_week_that_a_year_gives(
    osm: str, monday: date, zone: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert is_weekly(osm)
    fast = rendering._regular_week.__wrapped__(osm, zone, monday)
    monkeypatch.setattr(rendering, "_WEEKS_OF_A_WEEKLY_RULE", rendering._WEEKS_COMPARED)
    assert fast == rendering._regular_week.__wrapped__(osm, zone, monday)


@pytest.mark.parametrize(
    "osm",
    [
        "Jan-Mar Mo-Fr 09:00-12:00",
        "Mo[1] 09:00-12:00",
        "week 01-20 Mo 09:00-12:00",
        "2026 Dec 25 off; Mo-Fr 09:00-17:00",
        "Mo-Fr sunrise-sunset",
        "Mo-Fr 09:00-17:00; SH off",
        'Mo-Fr 09:00-12:00 "sauf en août"',
        "easter off; Mo-Fr 09:00-17:00",
    ],
)
def test_rules_that_depend_on_the_date_are_not_weekly(osm: str) -> None:
    assert not is_weekly(osm)


@pytest.mark.parametrize("osm", [w for w in WEEKLY if not mentions_public_holidays(w)])
def test_without_ph_public_holidays_are_ordinary_days(osm: str) -> None:
    expression = Expression(osm, ZoneInfo("Europe/Paris"))
    learned = expression._learn_holiday_behaviour(2026)
    assert learned == expression.holiday_behaviour(2026)
    assert learned.changes_hours is False


def test_ph_is_recognised_as_a_word_only() -> None:
    assert mentions_public_holidays("Mo-Fr 09:00-12:00; PH off")
    assert not mentions_public_holidays('Mo-Fr 09:00-12:00 "GRAPH"')


@pytest.mark.parametrize(
    "osm",
    [
        "Mo-Fr 09:00-12:00,14:00-17:00; PH off",
        "Tu 09:00-12:00; Th 14:00-16:00; PH 10:00-11:00",
        "Mo-Su 00:00-24:00; PH off",  # open across the clock changes
        "Mo-Fr 09:00-17:00; PH Mo 10:00-12:00",
        "Mo-Sa 08:00-12:00; PH Sa off",
    ],
)
@pytest.mark.parametrize("year", [2024, 2026, 2027])
@pytest.mark.parametrize("zone", ["Europe/Paris", "Indian/Reunion"])
def test_one_holiday_per_weekday_gives_the_verdict_of_all_of_them(
    osm: str, year: int, zone: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast = Expression(osm, ZoneInfo(zone))._learn_holiday_behaviour(year)
    monkeypatch.setattr(expression, "is_weekly", lambda osm: False)
    assert fast == Expression(osm, ZoneInfo(zone))._learn_holiday_behaviour(year)
