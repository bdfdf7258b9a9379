"""Geodata fixtures: offline geocoders per backend and a real HTTP server on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from geodata.geocoding.offline import OfflineGeocoder
from tests.geodata.http_stub import StubServer, running_stub_server

BAN_FIXTURES = Path(__file__).parent / "fixtures" / "ban"
TERRITORY_DEPARTEMENTS = ("62", "31")

_geocoders: dict[str, OfflineGeocoder] = {}


@pytest.fixture
def geocoder(session: Session, loaded_engine: Engine) -> OfflineGeocoder:
    """One offline geocoder per loaded database (the gazetteer is built once per backend).

    Its fingerprint check makes it notice addresses imported by a test; the street cache
    is cleared before each test so rolled-back imports never leak into the next one.
    """
    key = str(loaded_engine.url)
    if key not in _geocoders:
        _geocoders[key] = OfflineGeocoder(
            preferred_departements=TERRITORY_DEPARTEMENTS, check_interval_s=0.0
        )
        _geocoders[key].gazetteer(session)
    geocoder = _geocoders[key]
    geocoder.addresses.clear()
    return geocoder


@pytest.fixture
def stub_server() -> Iterator[StubServer]:
    with running_stub_server() as server:
        yield server
