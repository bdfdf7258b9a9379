"""Ranking on columns (`directory.search.ranking`) gives exactly the order and scores of the
one-candidate-at-a-time definition, and the whole-directory matches kept in memory
(`directory.search.match_cache`) never outlive their index generation."""

from __future__ import annotations

import math
import time
from datetime import UTC, datetime
from pathlib import Path
from unittest.mock import patch

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from directory.search import ranking as ranking_module
from directory.search import whoosh_index
from directory.search.documents import PartnerDocument, ServiceDocument
from directory.search.match_cache import MatchCache
from directory.search.protocol import Candidate, MatchQuery, MatchResult, TextClause, WordMatch
from directory.search.ranking import DISTANCE_SCALE_M, rank
from directory.search.request import SortOrder
from directory.search.thesaurus import Thesaurus
from directory.search.whoosh_index import WhooshSearchIndex
from directory.search.whoosh_schema import build_index
from geodata.distance import haversine_m
from geodata.geocoding.gazetteer import Gazetteer

BUILT_AT = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)


def reference_ranking(
    candidates: list[Candidate],
    centre: tuple[float, float] | None,
    radius_m: float | None,
    sort: SortOrder,
    has_text: bool,
) -> list[tuple[int, float | None, float]]:
    """The definition, one candidate at a time: (partner id, distance, score), best first."""
    kept = []
    for c in candidates:
        distance = c.distance_m
        if distance is None and centre is not None and c.lon is not None and c.lat is not None:
            distance = haversine_m(centre[0], centre[1], c.lon, c.lat)
        if radius_m is not None and (distance is None or distance > radius_m):
            continue
        kept.append((c, distance))
    best = max((c.relevance for c, _ in kept), default=0.0) or 1.0
    rows = []
    for c, distance in kept:
        proximity = 0.0 if distance is None else 1 / (1 + distance / DISTANCE_SCALE_M)
        if sort is SortOrder.DISTANCE:
            score = proximity
        elif sort is SortOrder.COMBINED:
            score = (c.relevance / best if has_text else 1.0) * proximity
        else:
            score = c.relevance
        rows.append((c.partner_id, distance, score))
    rows.sort(key=lambda r: (-r[2], r[1] is None, r[1] or 0.0, r[0]))
    return rows


