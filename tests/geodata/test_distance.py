"""Geodesic distances in Python, checked against a published value and against each other."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geodata.distance import geodesic_distance_m, haversine_m
from geodata.spatial import bbox_around

FRANCE_LON = st.floats(-5.0, 9.5)
FRANCE_LAT = st.floats(41.5, 51.0)
ARRAS = (2.7775, 50.2910)
TOULOUSE = (1.4442, 43.6045)


def dms(degrees: int, minutes: int, seconds: float) -> float:
    sign = -1 if degrees < 0 else 1
    return sign * (abs(degrees) + minutes / 60 + seconds / 3600)


def test_vincenty_reproduces_the_flinders_peak_to_buninyong_reference() -> None:
    # Geoscience Australia's worked example of Vincenty's inverse formula: 54 972.271 m.
    distance = geodesic_distance_m(
        dms(144, 25, 29.52440),
        dms(-37, 57, 3.72030),
        dms(143, 55, 35.38390),
        dms(-37, 39, 10.15610),
    )
    assert distance == pytest.approx(54_972.271, abs=0.001)


def test_nearly_antipodal_points_fall_back_to_the_sphere() -> None:
    assert geodesic_distance_m(0.0, 0.0, 179.7, 0.5) == pytest.approx(
        haversine_m(0.0, 0.0, 179.7, 0.5), rel=0.01
    )


def test_haversine_distance_between_paris_and_lyon() -> None:
    paris, lyon = (2.3522, 48.8566), (4.8357, 45.7640)
    assert 390_000 < haversine_m(*paris, *lyon) < 393_000  # 391.5 km great-circle
    assert haversine_m(*ARRAS, *ARRAS) == 0
    assert haversine_m(*ARRAS, *TOULOUSE) == haversine_m(*TOULOUSE, *ARRAS)


@given(FRANCE_LON, FRANCE_LAT, FRANCE_LON, FRANCE_LAT)
def test_haversine_stays_within_half_a_percent_of_the_ellipsoid(
    lon1: float, lat1: float, lon2: float, lat2: float
) -> None:
    exact = geodesic_distance_m(lon1, lat1, lon2, lat2)
    assert geodesic_distance_m(lon2, lat2, lon1, lat1) == pytest.approx(exact, abs=1e-3)
    assert haversine_m(lon1, lat1, lon2, lat2) == pytest.approx(exact, rel=0.005, abs=1e-6)


@given(FRANCE_LON, FRANCE_LAT, st.floats(1.0, 300_000.0), st.floats(0.0, 359.0))
def test_bounding_box_contains_the_whole_circle(
    lon: float, lat: float, radius_m: float, bearing: float
) -> None:
    import math

    west, south, east, north = bbox_around(lon, lat, radius_m)
    # a point at ~radius_m in any direction (small-distance approximation, 1 % margin)
    d_lat = radius_m * 0.99 * math.cos(math.radians(bearing)) / 111_320
    d_lon = (
        radius_m
        * 0.99
        * math.sin(math.radians(bearing))
        / (111_320 * math.cos(math.radians(lat + d_lat)))
    )
    point = (lon + d_lon, lat + d_lat)
    if geodesic_distance_m(lon, lat, *point) <= radius_m:
        assert west <= point[0] <= east
        assert south <= point[1] <= north
