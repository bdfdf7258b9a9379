"""Distances and the grid cells used to narrow geographic searches in the index.

Each document carries the identifiers of the grid cells that contain it, at four sizes
(`CELL_SIZES_DEG`). A search "within r metres of (lon, lat)" first keeps the documents of
the few cells covering the circle's bounding box — an OR of a handful of exact terms, which
the index intersects with the text query at almost no cost — then computes the exact
great-circle distance of each survivor. Distances are haversine on the mean Earth sphere
(error < 0.5 %, i.e. under 50 m at 10 km: ample for ranking and for a radius filter).
"""

from __future__ import annotations

import math

MEAN_EARTH_RADIUS_M = 6_371_008.8
METRES_PER_DEGREE_LAT = math.pi * MEAN_EARTH_RADIUS_M / 180
CELL_SIZES_DEG = (0.05, 0.2, 1.0, 5.0)
MAX_COVER_CELLS = 40


def haversine_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in metres between two (lon, lat) points."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi = phi2 - phi1
    d_lambda = math.radians(lon2 - lon1)
    h = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * MEAN_EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def bbox_deg(lon: float, lat: float, radius_m: float) -> tuple[float, float, float, float]:
    """(min_lon, min_lat, max_lon, max_lat) enclosing the circle (not across the poles)."""
    d_lat = radius_m / METRES_PER_DEGREE_LAT
    cos_lat = max(math.cos(math.radians(min(abs(lat) + d_lat, 89.9))), 1e-6)
    d_lon = min(d_lat / cos_lat, 180.0)
    return lon - d_lon, lat - d_lat, lon + d_lon, lat + d_lat


def _cell_index(value: float, size: float) -> int:
    return math.floor(value / size)


def cell_tokens(lon: float, lat: float) -> list[str]:
    """Identifiers of the cells containing the point, one per cell size."""
    return [
        f"{level}:{_cell_index(lon, size)}:{_cell_index(lat, size)}"
        for level, size in enumerate(CELL_SIZES_DEG)
    ]


def covering_cells(lon: float, lat: float, radius_m: float) -> tuple[str, ...] | None:
    """Cells covering the circle's bounding box, at the finest size needing few cells.

    None when even the largest cells would be too many (then no narrowing is worth it).
    """
    min_lon, min_lat, max_lon, max_lat = bbox_deg(lon, lat, radius_m)
    for level, size in enumerate(CELL_SIZES_DEG):
        xs = range(_cell_index(min_lon, size), _cell_index(max_lon, size) + 1)
        ys = range(_cell_index(min_lat, size), _cell_index(max_lat, size) + 1)
        if len(xs) * len(ys) <= MAX_COVER_CELLS:
            return tuple(f"{level}:{x}:{y}" for x in xs for y in ys)
    return None
