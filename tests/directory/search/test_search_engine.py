"""Search logic on the in-memory fake index: sorting, pages, filters, hours, validation.

Every partner here is made up (« [Test] … »); the communes are real.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from directory.search import InvalidSearch, SearchFilters, SearchRequest, SortOrder, search_partners
from directory.search.documents import PartnerDocument, ServiceDocument
from directory.search.gazetteer import search_gazetteer
from directory.search.thesaurus import RightTerms, Thesaurus
from geodata.distance import haversine_m
from geodata.geocoding.gazetteer import Place
from tests.directory.search.fake_index import InMemorySearchIndex

ARRAS = (2.7775, 50.2910)
PARIS = ZoneInfo("Europe/Paris")
MONDAY_10H = datetime(2026, 11, 23, 10, 0, tzinfo=PARIS)
SUNDAY_10H = datetime(2026, 11, 22, 10, 0, tzinfo=PARIS)
WEEKDAYS = "Mo-Fr 09:00-12:00,14:00-17:00; PH off"


def doc(partner_id: int, name: str, lon: float, lat: float, **fields: Any) -> PartnerDocument:
    values: dict[str, Any] = {
        "kind": "france-services",
        "updated_at": datetime(2026, 11, 22, tzinfo=UTC),
        "insee_code": "62041",
        "departement_code": "62",
        "commune_name": "Arras",
        "opening_hours": WEEKDAYS,
        "services": (ServiceDocument("rsa", "accompagnement"),),
    }
    values.update(fields)
    return PartnerDocument(partner_id=partner_id, name=f"[Test] {name}", lon=lon, lat=lat, **values)


@pytest.fixture
def index() -> InMemorySearchIndex:
    thesaurus = Thesaurus.build(
        [
            RightTerms("rsa", "Revenu de solidarité active", "RSA", ("RSA",)),
            RightTerms("c2s", "Complémentaire santé solidaire", "C2S", ("CSS", "CMU-C")),
        ]
    )
    gazetteer = search_gazetteer([Place("62041", "Arras", "62", *ARRAS, 41_000, ("62000",))])
    documents = [
        doc(1, "Point d'accueil centre", 2.7780, 50.2915, accessibility="accessible"),
        doc(2, "Point d'accueil sud", 2.7800, 50.2500, appointment="sur-rdv"),
        doc(3, "Point d'accueil lointain", 3.0000, 50.5000, appointment="sans-rdv"),
        doc(4, "Permanence santé", 2.7700, 50.2900, kind="association",
            services=(ServiceDocument("c2s", "information"),), opening_hours=None),
        doc(5, "Accueil du samedi", 2.7790, 50.2920, opening_hours="Sa 09:00-12:00",
            is_demo=True, appointment="rdv-possible"),
    ]  # fmt: skip
    return InMemorySearchIndex(documents, thesaurus=thesaurus, gazetteer=gazetteer)


def search(index: InMemorySearchIndex, text: str = "", **kwargs: Any) -> Any:
    filters = kwargs.pop("filters", SearchFilters())
    return search_partners(None, index, SearchRequest(text=text, filters=filters, **kwargs))


def ids(page: Any) -> list[int]:
    return [hit.partner_id for hit in page.hits]


def test_a_commune_named_in_the_text_ranks_by_distance_from_it(index: InMemorySearchIndex) -> None:
    page = search(index, "rsa arras")
    assert page.place_label == "Arras (62)"
    assert page.sort is SortOrder.COMBINED
    assert ids(page) == [1, 5, 2, 3]  # nearest first: equally relevant
    assert all(hit.matched_rights == ("rsa",) for hit in page.hits)
    assert page.hits[0].reasons[-1].startswith("À ") and "de Arras" in page.hits[0].reasons[-1]


def test_distance_sort_is_nearest_first_and_distances_are_exact(index: InMemorySearchIndex) -> None:
    near = (2.7785, 50.2700)
    page = search(index, filters=SearchFilters(near=near), sort=SortOrder.DISTANCE)
    distances = [hit.distance_m for hit in page.hits]
    assert distances == sorted(distances)
    assert page.hits[0].distance_m == pytest.approx(haversine_m(*near, 2.7800, 50.2500))


def test_radius_keeps_only_partners_inside_the_circle(index: InMemorySearchIndex) -> None:
    page = search(index, "rsa", filters=SearchFilters(near=ARRAS, radius_m=5_000))
    assert sorted(ids(page)) == [1, 2, 5]
    assert page.total == 3 and page.total_is_exact
    assert all(hit.distance_m is not None and hit.distance_m <= 5_000 for hit in page.hits)


def test_pages_follow_each_other_without_overlap(index: InMemorySearchIndex) -> None:
    filters = SearchFilters(near=ARRAS, radius_m=100_000)
    first = search(index, filters=filters, sort=SortOrder.DISTANCE, per_page=2)
    second = search(index, filters=filters, sort=SortOrder.DISTANCE, per_page=2, page=2)
    whole = search(index, filters=filters, sort=SortOrder.DISTANCE, per_page=10)
    assert ids(first) + ids(second) == ids(whole)[:4]
    assert first.total == second.total == len(whole.hits) == 5


def test_a_synonym_finds_the_partners_offering_the_right(index: InMemorySearchIndex) -> None:
    assert ids(search(index, "CSS")) == [4]
    assert ids(search(index, "cmu-c")) == [4]


def test_words_found_nowhere_together_fall_back_to_any_word(index: InMemorySearchIndex) -> None:
    page = search(index, "samedi lointain")
    assert page.relaxed
    assert set(ids(page)) == {3, 5}


def test_filters_combine_with_the_text(index: InMemorySearchIndex) -> None:
    assert ids(search(index, filters=SearchFilters(kinds=("association",)))) == [4]
    assert ids(search(index, filters=SearchFilters(accessible_only=True))) == [1]
    assert set(ids(search(index, filters=SearchFilters(without_appointment=True)))) == {3, 5}
    assert 5 not in ids(search(index, filters=SearchFilters(include_demo=False)))
    levels = SearchFilters(right_slugs=("c2s",), help_levels=("accompagnement",))
    assert ids(search(index, filters=levels)) == []
    assert ids(search(index, filters=SearchFilters(right_slugs=("c2s",)))) == [4]


def test_open_at_keeps_partners_known_to_be_open(index: InMemorySearchIndex) -> None:
    monday = search(index, filters=SearchFilters(open_at=MONDAY_10H))
    assert sorted(ids(monday)) == [1, 2, 3]  # 4 has unknown hours, 5 opens on Saturdays
    assert all(hit.is_open for hit in monday.hits)
    assert search(index, filters=SearchFilters(open_at=SUNDAY_10H)).hits == ()


def test_open_at_a_public_holiday_follows_ph_off(index: InMemorySearchIndex) -> None:
    armistice = datetime(2026, 11, 11, 10, 0, tzinfo=PARIS)  # a Wednesday
    assert search(index, filters=SearchFilters(open_at=armistice)).hits == ()


@pytest.mark.parametrize(
    ("request_", "field"),
    [
        (SearchRequest(filters=SearchFilters(radius_m=1_000)), "radius_m"),
        (SearchRequest(per_page=0), "per_page"),
        (SearchRequest(page=0), "page"),
        (SearchRequest(filters=SearchFilters(kinds=("banque",))), "kinds"),
        (SearchRequest(filters=SearchFilters(help_levels=("tout",))), "help_levels"),
        (SearchRequest(filters=SearchFilters(near=(200.0, 50.29))), "near"),
        (SearchRequest(filters=SearchFilters(open_at=datetime(2026, 11, 23, 10))), "open_at"),
        (SearchRequest(text="x" * 301), "text"),
    ],
)
def test_invalid_requests_are_refused_with_french_field_errors(
    index: InMemorySearchIndex, request_: SearchRequest, field: str
) -> None:
    with pytest.raises(InvalidSearch) as raised:
        search_partners(None, index, request_)
    assert field in raised.value.field_errors
    assert raised.value.code == "invalid_search"


def test_a_radius_around_the_commune_named_in_the_text(index: InMemorySearchIndex) -> None:
    page = search(index, "rsa arras", filters=SearchFilters(radius_m=5_000))
    assert sorted(ids(page)) == [1, 2, 5]
    assert page.searched_radius_m == 5_000 and page.total_is_exact
