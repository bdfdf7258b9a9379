"""One-typo index: finds every key one edit away, and only those."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from geodata.geocoding.fuzzy import FuzzyIndex, osa_distance

ALPHABET = "abcdeiloprstu"


def reference_osa(a: str, b: str) -> int:
    """Textbook optimal string alignment distance, without early exit."""
    d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i][0] = i
    for j in range(len(b) + 1):
        d[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


def test_each_kind_of_typo_is_found() -> None:
    index = FuzzyIndex(["arras", "cadours", "saintomer"])
    for typed in ("aras", "arrass", "arraz", "arars", "cadousr", "caduors", "saintomr"):
        assert [distance for _, distance in index.within_one_edit(typed)] == [1], typed
    assert index.within_one_edit("arras") == [(0, 0)]
    assert index.within_one_edit("araz") == []


def test_short_keys_only_match_exactly() -> None:
    index = FuzzyIndex(["eu", "y", "bry"])
    assert index.within_one_edit("eu") == [(0, 0)]
    assert index.within_one_edit("ey") == []
    assert index.within_one_edit("bryy") == []


def test_homonyms_keep_their_own_entries() -> None:
    index = FuzzyIndex(["beaumont", "beaumont", "beaumonts"])
    assert index.within_one_edit("beaumont") == [(0, 0), (1, 0), (2, 1)]


@given(st.text(ALPHABET, max_size=9), st.text(ALPHABET, max_size=9))
def test_osa_distance_agrees_with_the_textbook_version(a: str, b: str) -> None:
    expected = reference_osa(a, b)
    assert osa_distance(a, b, limit=1) == min(expected, 2)
    assert osa_distance(a, b, limit=20) == expected


@given(st.text("abcdé", max_size=8), st.text("abcdé", max_size=8))
def test_edit_distance_is_a_symmetric_capped_distance(first: str, second: str) -> None:
    distance = osa_distance(first, second, limit=3)
    assert distance == osa_distance(second, first, limit=3)
    assert (distance == 0) == (first == second)
    assert distance <= max(len(first), len(second), 0) or distance == 4
    assert min(distance, 2) == osa_distance(first, second, limit=1)


@given(st.lists(st.text(ALPHABET, min_size=4, max_size=9), min_size=1, max_size=30), st.data())
def test_index_finds_exactly_the_keys_within_one_edit(keys: list[str], data: st.DataObject) -> None:
    index = FuzzyIndex(keys)
    query = data.draw(st.one_of(st.sampled_from(keys), st.text(ALPHABET, min_size=4, max_size=9)))
    found = dict(index.within_one_edit(query))
    expected = {i: reference_osa(query, key) for i, key in enumerate(keys)}
    assert found == {i: d for i, d in expected.items() if d <= 1}
