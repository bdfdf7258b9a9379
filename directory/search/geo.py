"""Distances for the search: haversine on the mean Earth sphere (error < 0.5 %, i.e. under
50 m at 10 km: ample for ranking and for a radius filter), and bounding boxes. Kept here
rather than imported from `geodata` so that the search index depends on nothing but the
standard library for its geometry (see `directory.search.whoosh_positions`).
"""

from __future__ import annotations

import math

MEAN_EARTH_RADIUS_M = 6_371_008.8
METRES_PER_DEGREE_LAT = math.pi * MEAN_EARTH_RADIUS_M / 180


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
