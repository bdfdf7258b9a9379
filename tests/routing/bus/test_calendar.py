"""iCalendar feeds of the bus des droits, read back with the ``icalendar`` package: time
zones (VTIMEZONE checked against zoneinfo across daylight-saving changes), stable UIDs,
cancelled visits, and text from people that never reaches the file raw."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import icalendar
from hypothesis import given
from hypothesis import strategies as st

from routing.bus.calendar import clean_text, render_calendar, vtimezone
from routing.bus.visits import BusVisitListing, OnBoardPartner, OnBoardRight

STAMP = datetime(2026, 3, 1, 12, tzinfo=UTC)


def visit(visit_id: int, starts_at: datetime, **overrides: object) -> BusVisitListing:
    values: dict[str, object] = {
        "visit_id": visit_id,
        "route_id": 1,
        "route_name": "[Test] Tournée",
        "route_partner_id": None,
        "stop_id": 1,
        "stop_name": "[Test] Place de la mairie",
        "street": None,
        "insee_code": "62041",
        "commune_name": "Arras",
        "lon": 2.7775,
        "lat": 50.291,
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=3),
        "status": "planned",
        "note": None,
        "is_demo": True,
    }
    values.update(overrides)
    return BusVisitListing(**values)  # type: ignore[arg-type]


def unescape_text(value: object) -> str:
    """RFC 5545 TEXT unescaping, for X- properties that icalendar leaves as written."""
    escapes = {"\\": "\\", ";": ";", ",": ",", "n": "\n", "N": "\n"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(0)), str(value))


def parse(text: str) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(text)


def test_times_are_local_with_a_vtimezone_that_agrees_with_zoneinfo_across_dst() -> None:
    visits = [
        visit(1, datetime(2026, 3, 24, 8, tzinfo=UTC)),  # 9 h winter time
        visit(2, datetime(2026, 4, 14, 7, tzinfo=UTC)),  # 9 h summer time
        visit(3, datetime(2026, 10, 27, 8, tzinfo=UTC)),  # 9 h winter time again
    ]
    text = render_calendar("Bus des droits — Arras", visits, STAMP)
    calendar = parse(text)
    assert "DTSTART;TZID=Europe/Paris:20260324T090000" in text
    assert "DTSTART;TZID=Europe/Paris:20260414T090000" in text
    (zone_component,) = calendar.walk("VTIMEZONE")
    assert zone_component["TZID"] == "Europe/Paris"
    observances = [
        (c.name, c.decoded("DTSTART"), c["TZOFFSETFROM"].to_ical())
        for c in zone_component.subcomponents
    ]
    assert ("DAYLIGHT", datetime(2026, 3, 29, 2, 0), "+0100") in observances
    assert ("STANDARD", datetime(2026, 10, 25, 3, 0), "+0200") in observances
    # The file's own VTIMEZONE, not the reader's zoneinfo, gives back the same instants.
    own_zone = zone_component.to_tz(lookup_tzid=False)
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    for expected in visits:
        event = events[f"bus-visit-{expected.visit_id}@aiguillage"]
        local = event["DTSTART"].dt.replace(tzinfo=None)
        assert local.replace(tzinfo=own_zone).astimezone(UTC) == expected.starts_at
        assert event.decoded("DTSTART").astimezone(UTC) == expected.starts_at


def test_overseas_and_metropolitan_stops_get_one_vtimezone_each() -> None:
    visits = [
        visit(1, datetime(2026, 7, 1, 5, tzinfo=UTC), time_zone="Indian/Reunion"),
        visit(2, datetime(2026, 7, 1, 7, tzinfo=UTC)),
    ]
    calendar = parse(render_calendar("Bus", visits, STAMP))
    assert sorted(str(z["TZID"]) for z in calendar.walk("VTIMEZONE")) == [
        "Europe/Paris",
        "Indian/Reunion",
    ]
    starts = {str(e["UID"]): e["DTSTART"].dt for e in calendar.walk("VEVENT")}
    assert starts["bus-visit-1@aiguillage"].hour == 9
    assert "X-WR-TIMEZONE" not in calendar


def test_cancelled_visits_stay_as_cancelled_with_their_reason() -> None:
    cancelled = visit(
        7,
        datetime(2026, 4, 6, 7, tzinfo=UTC),
        status="cancelled",
        change_reason="Jour férié (Lundi de Pâques) : pas de passage.",
        rights=(OnBoardRight("rsa", "RSA"),),
        partners=(OnBoardPartner(12, "France services d'exemple", "france-services", True),),
    )
    (event,) = parse(render_calendar("Bus", [cancelled], STAMP)).walk("VEVENT")
    assert event["STATUS"] == "CANCELLED"
    description = str(event["DESCRIPTION"])
    assert "Annulé." in description and "Lundi de Pâques" in description
    assert "Droits traités : RSA." in description
    assert "Partenaires présents : France services d'exemple." in description
    assert str(event["SUMMARY"]).startswith("Exemple fictif — ")


def test_uids_are_stable_across_renderings_and_stamps() -> None:
    visits = [visit(41, datetime(2026, 3, 24, 8, tzinfo=UTC))]
    first = parse(render_calendar("Bus", visits, STAMP))
    later = parse(render_calendar("Bus", visits, STAMP + timedelta(days=3), domain="aiguillage"))
    assert [str(e["UID"]) for e in first.walk("VEVENT")] == [
        str(e["UID"]) for e in later.walk("VEVENT")
    ]


def test_control_characters_from_names_and_notes_never_reach_the_file() -> None:
    nasty = visit(
        1,
        datetime(2026, 3, 24, 8, tzinfo=UTC),
        route_name="Tournée\r\nBEGIN:VEVENT\x00",
        stop_name="Place\rdu\x1b[31m marché",
        note="Ligne 1\r\nLigne 2\u2028fin\x7f",
    )
    text = render_calendar("Nom\r\nX-INJECTED:1\x00", [nasty], STAMP)
    body = text.replace("\r\n", "")
    assert "\r" not in body and "\n" not in body
    assert not any(ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F for ch in body)
    assert text.count("\r\nBEGIN:VEVENT\r\n") == 1
    assert "\r\nX-INJECTED" not in text
    calendar = parse(text)
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Exemple fictif — Bus des droits — Place du[31m marché"
    assert "Ligne 1\nLigne 2fin" in str(event["DESCRIPTION"])
    assert unescape_text(calendar["X-WR-CALNAME"]) == "Nom X-INJECTED:1"


@given(st.text(max_size=200))
def test_any_name_survives_a_round_trip_without_controls(name: str) -> None:
    text = render_calendar(name, [visit(1, datetime(2026, 3, 24, 8, tzinfo=UTC))], STAMP)
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    read = unescape_text(parse(text)["X-WR-CALNAME"])
    assert read == " ".join(clean_text(name).split())


def test_a_zone_without_daylight_saving_has_a_single_observance() -> None:
    component = vtimezone("Indian/Reunion", date(2026, 1, 1), date(2026, 12, 31))
    assert [c.name for c in component.subcomponents] == ["STANDARD"]


def test_an_empty_calendar_is_still_valid() -> None:
    calendar = parse(render_calendar("Bus", [], STAMP))
    assert calendar["VERSION"] == "2.0" and not calendar.walk("VEVENT")
