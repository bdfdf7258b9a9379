"""/bus with a made-up route (marked as an example): local times, public reasons, what is
on board, iCal links per route and per commune, and a map around the stops."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient
from geoalchemy2.shape import from_shape
from shapely.geometry import Point
from sqlalchemy import Engine, delete, select

from directory.models import Right
from geodata.database import make_session_factory
from geodata.models import SRID
from routing.bus.models import BusRoute, BusStop, BusVisit

PARIS = ZoneInfo("Europe/Paris")
DAY = (datetime.now(UTC) + timedelta(days=10)).date()
STARTS = datetime(DAY.year, DAY.month, DAY.day, 8, 0, tzinfo=UTC)


@pytest.fixture
def example_route(loaded_engine: Engine) -> Iterator[int]:
    factory = make_session_factory(loaded_engine)
    with factory() as session:
        route = BusRoute(name="Tournée fictive de la page", source="tests", is_demo=True)
        stop = BusStop(
            name="Place fictive", insee_code="62873", location=from_shape(Point(2.86, 50.25), SRID)
        )
        rsa = session.scalars(select(Right).where(Right.slug == "rsa")).one()
        moved = BusVisit(
            starts_at=STARTS,
            ends_at=STARTS + timedelta(hours=3),
            change_reason="Passage déplacé : marché sur la place",
            is_edited=True,
        )
        moved.rights = [rsa]
        cancelled = BusVisit(
            starts_at=STARTS + timedelta(days=1),
            ends_at=STARTS + timedelta(days=1, hours=3),
            status="cancelled",
            change_reason="Panne du véhicule",
            is_edited=True,
        )
        stop.visits = [moved, cancelled]
        route.stops.append(stop)
        session.add(route)
        session.commit()
        route_id = route.id
    yield route_id
    with factory() as session:
        session.execute(delete(BusRoute).where(BusRoute.id == route_id))
        session.commit()


@pytest.fixture
def client(loaded_app: Flask) -> FlaskClient:
    return loaded_app.test_client()


def test_the_bus_page_shows_local_times_reasons_and_what_is_on_board(
    client: FlaskClient, example_route: int
) -> None:
    body = client.get("/bus?insee_code=62873").text
    local = STARTS.astimezone(PARIS)
    assert f"de {local.hour} h à {local.hour + 3} h" in body
    assert f'datetime="{local.isoformat()}"' in body
    assert "Exemple fictif :" in body
    assert "Passage déplacé : marché sur la place" in body
    assert "Annulé :" in body and "Panne du véhicule" in body
    assert "Droits traités : RSA" in body
    assert "/api/v1/bus/communes/62873.ics" in body
    assert f"/api/v1/bus/{example_route}.ics" in body
    assert '"bus_routes"' in body and "Place fictive" in body
    assert "fitBounds" in body  # the map opens around the stops
