"""Converters from the hours of our sources to OSM strings: examples of every rule."""

from __future__ import annotations

import json

import pytest

from directory.hours import (
    HoursConversion,
    convert_france_services_hours,
    convert_mairie_hours,
    format_weekly_osm,
    parse_error,
)

APPOINTMENT = "lundi : horaires sur rendez-vous sans créneau exploitable"
WEEKDAYS = ("h_lundi", "h_mardi", "h_mercredi", "h_jeudi", "h_vendredi")


def france_services(**cells: str) -> HoursConversion:
    return convert_france_services_hours({f"h_{day}": value for day, value in cells.items()})


def test_france_services_identical_days_are_grouped_and_closed_on_holidays() -> None:
    row = dict.fromkeys(WEEKDAYS, "09:00 - 12:00 / 13:30 - 17:00") | {"h_samedi": "09:00 - 12:00"}
    conversion = convert_france_services_hours(row)
    assert conversion == HoursConversion(
        "Mo-Fr 09:00-12:00,13:30-17:00; Sa 09:00-12:00; PH off", None
    )
    assert conversion.is_converted


def test_france_services_empty_day_is_closed() -> None:
    conversion = france_services(lundi="13:30 - 17:00", mardi="", mercredi="09:00 - 12:00")
    assert conversion.osm == "Mo 13:30-17:00; We 09:00-12:00; PH off"


def test_identical_days_that_are_not_consecutive_share_a_rule() -> None:
    conversion = france_services(
        lundi="14:00 - 18:00", mercredi="14:00 - 18:00", mardi="09:00 - 12:00"
    )
    assert conversion.osm == "Mo,We 14:00-18:00; Tu 09:00-12:00; PH off"


def test_france_services_row_without_any_hours_is_rejected_not_closed() -> None:
    conversion = convert_france_services_hours(dict.fromkeys(WEEKDAYS, ""))
    assert conversion == HoursConversion(None, "Aucun horaire renseigné")
    assert not conversion.is_converted
    assert convert_france_services_hours({}).error == "Aucun horaire renseigné"


def test_zero_length_placeholder_slot_opens_nothing() -> None:
    conversion = france_services(lundi="00:00 - 00:00 / 09:00 - 12:00", mardi="00:00 - 00:00")
    assert conversion.osm == "Mo 09:00-12:00; PH off"
    assert conversion.notes == (
        "lundi : créneau vide « 00:00 - 00:00 » ignoré",
        "mardi : créneau vide « 00:00 - 00:00 » ignoré",
    )


def test_duplicate_slots_are_kept_once() -> None:
    conversion = france_services(lundi="09:45 - 12:00 / 09:45 - 12:00 / 13:45 - 16:30")
    assert conversion.osm == "Mo 09:45-12:00,13:45-16:30; PH off"
    assert conversion.notes == ("lundi : créneau en double ignoré",)


def test_touching_slots_are_joined() -> None:
    conversion = france_services(jeudi="09:00 - 11:00 / 11:00 - 12:00 / 13:30 - 17:00")
    assert conversion.osm == "Th 09:00-12:00,13:30-17:00; PH off"
    assert conversion.notes == (
        "jeudi : créneaux contigus « 09:00 - 11:00 » et « 11:00 - 12:00 » réunis",
    )


def test_overlapping_slots_are_contradictory_and_reject_the_row() -> None:
    conversion = france_services(
        lundi="09:00 - 12:00", mardi="09:00 - 12:30 / 09:00 - 17:00 / 14:00 - 17:00"
    )
    assert conversion.osm is None
    assert conversion.error == (
        "mardi : créneaux qui se chevauchent « 09:00 - 12:30 » et « 09:00 - 17:00 » : "
        "horaires contradictoires"
    )


@pytest.mark.parametrize(
    ("cell", "osm"),
    [
        ("9h-12h", "Mo 09:00-12:00; PH off"),
        ("9h30 - 12h / 14h - 17h15", "Mo 09:30-12:00,14:00-17:15; PH off"),
        ("9 h 30 – 12 h", "Mo 09:30-12:00; PH off"),
        ("9:00-12:00 et 14:00-17:00", "Mo 09:00-12:00,14:00-17:00; PH off"),
        ("de 09:00 à 12:00", None),
        ("  09:00 - 12:00\n", "Mo 09:00-12:00; PH off"),
        ("20:00 - 00:00", "Mo 20:00-24:00; PH off"),
        ("Fermé", None),
    ],
)
def test_common_spellings_of_hours_are_understood(cell: str, osm: str | None) -> None:
    conversion = france_services(lundi=cell, mardi="")
    assert conversion.osm == osm
    if osm is None:
        assert conversion.error


