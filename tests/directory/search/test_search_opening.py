"""« Open at this instant » for search candidates: a state is shared by the requests of
the period it holds for, never beyond it (earlier or later instants, the next day)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from directory.search.opening import OpeningChecker
from directory.search.protocol import Payload

PARIS = ZoneInfo("Europe/Paris")


def _payload(partner_id: int, hours: str | None) -> Payload:
    return Payload(partner_id, "Lieu", "mairie", "62041", "62", hours, ())


def test_every_instant_of_a_minute_gets_the_answer_of_that_minute() -> None:
    hours = "Mo-Fr 09:00-12:00"
    assert OpeningChecker(None, datetime(2026, 6, 2, 11, 59, 0, tzinfo=PARIS)).is_open(
        _payload(1, hours)
    )
    assert OpeningChecker(None, datetime(2026, 6, 2, 11, 59, 59, 999, tzinfo=PARIS)).is_open(
        _payload(2, hours)
    )
    assert not OpeningChecker(None, datetime(2026, 6, 2, 12, 0, 0, tzinfo=PARIS)).is_open(
        _payload(3, hours)
    )
    assert OpeningChecker(None, datetime(2026, 6, 2, 11, 59, 30, tzinfo=PARIS)).is_open(
        _payload(4, hours)
    )


def test_a_state_kept_from_one_day_is_not_used_on_another() -> None:
    hours = "Mo 09:00-12:00; Tu 14:00-17:00"
    monday_evening = datetime(2026, 6, 1, 20, 0, tzinfo=PARIS)
    assert OpeningChecker(None, monday_evening).is_open(_payload(1, hours)) is False
    assert OpeningChecker(None, datetime(2026, 6, 1, 10, 0, tzinfo=PARIS)).is_open(
        _payload(2, hours)
    )
    assert not OpeningChecker(None, datetime(2026, 6, 2, 10, 0, tzinfo=PARIS)).is_open(
        _payload(3, hours)
    )
    assert OpeningChecker(None, datetime(2026, 6, 2, 14, 0, tzinfo=PARIS)).is_open(
        _payload(4, hours)
    )


def test_the_same_hours_elsewhere_or_unknown_are_not_confused() -> None:
    at = datetime(2026, 5, 14, 10, 0, tzinfo=PARIS)  # Ascension day: a public holiday
    checker = OpeningChecker(None, at)
    assert checker.is_open(_payload(1, "Mo-Fr 09:00-12:00; PH off")) is False
    assert checker.is_open(_payload(2, "Mo-Fr 09:00-12:00")) is True
    assert checker.is_open(_payload(3, None)) is None
    assert checker.is_open(_payload(4, "pas des horaires")) is None
    reunion = Payload(5, "Lieu", "mairie", "97411", "974", "Mo-Fr 09:00-12:00", ())
    assert checker.is_open(reunion) is False  # 12:00 in Réunion
