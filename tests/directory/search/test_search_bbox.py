"""Search for a map: the located partners of a box, page after page, up to a limit.

Every partner here is made up (« [Test] … »).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from directory.search import SearchFilters, SearchHit, SearchRequest
from directory.search.bbox import BBox, enclosing_circle, is_in_bbox, search_partners_in_bbox
from directory.search.documents import PartnerDocument
from directory.search.request import MAX_PER_PAGE
from geodata.distance import haversine_m
from tests.directory.search.fake_index import InMemorySearchIndex

BOX: BBox = (2.77, 50.28, 2.79, 50.30)  # around Arras
UPDATED_AT = datetime(2026, 11, 22, tzinfo=UTC)


def doc(partner_id: int, lon: float | None, lat: float | None) -> PartnerDocument:
    return PartnerDocument(
        partner_id=partner_id,
        kind="france-services",
        name=f"[Test] Accueil {partner_id}",
        updated_at=UPDATED_AT,
        lon=lon,
        lat=lat,
    )


def ids(hits: tuple[SearchHit, ...]) -> list[int]:
    return [hit.partner_id for hit in hits]


@pytest.fixture
def index() -> InMemorySearchIndex:
    return InMemorySearchIndex(
        [
            doc(1, 2.7800, 50.2900),  # the centre of the box
            doc(2, 2.7720, 50.2820),  # inside, near the south-west corner
            doc(3, 2.7800, 50.3010),  # north of the box, inside its enclosing circle
            doc(4, 2.9000, 50.4000),  # far away
            doc(5, None, None),  # not located
        ]
    )


def test_the_enclosing_circle_holds_the_four_corners() -> None:
    (lon, lat), radius_m = enclosing_circle(BOX)
    assert (lon, lat) == pytest.approx((2.78, 50.29))
    west, south, east, north = BOX
    corners = [(west, south), (west, north), (east, south), (east, north)]
    assert all(haversine_m(lon, lat, *corner) <= radius_m for corner in corners)
    assert radius_m < 1_500  # the box is about 1.4 km wide and 2.2 km high


def test_only_partners_inside_the_box_are_kept_nearest_first(index: InMemorySearchIndex) -> None:
    hits = search_partners_in_bbox(None, index, SearchRequest(), BOX, limit=10)
    assert ids(hits) == [1, 2]
    assert all(hit.location is not None and is_in_bbox(BOX, *hit.location) for hit in hits)
    assert hits[0].distance_m == pytest.approx(0, abs=1)  # measured from the box's centre


def test_without_a_box_every_located_partner_is_kept(index: InMemorySearchIndex) -> None:
    hits = search_partners_in_bbox(None, index, SearchRequest(), None, limit=10)
    assert sorted(ids(hits)) == [1, 2, 3, 4]
    assert hits[0].location == (2.78, 50.29)


def test_a_point_of_its_own_measures_distances_and_the_box_only_filters(
    index: InMemorySearchIndex,
) -> None:
    far_point = (2.9000, 50.4000)
    request = SearchRequest(filters=SearchFilters(near=far_point))
    hits = search_partners_in_bbox(None, index, request, BOX, limit=10)
    assert ids(hits) == [1, 2]
    assert hits[0].distance_m == pytest.approx(haversine_m(*far_point, 2.78, 50.29), rel=1e-6)


def test_pages_are_read_until_the_limit_is_reached() -> None:
    grid = [
        doc(row * 20 + column + 1, 2.771 + column * 0.0009, 50.281 + row * 0.0009)
        for row in range(15)
        for column in range(20)
    ]  # 300 partners, all inside the box
    index = InMemorySearchIndex(grid)
    hits = search_partners_in_bbox(None, index, SearchRequest(page=3, per_page=5), BOX, limit=250)
    assert len(hits) == 250 > 2 * MAX_PER_PAGE
    assert len(set(ids(hits))) == 250
    distances = [hit.distance_m for hit in hits]
    assert distances == sorted(distances)  # one ordering across the pages read
    everything = search_partners_in_bbox(None, index, SearchRequest(), BOX, limit=1_000)
    assert len(everything) == 300
