"""The search can leave out partners « à confirmer » (information older than the age)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from directory.confirmation import ConfirmationPolicy
from directory.search import SearchFilters, SearchRequest, WhooshSearchIndex, search_partners

DECEMBER_2026 = date(2026, 12, 3)


def kinds_found(session: Session, index: WhooshSearchIndex, filters: SearchFilters) -> set[str]:
    request = SearchRequest(text="caf", filters=filters, per_page=100)
    page = search_partners(session, index, request)
    return {hit.kind for hit in page.hits}


def test_the_old_caf_offices_are_found_only_when_asked(
    session: Session, bundled_index: WhooshSearchIndex
) -> None:
    everything = SearchFilters(departement_codes=("31",))
    assert "caf" in kinds_found(session, bundled_index, everything)
    oldest = ConfirmationPolicy().oldest_current_date(DECEMBER_2026)
    current = SearchFilters(departement_codes=("31",), verified_since=oldest)
    assert "caf" not in kinds_found(session, bundled_index, current)


def test_the_filter_compares_the_day_of_the_information(
    session: Session, bundled_index: WhooshSearchIndex
) -> None:
    def total(since: date) -> int:
        request = SearchRequest(
            filters=SearchFilters(kinds=("caf",), departement_codes=("31",), verified_since=since),
            per_page=100,
        )
        return search_partners(session, bundled_index, request).total

    assert total(date(2017, 9, 11)) == 18  # the day of the 18 CAF offices of the 31
    assert total(date(2017, 9, 12)) == 0
