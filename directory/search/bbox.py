"""Search for a map: every located partner in a box (west, south, east, north), up to a limit.

A box is searched as the circle that encloses it (the index narrows by circles), page after
page of the ordinary search, and the hits outside the box are then left out. With a point
of its own (``near``), the request keeps its circle or rings and the box only filters.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy.orm import Session

from directory.search.engine import search_window
from directory.search.protocol import SearchIndex
from directory.search.request import (
    MAX_PAGE,
    MAX_PER_PAGE,
    MAX_RADIUS_M,
    SearchHit,
    SearchRequest,
)
from geodata.distance import haversine_m

BBox = tuple[float, float, float, float]  # west, south, east, north (degrees, WGS 84)
CIRCLE_MARGIN_M = 1.0  # the box's corners are inside the circle despite rounding


def enclosing_circle(bbox: BBox) -> tuple[tuple[float, float], float]:
    """The box's centre (lon, lat) and the distance to its north-east corner, in metres."""
    west, south, east, north = bbox
    centre = ((west + east) / 2, (south + north) / 2)
    return centre, haversine_m(centre[0], centre[1], east, north) + CIRCLE_MARGIN_M


def is_in_bbox(bbox: BBox, lon: float, lat: float) -> bool:
    west, south, east, north = bbox
    return west <= lon <= east and south <= lat <= north


def search_partners_in_bbox(
    session: Session | None,
    index: SearchIndex,
    request: SearchRequest,
    bbox: BBox | None,
    limit: int,
) -> tuple[SearchHit, ...]:
    """At most ``limit`` located hits in ``bbox`` (anywhere if None), in the search's order.

    ``request.page`` and ``request.per_page`` are ignored: windows of ``limit`` hits (at least
    `MAX_PER_PAGE`) are read until ``limit`` located hits in the box are found or the
    results run out.
    """
    if bbox is not None and request.filters.near is None:
        centre, radius_m = enclosing_circle(bbox)
        if radius_m <= MAX_RADIUS_M:  # a larger box (a whole country) is filtered afterwards
            narrowed = replace(request.filters, near=centre, radius_m=radius_m)
            request = replace(request, filters=narrowed)
    request.validate()
    located: list[SearchHit] = []
    per_page = max(limit, MAX_PER_PAGE)
    for page in range(1, MAX_PAGE + 1):  # one pass, unless hits fall outside the box
        found = search_window(session, index, replace(request, page=page, per_page=per_page))
        located.extend(
            hit
            for hit in found.hits
            if hit.location is not None and (bbox is None or is_in_bbox(bbox, *hit.location))
        )
        if len(found.hits) < per_page or len(located) >= limit:
            break
    return tuple(located[:limit])
