"""Reverse look-up: point → commune, EPCI, département, on both backends."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from geodata import spatial
from geodata.errors import CommuneNotFound, InvalidLocation
from geodata.imports.divisions import is_in_france
from geodata.models import Commune
from geodata.points import check_lon_lat
from geodata.reverse import LocationMethod, get_commune_territory, reverse_geocode


def test_town_hall_of_arras_is_in_arras_and_the_cu_d_arras(session: Session) -> None:
    territory = reverse_geocode(session, 2.778515, 50.293056)
    assert (territory.insee_code, territory.commune_name) == ("62041", "Arras")
    assert (territory.epci_siren, territory.departement_code) == ("200033579", "62")
    assert territory.departement_name == "Pas-de-Calais"
    assert territory.method is LocationMethod.POLYGON and territory.distance_m == 0


def test_commune_centres_of_the_territories_resolve_to_their_commune(session: Session) -> None:
    rows = session.execute(
        select(Commune.insee_code, *spatial.lon_lat_of(Commune.centre))
        .where(Commune.departement_code.in_(["62", "31"]))
        .order_by(Commune.insee_code)
    ).all()
    for code, lon, lat in rows[::10]:
        territory = reverse_geocode(session, lon, lat)
        assert (territory.insee_code, territory.method) == (code, LocationMethod.POLYGON)


def test_without_polygons_the_nearest_commune_centre_is_given_and_said(session: Session) -> None:
    # Boursies, Doignies and Mœuvres (Nord) form an enclave inside Pas-de-Calais polygons.
    enclave = reverse_geocode(session, 3.0347, 50.1423)
    assert enclave.departement_code == "59"
    assert enclave.method is LocationMethod.NEAREST_CENTRE
    assert "centre" in enclave.note and enclave.distance_m > 0
    paris = reverse_geocode(session, 2.35, 48.85)
    assert paris.insee_code == "75056"  # the commune, not a municipal arrondissement
    cayenne_area = reverse_geocode(session, -52.3, 4.9)
    assert cayenne_area.departement_code == "973"


def test_thin_gaps_between_simplified_polygons_are_bridged(session: Session) -> None:
    # a 12 m² hole left by polygon simplification between two communes of Haute-Garonne
    territory = reverse_geocode(session, 1.812587906228042, 43.44552751294279)
    assert territory.method in (LocationMethod.POLYGON, LocationMethod.NEAR_POLYGON)
    assert territory.departement_code == "31"


@pytest.mark.parametrize(
    ("lon", "lat", "message"),
    [
        (-70.0, 40.0, "hors de France"),
        (50.29, 2.77, "inversées"),
        (2.77, 95.0, "impossibles"),
        (200.0, 10.0, "impossibles"),
        (math.nan, 45.0, "illisibles"),
        (4.35, 50.85, "trop loin"),  # Brussels: inside the rough box, far from any commune
        (-3.0, 47.0, "trop loin"),  # Atlantic, off Belle-Île
    ],
)
def test_points_outside_france_are_refused_with_a_reason(
    session: Session, lon: float, lat: float, message: str
) -> None:
    with pytest.raises(InvalidLocation, match=message):
        reverse_geocode(session, lon, lat)


def test_territory_of_a_geocoded_commune(session: Session) -> None:
    cadours = get_commune_territory(session, "31098")
    assert (cadours.epci_siren, cadours.epci_name) == ("200071314", "CC des Hauts-Tolosans")
    assert cadours.method is LocationMethod.COMMUNE_CODE
    with pytest.raises(CommuneNotFound):
        get_commune_territory(session, "00000")


@given(st.floats(allow_nan=True, allow_infinity=True), st.floats(allow_nan=True))
def test_point_check_accepts_french_points_and_explains_the_rest(lon: float, lat: float) -> None:
    try:
        checked = check_lon_lat(lon, lat)
    except InvalidLocation as exc:
        assert exc.code == "invalid_location" and exc.message
    else:
        assert is_in_france(*checked)