located = st.tuples(
    st.floats(min_value=-5.0, max_value=9.0), st.floats(min_value=41.0, max_value=51.0)
)
candidate_lists = st.lists(
    st.tuples(
        st.sampled_from([0.0, 1.0, 2.5, 7.25]) | st.floats(min_value=0.0, max_value=40.0),
        st.none() | located,
        st.none() | st.floats(min_value=0.0, max_value=200_000.0),
    ),
    max_size=120,
).map(
    lambda rows: [
        Candidate(
            partner_id=1000 - index,  # ids not in row order: ties must fall back on the id
            relevance=relevance,
            lon=None if where is None else where[0],
            lat=None if where is None else where[1],
            distance_m=measured if where is not None else None,
        )
        for index, (relevance, where, measured) in enumerate(rows)
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    candidates=candidate_lists,
    centre=st.none() | located,
    radius_m=st.none() | st.sampled_from([500.0, 15_000.0, 150_000.0]),
    sort=st.sampled_from(list(SortOrder)),
    has_text=st.booleans(),
    prefix=st.sampled_from([1, 5, ranking_module.PREFIX]),
)
def test_column_ranking_matches_the_definition(
    candidates: list[Candidate],
    centre: tuple[float, float] | None,
    radius_m: float | None,
    sort: SortOrder,
    has_text: bool,
    prefix: int,
) -> None:
    """``prefix``: how many rows are sorted before the rest is read (small ones make the
    partial sort, then the complete one, happen on small lists)."""
    if radius_m is not None and centre is None:
        radius_m = None  # the engine refuses a radius without a point
    with patch.object(ranking_module, "PREFIX", prefix):
        ranking = rank(MatchResult(candidates, len(candidates), True), centre, radius_m, sort,
                       has_text=has_text)  # fmt: skip
        expected = reference_ranking(candidates, centre, radius_m, sort, has_text)
        first = [s.candidate.partner_id for s in ranking[:prefix]]  # before the whole sort
        got = [(s.candidate.partner_id, s.distance_m, s.score) for s in ranking]
    assert first == [row[0] for row in expected[:prefix]]
    assert [row[0] for row in got] == [row[0] for row in expected]
    for (_, distance, score), (_, want_distance, want_score) in zip(got, expected, strict=True):
        assert (distance is None) == (want_distance is None)
        if distance is not None and want_distance is not None:
            assert math.isclose(distance, want_distance, rel_tol=1e-9, abs_tol=1e-6)
        assert math.isclose(score, want_score, rel_tol=1e-9, abs_tol=1e-12)
    assert len(ranking) == len(expected)
    assert [s.candidate.partner_id for s in ranking[1:3]] == [row[0] for row in expected[1:3]]


def _result(*ids: int) -> MatchResult:
    return MatchResult([Candidate(i, 1.0, None, None) for i in ids], len(ids), True)


def test_match_cache_forgets_everything_when_the_searcher_changes() -> None:
    cache = MatchCache()
    query = MatchQuery(clauses=(TextClause(words=(WordMatch(("mairi",)),)),))
    old, new = object(), object()
    cache.put(old, query, _result(1, 2))
    assert cache.get(old, query) == _result(1, 2)
    assert cache.get(new, query) is None  # another generation of the index
    cache.put(new, MatchQuery(), _result(3))
    assert cache.get(old, query) is None and len(cache) == 1


def test_match_cache_is_bounded_by_candidates_least_recently_used_first_out() -> None:
    cache = MatchCache(max_candidates=5, max_queries=10)
    owner = object()
    queries = [MatchQuery(filters=MatchQuery().filters, limit=n) for n in range(4)]
    cache.put(owner, queries[0], _result(1, 2))
    cache.put(owner, queries[1], _result(3, 4))
    assert cache.get(owner, queries[0]) is not None  # now the most recently used
    cache.put(owner, queries[2], _result(5, 6))  # 6 candidates > 5: the oldest goes
    assert cache.get(owner, queries[1]) is None
    assert cache.get(owner, queries[0]) is not None and cache.get(owner, queries[2]) is not None
    cache.put(owner, queries[3], _result(*range(6)))  # larger than the whole cache: not kept
    assert cache.get(owner, queries[3]) is None and len(cache) == 2


def doc(partner_id: int, name: str) -> PartnerDocument:
    return PartnerDocument(
        partner_id=partner_id,
        kind="association",
        name=f"[Test] {name}",
        updated_at=BUILT_AT,
        lon=2.7780,
        lat=50.2915,
        departement_code="62",
        services=(ServiceDocument("rsa", "accompagnement"),),
    )


def matched_ids(index: WhooshSearchIndex) -> set[int]:
    query = MatchQuery(clauses=(TextClause(words=(WordMatch(("permanent",)),)),))
    return {c.partner_id for c in index.match(query).candidates}


@pytest.mark.parametrize("settled_s", [0, whoosh_index.SETTLED_S])
def test_what_is_kept_in_memory_follows_writes_of_another_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settled_s: int
) -> None:
    """``settled_s=0`` trusts the directory's modification time at once: the fast path."""
    monkeypatch.setattr(whoosh_index, "SETTLED_S", settled_s)
    build_index(tmp_path, [doc(1, "Permanence Arras")], Thesaurus(), Gazetteer(), now=BUILT_AT)
    reader, writer = WhooshSearchIndex(tmp_path), WhooshSearchIndex(tmp_path)
    try:
        assert matched_ids(reader) == {1}
        assert matched_ids(reader) == {1}  # from memory this time
        time.sleep(0.05)  # file times tick every few milliseconds: let the write show
        writer.write([doc(2, "Permanence Lens")], [1])
        assert matched_ids(reader) == {2}
        reader.write([doc(3, "Permanence Bapaume")], [])
        assert matched_ids(reader) == {2, 3}
        assert reader.payloads([3])[3].name == "[Test] Permanence Bapaume"
        time.sleep(0.05)
        writer.write([doc(3, "Permanence Bapaume, place de la gare")], [])
        assert reader.payloads([3])[3].name == "[Test] Permanence Bapaume, place de la gare"
    finally:
        reader.close()
        writer.close()