def test_a_day_marked_closed_is_closed() -> None:
    assert france_services(lundi="Fermé", mardi="09:00 - 12:00").osm == "Tu 09:00-12:00; PH off"


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("sur rendez-vous", f"{APPOINTMENT} « sur rendez-vous »"),
        ("9h-12h sur RDV", f"{APPOINTMENT} « 9h-12h sur RDV »"),
        ("le matin", "lundi : horaire non reconnu « le matin »"),
        ("17:00 - 09:00", "lundi : créneau dont la fin précède le début « 17:00 - 09:00 »"),
        ("25:00 - 26:00", "lundi : heure impossible dans « 25:00 - 26:00 »"),
        ("09:75 - 10:00", "lundi : heure impossible dans « 09:75 - 10:00 »"),
        ("24:00 - 24:00", "lundi : créneau commençant à 24:00 « 24:00 - 24:00 »"),
    ],
)  # fmt: skip
def test_unconvertible_cells_reject_the_row_with_a_reason(cell: str, reason: str) -> None:
    conversion = france_services(lundi=cell, mardi="09:00 - 12:00")
    assert conversion == HoursConversion(None, reason)


def mairie(*ranges: object) -> HoursConversion:
    return convert_mairie_hours(json.dumps(list(ranges)))


def test_mairie_day_ranges_are_expanded_and_grouped() -> None:
    conversion = mairie(
        ["lundi", "mercredi", [["09:00:00", "12:00:00"], ["14:00:00", "17:30:00"]]],
        ["vendredi", "vendredi", [["09:00:00", "12:00:00"], ["14:00:00", "17:30:00"]]],
    )
    assert conversion.osm == "Mo-We,Fr 09:00-12:00,14:00-17:30; PH off"


def test_mairie_ranges_add_up() -> None:
    conversion = mairie(
        ["mercredi", "vendredi", [["09:00:00", "12:00:00"]]],
        ["jeudi", "jeudi", [["09:00:00", "12:00:00"], ["13:00:00", "17:00:00"]]],
    )
    assert conversion.osm == "We,Fr 09:00-12:00; Th 09:00-12:00,13:00-17:00; PH off"
    assert conversion.notes == ("jeudi : créneau en double ignoré",)


def test_mairie_contradictory_ranges_are_rejected() -> None:
    conversion = mairie(
        ["lundi", "jeudi", [["08:15:00", "12:00:00"], ["13:30:00", "18:30:00"]]],
        ["mardi", "jeudi", [["08:15:00", "12:00:00"], ["13:30:00", "17:00:00"]]],
    )
    assert conversion.osm is None
    assert conversion.error is not None and conversion.error.startswith(
        "créneaux qui se chevauchent"
    )


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (None, "Aucun horaire renseigné"),
        ("", "Aucun horaire renseigné"),
        ("[]", "Aucun horaire renseigné (liste vide)"),
        ("[[", "horaires illisibles (JSON invalide)"),
        ('{"lundi": "9h"}', "horaires au format inattendu (liste de plages attendue)"),
        ('[["lundi", [["09:00:00", "12:00:00"]]]]',
         'plage au format inattendu « ["lundi", [["09:00:00", "12:00:00"]]] »'),
        ('[["lunid", "lundi", []]]', "jour inconnu « lunid »"),
        ('[["vendredi", "lundi", []]]', "plage de jours à l'envers « vendredi – lundi »"),
        ('[["lundi", "lundi", [["09:00:30", "12:00:00"]]]]', "heure non reconnue « 09:00:30 »"),
        ('[["lundi", "lundi", [["09:00:00"]]]]', 'créneau au format inattendu « ["09:00:00"] »'),
        ('[["lundi", "lundi", []]]', "Aucun horaire renseigné"),
    ],
)  # fmt: skip
def test_unconvertible_mairie_hours_are_rejected_with_a_reason(
    raw: str | None, reason: str
) -> None:
    assert convert_mairie_hours(raw) == HoursConversion(None, reason)


def test_mairie_day_names_are_read_without_case_or_accents_fuss() -> None:
    assert mairie(["Lundi", "MARDI", [["09:00", "12:00"]]]).osm == "Mo-Tu 09:00-12:00; PH off"


def test_weekly_osm_of_a_full_week() -> None:
    week = [[(540, 720)]] * 7
    assert format_weekly_osm(week) == "Mo-Su 09:00-12:00; PH off"
    assert format_weekly_osm(week, closed_on_holidays=False) == "Mo-Su 09:00-12:00"
    assert parse_error(format_weekly_osm([[(0, 1440)], [], [], [], [], [], []])) is None


def test_weekly_osm_refuses_what_it_cannot_express() -> None:
    with pytest.raises(ValueError, match="sept jours"):
        format_weekly_osm([[(540, 720)]])
    with pytest.raises(ValueError, match="Aucun horaire"):
        format_weekly_osm([[]] * 7)
