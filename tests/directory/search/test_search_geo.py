"""Distances and grid cells (pure functions)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from directory.search.geo import cell_tokens, covering_cells, haversine_m

ARRAS = (2.7775, 50.2910)
TOULOUSE = (1.4442, 43.6045)


def test_haversine_distance_between_paris_and_lyon() -> None:
    paris, lyon = (2.3522, 48.8566), (4.8357, 45.7640)
    assert 390_000 < haversine_m(*paris, *lyon) < 393_000  # 391.5 km great-circle
    assert haversine_m(*ARRAS, *ARRAS) == 0
    assert haversine_m(*ARRAS, *TOULOUSE) == haversine_m(*TOULOUSE, *ARRAS)


@given(
    lon=st.floats(-62, 56),
    lat=st.floats(-22, 51),
    radius_m=st.floats(100, 400_000),
    bearing=st.floats(0, 1),
    fraction=st.floats(0, 0.999),
)
def test_the_cells_covering_a_circle_hold_every_point_of_it(
    lon: float, lat: float, radius_m: float, bearing: float, fraction: float
) -> None:
    import math

    angle = bearing * 2 * math.pi
    d_lat = fraction * radius_m * math.cos(angle) / 111_195
    d_lon = fraction * radius_m * math.sin(angle) / (111_195 * math.cos(math.radians(lat)))
    point = (lon + d_lon, lat + d_lat)
    if haversine_m(lon, lat, *point) > radius_m:
        return  # the flat approximation overshot: not a point of the circle
    cover = covering_cells(lon, lat, radius_m)
    assert cover is not None
    assert set(cell_tokens(*point)) & set(cover)


def test_very_large_circles_are_not_narrowed() -> None:
    assert covering_cells(*ARRAS, 3_000_000) is None
