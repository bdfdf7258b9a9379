"""The real whoosh index on made-up documents (« [Test] … », real communes), no database:
segments, circles, deletions, typo vocabulary, status, schema versions."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from directory.search import IndexUnavailable, SearchFilters, SearchRequest, search_partners
from directory.search.documents import PartnerDocument, ServiceDocument
from directory.search.protocol import IndexFilters, MatchQuery
from directory.search.thesaurus import Thesaurus
from directory.search.whoosh_index import WhooshSearchIndex
from directory.search.whoosh_positions import Positions
from directory.search.whoosh_schema import META_FILE, build_index, index_exists
from geodata.distance import haversine_m
from geodata.geocoding.gazetteer import Gazetteer

BUILT_AT = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
ARRAS = (2.7775, 50.2910)


def doc(partner_id: int, name: str, lon: float | None, lat: float | None) -> PartnerDocument:
    return PartnerDocument(
        partner_id=partner_id,
        kind="association",
        name=f"[Test] {name}",
        updated_at=BUILT_AT - timedelta(days=partner_id),
        lon=lon,
        lat=lat,
        departement_code="62",
        services=(ServiceDocument("rsa", "accompagnement"),),
    )


@pytest.fixture
def index(tmp_path: Path) -> WhooshSearchIndex:
    documents = [
        doc(1, "Permanence Arras centre", 2.7780, 50.2915),
        doc(2, "Permanence Dainville", 2.7300, 50.2800),
        doc(3, "Permanence sans adresse", None, None),
        doc(4, "Permanence Lens", 2.8319, 50.4328),
    ]
    build_index(tmp_path, documents, Thesaurus(), Gazetteer(), now=BUILT_AT)
    opened = WhooshSearchIndex(tmp_path)
    opened.write([doc(5, "Permanence Beaurains", 2.7900, 50.2700)], [2])  # a second segment
    return opened


def circle_ids(index: WhooshSearchIndex, radius_m: float) -> set[int]:
    filters = IndexFilters(circle=(*ARRAS, radius_m))
    return {c.partner_id for c in index.match(MatchQuery(filters=filters)).candidates}


def test_circles_work_across_segments_and_skip_deleted_documents(
    index: WhooshSearchIndex,
) -> None:
    assert circle_ids(index, 5_000) == {1, 5}
    assert circle_ids(index, 25_000) == {1, 4, 5}
    assert circle_ids(index, 3_000_000) == {1, 4, 5}  # no grid narrowing at that size


def test_positions_copied_in_bulk_equal_the_column_values(index: WhooshSearchIndex) -> None:
    searcher = index._fresh_searcher()
    positions = Positions(searcher)
    column = searcher.reader().column_reader("lon")
    expected = [column[docnum] for docnum in range(searcher.doc_count_all())]
    assert len(positions.lons) == len(expected)
    for fast, slow in zip(positions.lons, expected, strict=True):
        assert (math.isnan(fast) and math.isnan(slow)) or fast == slow


def test_text_search_and_payloads(index: WhooshSearchIndex) -> None:
    page = search_partners(None, index, SearchRequest(text="permanence lens"))
    assert [hit.name for hit in page.hits] == ["[Test] Permanence Lens"]
    near = SearchFilters(near=ARRAS, radius_m=10_000)
    page = search_partners(None, index, SearchRequest(text="permanence", filters=near))
    assert [hit.partner_id for hit in page.hits] == [1, 5]
    assert page.hits[1].distance_m == pytest.approx(haversine_m(*ARRAS, 2.7900, 50.2700))
    assert index.payloads([3, 2])[3].services == (("rsa", "accompagnement"),)
    assert 2 not in index.payloads([2])


def test_unknown_words_are_corrected_from_the_indexed_vocabulary(
    index: WhooshSearchIndex,
) -> None:
    assert index.is_known_word("permanence") and not index.is_known_word("permanance")
    assert index.corrections("permanance", 1) == ["permanence"]
    page = search_partners(None, index, SearchRequest(text="permanance beaurains"))
    assert [hit.partner_id for hit in page.hits] == [5]
    assert page.corrections == (("permanance", ("permanence",)),)


def test_stats_follow_writes(index: WhooshSearchIndex) -> None:
    stats = index.stats()
    assert stats.document_count == 4 and stats.last_built_at == BUILT_AT
    assert stats.latest_update == BUILT_AT - timedelta(days=1)


def test_an_index_of_another_schema_version_is_unavailable(tmp_path: Path) -> None:
    build_index(tmp_path, [], Thesaurus(), Gazetteer(), now=BUILT_AT)
    assert index_exists(tmp_path)
    meta = tmp_path / META_FILE
    meta.write_text(meta.read_text().replace('"schema_version": ', '"schema_version": 9'))
    assert not index_exists(tmp_path)
    with pytest.raises(IndexUnavailable):
        WhooshSearchIndex(tmp_path)
    build_index(tmp_path, [doc(1, "Reconstruit", *ARRAS)], Thesaurus(), Gazetteer(), now=BUILT_AT)
    assert WhooshSearchIndex(tmp_path).stats().document_count == 1


def test_an_empty_index_answers_and_then_follows_its_first_write(tmp_path: Path) -> None:
    build_index(tmp_path, [], Thesaurus(), Gazetteer(), now=BUILT_AT)
    index = WhooshSearchIndex(tmp_path)
    request = SearchRequest(text="permanence", filters=SearchFilters(near=ARRAS, radius_m=5e3))
    assert search_partners(None, index, request).hits == ()
    assert index.corrections("permanance", 1) == [] and index.stats().document_count == 0
    index.write([doc(1, "Permanence Arras centre", 2.7780, 50.2915)], [])
    assert [hit.partner_id for hit in search_partners(None, index, request).hits] == [1]
    index.write([], [1])
    assert search_partners(None, index, request).hits == ()


@settings(max_examples=60, deadline=None)
@given(
    centre_lon=st.floats(2.5, 3.1),
    centre_lat=st.floats(50.1, 50.5),
    radius_m=st.floats(1, 300_000),
)
def test_circles_equal_a_brute_force_over_every_document(
    circle_index: tuple[WhooshSearchIndex, list[PartnerDocument]],
    centre_lon: float,
    centre_lat: float,
    radius_m: float,
) -> None:
    index, documents = circle_index
    filters = IndexFilters(circle=(centre_lon, centre_lat, radius_m))
    found = {
        c.partner_id: c.distance_m for c in index.match(MatchQuery(filters=filters)).candidates
    }
    expected = {
        d.partner_id: haversine_m(centre_lon, centre_lat, d.lon, d.lat)
        for d in documents
        if d.lon is not None
        and d.lat is not None
        and haversine_m(centre_lon, centre_lat, d.lon, d.lat) <= radius_m
    }
    assert found == pytest.approx(expected)


@pytest.fixture(scope="module")
def circle_index(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[WhooshSearchIndex, list[PartnerDocument]]:
    """200 made-up documents scattered over Artois (a fixed pseudo-random pattern)."""
    documents = [
        doc(i, f"Point {i}", 2.4 + (i * 7919 % 1000) / 1000, 50.0 + (i * 104729 % 700) / 1000)
        for i in range(1, 201)
    ]
    directory = tmp_path_factory.mktemp("circles")
    build_index(directory, documents, Thesaurus(), Gazetteer(), now=BUILT_AT)
    return WhooshSearchIndex(directory), documents
