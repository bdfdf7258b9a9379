"""Distances and grid cells (pure functions)."""

from __future__ import annotations

import pytest

from directory.search.geo import bbox_deg, haversine_m

ARRAS = (2.7775, 50.2910)
TOULOUSE = (1.4442, 43.6045)


def test_haversine_distance_between_paris_and_lyon() -> None:
    paris, lyon = (2.3522, 48.8566), (4.8357, 45.7640)
    assert 390_000 < haversine_m(*paris, *lyon) < 393_000  # 391.5 km great-circle
    assert haversine_m(*ARRAS, *ARRAS) == 0
    assert haversine_m(*ARRAS, *TOULOUSE) == haversine_m(*TOULOUSE, *ARRAS)


def test_bounding_box_holds_the_circle() -> None:
    min_lon, min_lat, max_lon, max_lat = bbox_deg(*ARRAS, 10_000)
    for corner_lon in (min_lon, max_lon):
        assert 10_000 <= haversine_m(*ARRAS, corner_lon, ARRAS[1]) < 10_100
    for corner_lat in (min_lat, max_lat):
        assert haversine_m(*ARRAS, ARRAS[0], corner_lat) == pytest.approx(10_000)
