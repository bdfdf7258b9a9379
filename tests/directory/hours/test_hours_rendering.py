"""French wording of hours and of the state at an instant."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from directory.hours import (
    UNKNOWN_HOURS,
    Closure,
    OpeningSchedule,
    describe_hours,
    describe_status,
    format_time,
    weekly_lines,
)

PARIS = ZoneInfo("Europe/Paris")
OFFICE = "Mo-Fr 08:30-12:00,13:30-17:00; PH off"
MONDAY = date(2024, 6, 3)


def paris(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("minute", "text"),
    [(0, "0 h"), (510, "8 h 30"), (540, "9 h"), (725, "12 h 05"), (1020, "17 h"), (1440, "minuit")],
)
def test_times_are_written_the_french_way(minute: int, text: str) -> None:
    assert format_time(minute) == text


@pytest.mark.parametrize(
    ("hours", "text"),
    [
        (OFFICE, "Du lundi au vendredi : 8 h 30 – 12 h et 13 h 30 – 17 h · Fermé les jours fériés"),
        ("Mo,We 14:00-18:00", "Lundi, mercredi : 14 h – 18 h"),
        ("Mo-Tu 09:00-12:00", "Lundi, mardi : 9 h – 12 h"),
        (
            "Mo-Fr 09:00-12:00; Sa 09:00-12:00,14:00-16:00; PH off",
            "Du lundi au vendredi : 9 h – 12 h · Samedi : 9 h – 12 h et 14 h – 16 h"
            " · Fermé les jours fériés",
        ),
        ("Mo-We,Fr 09:00-12:00", "Du lundi au mercredi, vendredi : 9 h – 12 h"),
        ("Mo 08:00-10:00,11:00-12:00,14:00-16:00",
         "Lundi : 8 h – 10 h, 11 h – 12 h et 14 h – 16 h"),
        ("Fr 20:00-02:00", "Vendredi : 20 h – 2 h"),
        ("Sa 18:00-24:00", "Samedi : 18 h – minuit"),
        ("24/7", "Tous les jours : 24 h/24"),
        ("Mo-Sa 09:00-18:00; PH 10:00-12:00",
         "Du lundi au samedi : 9 h – 18 h · Jours fériés : 10 h – 12 h"),
        ("PH 10:00-12:00; Mo-Sa 09:00-18:00",
         "Du lundi au samedi : 9 h – 18 h · Horaires particuliers les jours fériés"),
        ('Mo-Fr 09:00-12:00 "sur rendez-vous"',
         "Du lundi au vendredi : 9 h – 12 h (sur rendez-vous)"),
        ('Tu "sur rendez-vous"', "Mardi : sur rendez-vous"),
        ("Mo 09:00-12:00 unknown", "Lundi : 9 h – 12 h (à confirmer)"),
        ("off", "Pas d'ouverture régulière"),
    ],
)  # fmt: skip
def test_weekly_hours_are_summarised_in_french(hours: str, text: str) -> None:
    assert describe_hours(OpeningSchedule(hours, "62"), MONDAY) == text


@pytest.mark.parametrize("hours", [None, "", "lundi matin", "Mo-Fr 9h-12h"])
def test_unknown_or_unparsable_hours_are_not_rendered_as_closed(hours: str | None) -> None:
    schedule = OpeningSchedule(hours, "62")
    assert describe_hours(schedule, MONDAY) == UNKNOWN_HOURS == "Horaires non renseignés"
    assert describe_status(schedule, paris(2024, 6, 9, 23, 0)) == UNKNOWN_HOURS
    assert "Fermé" not in describe_status(schedule, paris(2024, 6, 4, 10, 0))


def test_seasonal_hours_show_the_current_week() -> None:
    schedule = OpeningSchedule("Jul-Aug Mo 10:00-12:00; Sep-Jun Mo-Fr 09:00-17:00", "62")
    assert weekly_lines(schedule, date(2024, 6, 5)) == [
        "Horaires variables selon la période",
        "Semaine du 3 juin : Du lundi au vendredi : 9 h – 17 h",
    ]
    assert (
        weekly_lines(schedule, date(2024, 7, 10))[1] == "Semaine du 8 juillet : Lundi : 10 h – 12 h"
    )


def test_regular_hours_are_not_mistaken_for_seasonal_across_clock_changes() -> None:
    schedule = OpeningSchedule("Su 01:00-04:00", "62")  # the spring Sunday loses an hour
    assert describe_hours(schedule, date(2024, 3, 1)) == "Dimanche : 1 h – 4 h"


def test_status_when_open() -> None:
    assert describe_status(OpeningSchedule(OFFICE, "62"), paris(2024, 6, 4, 10, 0)) == (
        "Ouvert maintenant, jusqu'à 12 h"
    )


def test_status_when_open_until_tomorrow() -> None:
    schedule = OpeningSchedule("Fr 20:00-02:00", "62")
    assert describe_status(schedule, paris(2024, 6, 7, 21, 0)) == (
        "Ouvert maintenant, jusqu'à demain 2 h"
    )
    schedule = OpeningSchedule("Fr 20:00-24:00", "62")
    assert describe_status(schedule, paris(2024, 6, 7, 21, 0)) == (
        "Ouvert maintenant, jusqu'à minuit"
    )


def test_status_shows_the_comment_of_the_slot() -> None:
    schedule = OpeningSchedule('Mo-Fr 09:00-12:00 "sur rendez-vous"', "62")
    assert describe_status(schedule, paris(2024, 6, 4, 10, 0)) == (
        "Ouvert maintenant, jusqu'à 12 h (sur rendez-vous)"
    )


def test_status_when_closed_for_lunch() -> None:
    assert describe_status(OpeningSchedule(OFFICE, "62"), paris(2024, 6, 4, 12, 30)) == (
        "Fermé. Prochaine ouverture aujourd'hui 13 h 30"
    )


def test_status_when_closed_for_the_weekend() -> None:
    assert describe_status(OpeningSchedule(OFFICE, "62"), paris(2024, 6, 8, 11, 0)) == (
        "Fermé. Prochaine ouverture lundi 8 h 30"
    )


def test_status_on_the_evening_before() -> None:
    assert describe_status(OpeningSchedule(OFFICE, "62"), paris(2024, 6, 4, 18, 0)) == (
        "Fermé. Prochaine ouverture demain 8 h 30"
    )


def test_status_names_the_public_holiday() -> None:
    assert describe_status(OpeningSchedule(OFFICE, "57"), paris(2024, 3, 29, 10, 0)) == (
        "Fermé (jour férié : Vendredi saint). Prochaine ouverture mardi 8 h 30"
    )


def test_status_gives_the_date_of_a_distant_opening() -> None:
    closure = Closure(date(2024, 6, 3), date(2024, 6, 30), "Travaux")
    schedule = OpeningSchedule(OFFICE, "62", [closure])
    assert describe_status(schedule, paris(2024, 6, 4, 10, 0)) == (
        "Fermé aujourd'hui : Travaux. Prochaine ouverture lundi 1 juillet 8 h 30"
    )


def test_status_during_replacement_hours() -> None:
    closure = Closure(date(2024, 6, 4), date(2024, 6, 4), "Permanence réduite", "09:00-11:00")
    schedule = OpeningSchedule(OFFICE, "62", [closure])
    assert describe_status(schedule, paris(2024, 6, 4, 10, 0)) == (
        "Ouvert maintenant, jusqu'à 11 h (horaires exceptionnels : Permanence réduite)"
    )
    assert describe_status(schedule, paris(2024, 6, 4, 14, 0)) == (
        "Fermé (horaires exceptionnels : Permanence réduite). Prochaine ouverture demain 8 h 30"
    )


def test_status_in_overseas_local_time() -> None:
    schedule = OpeningSchedule("Mo-Fr 08:00-12:00; PH off", "974")
    four_pm_in_reunion = datetime(2024, 6, 4, 12, 0, tzinfo=UTC)
    assert describe_status(schedule, four_pm_in_reunion) == "Fermé. Prochaine ouverture demain 8 h"


def test_status_when_never_open() -> None:
    assert describe_status(OpeningSchedule("off", "62"), paris(2024, 6, 4, 10, 0)) == (
        "Fermé. Aucune ouverture prévue dans les douze prochains mois"
    )


def test_status_when_reopening_is_unknown() -> None:
    closure = Closure(date(2024, 6, 4), date(2024, 6, 4), "Inondation")
    schedule = OpeningSchedule(None, "62", [closure])
    assert describe_status(schedule, paris(2024, 6, 4, 10, 0)) == (
        "Fermé aujourd'hui : Inondation. Prochaine ouverture non connue"
    )


def test_status_on_a_regional_holiday_with_undetermined_hours() -> None:
    schedule = OpeningSchedule("PH 10:00-12:00; Mo-Sa 09:00-18:00", "57")
    assert describe_status(schedule, paris(2024, 3, 29, 10, 0)) == (
        "Jour férié (Vendredi saint). Ouverture à confirmer"
    )


def test_status_of_an_appointment_only_day() -> None:
    schedule = OpeningSchedule('Tu "sur rendez-vous"', "62")
    assert describe_status(schedule, paris(2024, 6, 4, 10, 0)) == (
        "Ouverture à confirmer : sur rendez-vous"
    )
