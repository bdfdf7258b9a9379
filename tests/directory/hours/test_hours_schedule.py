"""Opening schedules evaluated at frozen, explicit instants (never the wall clock)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from directory.hours import (
    AmbiguousTimeZone,
    Closure,
    HoursState,
    InvalidClosure,
    NaiveDateTime,
    OpeningSchedule,
    UnknownTerritory,
)
from directory.hours.schedule import schedule_for

PARIS = ZoneInfo("Europe/Paris")
OFFICE = "Mo-Fr 08:30-12:00,13:30-17:00; PH off"
CHRISTMAS_WEEK = Closure(date(2024, 12, 23), date(2024, 12, 27), "Congés")


def paris(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS)  # type: ignore[misc]


def test_open_on_a_weekday_morning() -> None:
    schedule = OpeningSchedule(OFFICE, "62")
    tuesday = paris(2024, 6, 4, 10, 0)
    assert schedule.state_at(tuesday) == HoursState.OPEN
    assert schedule.is_open(tuesday) is True
    assert schedule.next_change(tuesday) == paris(2024, 6, 4, 12, 0)
    assert schedule.next_opening(tuesday) == tuesday


def test_closed_during_the_lunch_break() -> None:
    schedule = OpeningSchedule(OFFICE, "62")
    lunch = paris(2024, 6, 4, 12, 30)
    assert schedule.is_open(lunch) is False
    assert schedule.next_opening(lunch) == paris(2024, 6, 4, 13, 30)
    assert schedule.next_change(lunch) == paris(2024, 6, 4, 13, 30)


def test_opening_and_closing_instants_are_half_open() -> None:
    schedule = OpeningSchedule(OFFICE, "62")
    assert schedule.is_open(paris(2024, 6, 4, 8, 30)) is True
    assert schedule.is_open(paris(2024, 6, 4, 8, 29)) is False
    assert schedule.is_open(paris(2024, 6, 4, 12, 0)) is False


def test_closed_on_may_first_with_ph_off() -> None:
    schedule = OpeningSchedule(OFFICE, "62")
    may_first = paris(2024, 5, 1, 10, 0)  # a Wednesday
    assert schedule.is_open(may_first) is False
    assert schedule.next_opening(may_first) == paris(2024, 5, 2, 8, 30)


def test_open_on_may_first_when_the_hours_say_nothing_about_holidays() -> None:
    schedule = OpeningSchedule("Mo-Fr 08:30-12:00", "62")
    assert schedule.is_open(paris(2024, 5, 1, 10, 0)) is True


def test_closed_on_whit_monday_which_the_calendar_keeps_as_a_public_holiday() -> None:
    schedule = OpeningSchedule(OFFICE, "62")
    assert schedule.holiday_name(date(2024, 5, 20)) == "Lundi de Pentecôte"
    assert schedule.is_open(paris(2024, 5, 20, 10, 0)) is False
    assert schedule.next_opening(paris(2024, 5, 20, 10, 0)) == paris(2024, 5, 21, 8, 30)


def test_a_partner_working_on_solidarity_day_declares_replacement_hours() -> None:
    solidarity_day = Closure(
        date(2024, 5, 20), date(2024, 5, 20), "Journée de solidarité", "09:00-12:00"
    )
    schedule = OpeningSchedule(OFFICE, "62", [solidarity_day])
    assert schedule.is_open(paris(2024, 5, 20, 10, 0)) is True
    assert schedule.is_open(paris(2024, 5, 20, 14, 0)) is False


@pytest.mark.parametrize("departement", ["57", "67", "68"])
def test_closed_on_good_friday_in_alsace_moselle(departement: str) -> None:
    schedule = OpeningSchedule(OFFICE, departement)
    good_friday = paris(2024, 3, 29, 10, 0)
    assert schedule.is_open(good_friday) is False
    assert schedule.next_opening(good_friday) == paris(2024, 4, 2, 8, 30)  # Easter Monday too


def test_open_on_good_friday_in_pas_de_calais() -> None:
    assert OpeningSchedule(OFFICE, "62").is_open(paris(2024, 3, 29, 10, 0)) is True


def test_closed_on_saint_stephens_day_in_alsace_only() -> None:
    boxing_day = paris(2025, 12, 26, 10, 0)  # a Friday
    assert OpeningSchedule(OFFICE, "68").is_open(boxing_day) is False
    assert OpeningSchedule(OFFICE, "31").is_open(boxing_day) is True


def test_closed_on_sunday() -> None:
    schedule = OpeningSchedule(OFFICE, "62")
    sunday = paris(2024, 6, 9, 10, 0)
    assert schedule.state_at(sunday) == HoursState.CLOSED
    assert schedule.next_opening(sunday) == paris(2024, 6, 10, 8, 30)


def test_closure_spanning_a_weekend() -> None:
    closure = Closure(date(2024, 6, 7), date(2024, 6, 10), "Déménagement")  # Friday → Monday
    schedule = OpeningSchedule(OFFICE, "62", [closure])
    friday = paris(2024, 6, 7, 10, 0)
    assert schedule.is_open(friday) is False
    assert schedule.current_closure(friday) == closure
    assert schedule.current_closure(paris(2024, 6, 9, 23, 59)) == closure
    assert schedule.is_open(paris(2024, 6, 10, 10, 0)) is False
    assert schedule.next_opening(friday) == paris(2024, 6, 11, 8, 30)
    assert schedule.next_change(friday) == paris(2024, 6, 11, 8, 30)
    assert schedule.current_closure(paris(2024, 6, 11, 0, 0)) is None
    assert schedule.is_open(paris(2024, 6, 6, 10, 0)) is True  # the day before


def test_replacement_hours_apply_during_a_closure() -> None:
    closure = Closure(date(2024, 6, 12), date(2024, 6, 14), "Travaux", "Mo-Fr 09:00-11:00")
    schedule = OpeningSchedule(OFFICE, "62", [closure])
    assert schedule.is_open(paris(2024, 6, 12, 10, 0)) is True
    assert schedule.next_change(paris(2024, 6, 12, 10, 0)) == paris(2024, 6, 12, 11, 0)
    assert schedule.is_open(paris(2024, 6, 12, 14, 0)) is False  # usually open
    assert schedule.next_opening(paris(2024, 6, 14, 12, 0)) == paris(2024, 6, 17, 8, 30)
    assert schedule.current_closure(paris(2024, 6, 13, 10, 0)) == closure


def test_the_latest_starting_closure_wins_when_closures_overlap() -> None:
    holidays = Closure(date(2024, 8, 1), date(2024, 8, 31), "Congés d'été")
    duty = Closure(date(2024, 8, 14), date(2024, 8, 14), "Permanence", "10:00-12:00")
    schedule = OpeningSchedule(OFFICE, "62", [duty, holidays])
    assert schedule.is_open(paris(2024, 8, 14, 11, 0)) is True
    assert schedule.is_open(paris(2024, 8, 13, 11, 0)) is False


def test_round_the_clock_hours_stay_open_through_the_spring_clock_change() -> None:
    schedule = OpeningSchedule("Mo-Su 00:00-24:00", "75")
    for hour in (0, 1, 2, 3):  # 01:00 CET, 03:00 CEST…
        instant = datetime(2024, 3, 31, hour, 30, tzinfo=UTC)
        assert schedule.is_open(instant) is True
    assert schedule.next_change(datetime(2024, 3, 31, 0, 30, tzinfo=UTC)) is None


def test_round_the_clock_hours_stay_open_through_the_autumn_clock_change() -> None:
    schedule = OpeningSchedule("24/7", "75")
    for hour in (0, 1, 2):  # 02:30 CEST, 02:30 CET, 03:30 CET
        assert schedule.is_open(datetime(2024, 10, 27, hour, 30, tzinfo=UTC)) is True


def test_night_opening_during_the_spring_clock_change_closes_at_real_2am() -> None:
    schedule = OpeningSchedule("Sa 22:00-02:00", "75")
    assert schedule.is_open(paris(2024, 3, 30, 23, 0)) is True
    # 02:00 CET does not exist: it is 03:00 CEST, four hours after opening.
    assert schedule.next_change(paris(2024, 3, 30, 23, 0)) == paris(2024, 3, 31, 3, 0)
    assert schedule.next_change(paris(2024, 3, 30, 23, 0)) == datetime(
        2024, 3, 31, 1, 0, tzinfo=UTC
    )
    assert schedule.is_open(datetime(2024, 3, 31, 1, 30, tzinfo=UTC)) is False


def test_night_opening_during_the_autumn_clock_change_closes_at_the_second_2am() -> None:
    # 02:00 happens twice; opening-hours-py closes at the second one (02:00 CET).
    schedule = OpeningSchedule("Sa 22:00-02:00", "75")
    assert schedule.is_open(datetime(2024, 10, 27, 0, 30, tzinfo=UTC)) is True  # 02:30 CEST
    closing = schedule.next_change(datetime(2024, 10, 26, 21, 0, tzinfo=UTC))
    assert closing is not None and (closing.hour, closing.fold) == (2, 1)
    # PEP 495: a fold=1 datetime never equals one of another zone, compare in UTC.
    assert closing.astimezone(UTC) == datetime(2024, 10, 27, 1, 0, tzinfo=UTC)
    assert schedule.is_open(datetime(2024, 10, 27, 1, 30, tzinfo=UTC)) is False


def test_daily_hours_last_ten_real_hours_on_clock_change_days() -> None:
    schedule = OpeningSchedule("Mo-Su 08:00-18:00", "75")
    for day in (datetime(2024, 3, 31, tzinfo=UTC), datetime(2024, 10, 27, tzinfo=UTC)):
        open_periods = [
            interval
            for interval in schedule.intervals(day, day + timedelta(days=1))
            if interval.state == HoursState.OPEN
        ]
        assert [i.ends_at - i.starts_at for i in open_periods] == [timedelta(hours=10)]


def test_open_past_midnight_on_friday_night() -> None:
    schedule = OpeningSchedule("Fr 20:00-02:00", "62")
    assert schedule.is_open(paris(2024, 6, 7, 19, 0)) is False
    assert schedule.next_opening(paris(2024, 6, 7, 19, 0)) == paris(2024, 6, 7, 20, 0)
    assert schedule.next_change(paris(2024, 6, 7, 21, 0)) == paris(2024, 6, 8, 2, 0)
    assert schedule.is_open(paris(2024, 6, 8, 1, 0)) is True
    assert schedule.is_open(paris(2024, 6, 8, 2, 30)) is False


def test_reunion_partner_is_evaluated_in_reunion_time() -> None:
    schedule = OpeningSchedule("Mo-Fr 08:00-12:00; PH off", "974")
    nine_in_reunion = datetime(2024, 6, 4, 5, 0, tzinfo=UTC)  # 07:00 in Paris
    assert schedule.is_open(nine_in_reunion) is True
    closing = schedule.next_change(nine_in_reunion)
    assert closing == datetime(2024, 6, 4, 12, 0, tzinfo=ZoneInfo("Indian/Reunion"))
    assert closing is not None and closing.tzinfo == ZoneInfo("Indian/Reunion")


def test_reunion_partner_is_closed_on_abolition_of_slavery_day() -> None:
    reunion = ZoneInfo("Indian/Reunion")
    schedule = OpeningSchedule("Mo-Fr 08:00-12:00; PH off", "974")
    assert schedule.is_open(datetime(2024, 12, 20, 9, 0, tzinfo=reunion)) is False
    assert OpeningSchedule("Mo-Fr 08:00-12:00; PH off", "62").is_open(paris(2024, 12, 20, 9, 0))


def test_guadeloupe_partner_is_closed_on_its_abolition_day_in_local_time() -> None:
    guadeloupe = ZoneInfo("America/Guadeloupe")
    schedule = OpeningSchedule("Mo-Fr 08:00-12:00; PH off", "971")
    abolition = datetime(2024, 5, 27, 9, 0, tzinfo=guadeloupe)  # a Monday
    assert schedule.holiday_name(abolition.date()) == "Abolition de l'esclavage"
    assert schedule.is_open(abolition) is False
    assert schedule.next_opening(abolition) == datetime(2024, 5, 28, 8, 0, tzinfo=guadeloupe)


def test_results_are_in_the_partner_time_zone_whatever_the_input_zone() -> None:
    schedule = OpeningSchedule(OFFICE, "62")
    opening = schedule.next_opening(datetime(2024, 6, 4, 4, 0, tzinfo=UTC))
    assert opening == paris(2024, 6, 4, 8, 30)
    assert opening is not None and opening.tzinfo == PARIS


@pytest.mark.parametrize("hours", [None, "", "   ", "du lundi au vendredi", "Mo-Fr 25:00"])
def test_unknown_hours_are_never_closed(hours: str | None) -> None:
    schedule = OpeningSchedule(hours, "62")
    sunday_night = paris(2024, 6, 9, 23, 0)
    assert schedule.has_hours is False
    assert schedule.state_at(sunday_night) == HoursState.UNKNOWN
    assert schedule.is_open(sunday_night) is None
    assert schedule.next_opening(sunday_night) is None
    assert schedule.next_change(sunday_night) is None


def test_a_closure_is_honoured_even_when_the_weekly_hours_are_unknown() -> None:
    closure = Closure(date(2024, 6, 10), date(2024, 6, 11), "Fermeture exceptionnelle")
    schedule = OpeningSchedule(None, "62", [closure])
    assert schedule.state_at(paris(2024, 6, 10, 10, 0)) == HoursState.CLOSED
    assert schedule.next_change(paris(2024, 6, 10, 10, 0)) == paris(2024, 6, 12, 0, 0)
    assert schedule.state_at(paris(2024, 6, 12, 10, 0)) == HoursState.UNKNOWN


def test_a_comment_alone_is_unknown_not_open_all_day() -> None:
    schedule = OpeningSchedule('Tu "sur rendez-vous"', "62")
    tuesday = paris(2024, 6, 4, 3, 0)
    assert schedule.state_at(tuesday) == HoursState.UNKNOWN
    assert schedule.is_open(paris(2024, 6, 5, 10, 0)) is False


def test_hours_with_a_comment_stay_open_during_their_slots() -> None:
    schedule = OpeningSchedule('Mo-Fr 09:00-12:00 "sur rendez-vous"', "62")
    slot = next(schedule.intervals(paris(2024, 6, 4, 10, 0), paris(2024, 6, 4, 11, 0)))
    assert (slot.state, slot.comment) == (HoursState.OPEN, "sur rendez-vous")


def test_next_opening_is_none_when_closed_for_more_than_a_year() -> None:
    schedule = OpeningSchedule("off", "62")
    assert schedule.next_opening(paris(2024, 6, 4, 10, 0)) is None
    assert schedule.next_change(paris(2024, 6, 4, 10, 0)) is None


def test_next_opening_is_found_beyond_a_long_closure() -> None:
    closure = Closure(date(2024, 6, 1), date(2025, 3, 31), "Rénovation")
    schedule = OpeningSchedule(OFFICE, "62", [closure])
    assert schedule.next_opening(paris(2024, 6, 3, 10, 0)) == paris(2025, 4, 1, 8, 30)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(NaiveDateTime):
        OpeningSchedule(OFFICE, "62").state_at(datetime(2024, 6, 4, 10, 0))


def test_invalid_closures_are_refused() -> None:
    with pytest.raises(InvalidClosure):
        Closure(date(2024, 6, 2), date(2024, 6, 1), "Travaux")
    with pytest.raises(InvalidClosure):
        Closure(date(2024, 6, 1), date(2024, 6, 1), "  ")
    with pytest.raises(InvalidClosure):
        Closure(date(2024, 6, 1), date(2024, 6, 1), "Travaux", "9h-12h")


def test_blank_replacement_hours_mean_closed() -> None:
    closure = Closure(date(2024, 6, 4), date(2024, 6, 4), "Grève", " ")
    assert closure.replacement_hours is None
    assert OpeningSchedule(OFFICE, "62", [closure]).is_open(paris(2024, 6, 4, 10, 0)) is False


def test_unknown_departement_is_refused() -> None:
    with pytest.raises(UnknownTerritory):
        OpeningSchedule(OFFICE, "99")


def test_polynesian_partner_needs_its_commune_for_the_time_zone() -> None:
    with pytest.raises(AmbiguousTimeZone):
        OpeningSchedule(OFFICE, "987")
    marquesas = OpeningSchedule(OFFICE, "987", insee_code="98731")  # Nuku-Hiva
    tahiti = OpeningSchedule(OFFICE, "987", insee_code="98735")  # Papeete
    instant = datetime(2024, 6, 4, 18, 20, tzinfo=UTC)  # 08:20 in Papeete, 08:50 in Nuku-Hiva
    assert marquesas.timezone == ZoneInfo("Pacific/Marquesas")
    assert (tahiti.is_open(instant), marquesas.is_open(instant)) == (False, True)
    assert tahiti.next_opening(instant) == datetime(2024, 6, 4, 18, 30, tzinfo=UTC)


def test_partners_with_the_same_hours_share_one_schedule() -> None:
    arras = schedule_for(OFFICE, "62", insee_code="62041")
    assert schedule_for(OFFICE, "62", insee_code="62193") is arras  # the commune is left out
    assert schedule_for(OFFICE, "62", [CHRISTMAS_WEEK]) is not arras
    marquesas = schedule_for(OFFICE, "987", insee_code="98731")
    assert marquesas is not schedule_for(OFFICE, "987", insee_code="98735")
    assert marquesas.timezone == ZoneInfo("Pacific/Marquesas")
    with pytest.raises(AmbiguousTimeZone):
        schedule_for(OFFICE, "987")


def test_state_at_a_change_returned_in_the_repeated_autumn_hour() -> None:
    schedule = OpeningSchedule("Sa 22:00-02:00", "75")
    closing = schedule.next_change(paris(2024, 10, 26, 23, 0))
    assert closing is not None and closing.fold == 1
    assert schedule.state_at(closing) == HoursState.CLOSED
    assert schedule.state_at(closing.astimezone(UTC) - timedelta(minutes=1)) == HoursState.OPEN


def test_a_comment_spanning_several_days_is_judged_day_by_day() -> None:
    schedule = OpeningSchedule('Sa 10:00-24:00 "sur rendez-vous"; Su "sur rendez-vous"', "62")
    saturday = paris(2024, 6, 8, 11, 0)
    assert schedule.state_at(saturday) == HoursState.OPEN
    assert schedule.next_change(saturday) == paris(2024, 6, 9, 0, 0)
    assert schedule.state_at(paris(2024, 6, 9, 11, 0)) == HoursState.UNKNOWN
    assert schedule.next_change(paris(2024, 6, 9, 11, 0)) == paris(2024, 6, 10, 0, 0)


def test_one_schedule_asked_about_many_days_in_any_order_answers_like_a_fresh_one() -> None:
    """The states of a day are kept by the schedule: asking about other days in between
    (clock changes, a closure, a holiday) never gives one day's answer for another."""
    hours = "Mo-Fr 08:30-12:00,13:30-17:00; Sa 09:00-12:00; Su 22:00-02:00; PH off"
    closures = (CHRISTMAS_WEEK,)
    shared = OpeningSchedule(hours, "62", closures)
    instants = [
        paris(2024, month, day, hour, minute)
        for month, day in ((3, 30), (3, 31), (10, 27), (12, 23), (12, 25), (12, 30), (5, 1))
        for hour, minute in ((1, 30), (8, 29), (8, 30), (11, 59), (12, 0), (16, 59), (23, 0))
    ]
    for at in [*instants, *reversed(instants), *instants[::3]]:
        fresh = OpeningSchedule(hours, "62", closures)
        assert shared.state_at(at) == fresh.state_at(at), at
