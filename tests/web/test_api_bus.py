"""The bus des droits: routes, visits near a point, iCalendar (made-up demo data)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from flask.testing import FlaskClient
from geoalchemy2.shape import from_shape
from shapely.geometry import Point
from sqlalchemy import Engine, delete

from geodata.database import make_session_factory
from geodata.models import SRID
from routing.bus.calendar import render_ics
from routing.bus.models import BusRoute, BusStop, BusVisit

API = "/api/v1"
PARIS = ZoneInfo("Europe/Paris")
SOON = datetime.now(UTC).replace(microsecond=0) + timedelta(days=2)


@pytest.fixture
def demo_route(loaded_engine: Engine) -> Iterator[int]:
    """A made-up route (marked as demo) with two stops near Arras; removed afterwards."""
    factory = make_session_factory(loaded_engine)
    with factory() as session:
        route = BusRoute(
            name="Tournée fictive de test, Arras; nord",
            source="tests (données fictives)",
            is_demo=True,
        )
        for index, (name, lon, lat, insee) in enumerate(
            [("Place fictive", 2.7772, 50.2910, "62041"), ("Arrêt lointain", 1.44, 43.60, "31555")]
        ):
            stop = BusStop(name=name, insee_code=insee, location=from_shape(Point(lon, lat), SRID))
            starts = SOON + timedelta(days=index)
            stop.visits = [
                BusVisit(starts_at=starts, ends_at=starts + timedelta(hours=3)),
                BusVisit(
                    starts_at=starts + timedelta(days=7),
                    ends_at=starts + timedelta(days=7, hours=3),
                    status="cancelled",
                    note="Panne du véhicule",
                ),
            ]
            route.stops.append(stop)
        session.add(route)
        session.commit()
        route_id = route.id
    yield route_id
    with factory() as session:
        session.execute(delete(BusRoute).where(BusRoute.id == route_id))
        session.commit()


def test_routes_list_the_demo_route_with_its_calendar(client: FlaskClient, demo_route: int) -> None:
    body = client.get(f"{API}/bus/routes").get_json()
    route = next(r for r in body["items"] if r["id"] == demo_route)
    assert route["is_demo"] is True and route["stop_count"] == 2
    assert datetime.fromisoformat(route["next_visit_at"]) == SOON
    assert route["calendar_url"] == f"{API}/bus/{demo_route}.ics"


def test_visits_near_a_point_within_a_radius(client: FlaskClient, demo_route: int) -> None:
    body = client.get(f"{API}/bus/visits?near=2.7772,50.2910&radius_m=5000").get_json()
    ours = [v for v in body["items"] if v["route_id"] == demo_route]
    assert [v["stop_name"] for v in ours] == ["Place fictive", "Place fictive"]
    assert [v["status_label"] for v in ours] == ["Prévu", "Annulé"]
    assert ours[0]["distance_m"] < 1


def test_visits_by_commune_and_period(client: FlaskClient, demo_route: int) -> None:
    start = (SOON + timedelta(days=1)).isoformat().replace("+", "%2B")
    end = (SOON + timedelta(days=2)).isoformat().replace("+", "%2B")
    body = client.get(f"{API}/bus/visits?insee_code=31555&from={start}&to={end}").get_json()
    assert [v["commune_name"] for v in body["items"] if v["route_id"] == demo_route] == ["Toulouse"]
    wrong = client.get(f"{API}/bus/visits?from={end}&to={start}")
    assert wrong.status_code == 422 and "to" in wrong.get_json()["errors"]


def test_calendar_is_valid_icalendar(client: FlaskClient, demo_route: int) -> None:
    response = client.get(f"{API}/bus/{demo_route}.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    text = response.get_data(as_text=True)
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert text.count("BEGIN:VEVENT") == 4
    assert "STATUS:CANCELLED" in text
    assert "X-WR-CALNAME:Bus des droits — Tournée fictive de test\\, Arras\\; nord" in text
    # Local times with their VTIMEZONE (RFC 5545), no longer UTC "Z" times.
    local = SOON.astimezone(PARIS)
    assert local.strftime("DTSTART;TZID=Europe/Paris:%Y%m%dT%H%M%S") in text
    assert "BEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\n" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    events = icalendar.Calendar.from_ical(text).walk("VEVENT")
    assert sorted(str(e["STATUS"]) for e in events) == ["CANCELLED"] * 2 + ["CONFIRMED"] * 2
    assert {e.decoded("DTSTART").astimezone(UTC) for e in events} >= {SOON}


def test_commune_calendar_lists_the_visits_of_every_route_stopping_there(
    client: FlaskClient, demo_route: int
) -> None:
    response = client.get(f"{API}/bus/communes/62041.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    calendar = icalendar.Calendar.from_ical(response.get_data(as_text=True))
    assert "Arras" in str(calendar["X-WR-CALNAME"])
    ours = [e for e in calendar.walk("VEVENT") if "Place fictive" in str(e["SUMMARY"])]
    assert len(ours) == 2 and {str(e["STATUS"]) for e in ours} == {"CONFIRMED", "CANCELLED"}
    assert all("lointain" not in str(e["SUMMARY"]) for e in calendar.walk("VEVENT"))
    assert client.get(f"{API}/bus/communes/99999.ics").status_code == 404


def test_visit_documents_say_what_changed_and_what_is_on_board(
    client: FlaskClient, demo_route: int
) -> None:
    body = client.get(f"{API}/bus/visits?insee_code=62041").get_json()
    ours = [v for v in body["items"] if v["route_id"] == demo_route]
    assert [(v["rights"], v["partners"], v["is_extra"]) for v in ours] == [([], [], True)] * 2
    assert {v["time_zone"] for v in ours} == {"Europe/Paris"}
    assert all("change_reason" in v for v in ours)


def test_unknown_route_calendar_is_404(client: FlaskClient) -> None:
    response = client.get(f"{API}/bus/999999.ics")
    assert response.status_code == 404
    assert response.get_json()["code"] == "bus_route_not_found"


def test_long_lines_are_folded_without_breaking_characters() -> None:
    route = BusRoute(id=1, name="é" * 80, source="tests")
    text = render_ics(route, [], SOON)
    lines = text.split("\r\n")
    name_lines = [line for line in lines if line.startswith(("X-WR-CALNAME", " "))]
    assert len(name_lines) > 1
    assert all(len(line.encode()) <= 75 for line in lines)
    unfolded = text.replace("\r\n ", "")
    assert f"X-WR-CALNAME:Bus des droits — {'é' * 80}" in unfolded
