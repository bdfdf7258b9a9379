"""Plain weeks (weekdays, times, public holidays only) are read from a few weeks and one or
two years of holidays instead of 52 weeks and five years: the wording must not change."""

from __future__ import annotations

from datetime import date

import pytest

from directory.hours import expression as expression_module
from directory.hours import rendering
from directory.hours.expression import is_plain_week
from directory.hours.schedule import schedule_for

PLAIN = [
    "Mo-Fr 08:30-12:00,13:30-17:00; PH off",
    "Mo,We,Fr 09:00-12:00; Tu 14:00-17:00",
    "Mo-Sa 09:00-12:00; PH 10:00-11:00",
    "Mo,PH 09:00-12:00; Tu-Fr 14:00-17:00",
    'Mo-Fr 09:00-12:00 "sur rendez-vous l\'après-midi"; Sa off',
    "Tu-Sa 22:00-02:00",
]
NOT_PLAIN = [
    "Jul-Aug Mo-Fr 09:00-12:00",
    "week 1-53/2 Mo 09:00-12:00",
    "Mo[1] 09:00-12:00",
    "Mo-Fr sunrise-sunset",
    "2026 Dec 24 off; Mo-Fr 09:00-12:00",
    "SH off; Mo-Fr 09:00-12:00",
    "easter off; Mo-Fr 09:00-12:00",
]


@pytest.mark.parametrize("osm", PLAIN)
def test_plain_weeks_are_recognised(osm: str) -> None:
    assert is_plain_week(osm)


@pytest.mark.parametrize("osm", NOT_PLAIN)
def test_hours_that_change_over_the_year_are_not_plain(osm: str) -> None:
    assert not is_plain_week(osm)


@pytest.mark.parametrize("osm", PLAIN)
@pytest.mark.parametrize("day", [date(2026, 12, 3), date(2027, 3, 24), date(2027, 10, 27)])
def test_the_short_reading_says_what_the_full_reading_says(
    osm: str, day: date, monkeypatch: pytest.MonkeyPatch
) -> None:
    short = rendering.weekly_lines(schedule_for(osm, "62", ()), day)
    rendering._regular_week.cache_clear()
    monkeypatch.setattr(expression_module, "is_plain_week", lambda _osm: False)
    monkeypatch.setattr(rendering, "is_plain_week", lambda _osm: False)
    full_schedule = schedule_for(osm + " ", "62", ())  # another text: another cached schedule
    assert rendering.weekly_lines(full_schedule, day) == short
    rendering._regular_week.cache_clear()
