"""Filters, distances and opening hours on the real index of the bundled data, checked
against brute-force answers computed from the database itself."""

from __future__ import annotations

import math
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from directory.hours import OpeningSchedule
from directory.models import Closure, Partner
from directory.search import (
    SearchFilters,
    SearchPage,
    SearchRequest,
    SortOrder,
    WhooshSearchIndex,
    search_partners,
)
from geodata.models import Commune

ARRAS_CENTRE = (2.7775, 50.2910)
PARIS = ZoneInfo("Europe/Paris")
MONDAY_10H = datetime(2026, 11, 23, 10, 0, tzinfo=PARIS)
SATURDAY_10H = datetime(2026, 11, 28, 10, 0, tzinfo=PARIS)


def great_circle_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Spherical law of cosines: independent of the haversine used by the search."""
    lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
    cosine = math.sin(lat1) * math.sin(lat2) + math.cos(lat1) * math.cos(lat2) * math.cos(
        lon2 - lon1
    )
    return 6_371_008.8 * math.acos(max(-1.0, min(1.0, cosine)))


def partners_with_position(session: Session, kind: str) -> dict[int, tuple[float, float]]:
    rows = session.execute(
        select(Partner.id, func.ST_X(Partner.location), func.ST_Y(Partner.location)).where(
            Partner.kind == kind, Partner.location.is_not(None)
        )
    )
    return {pid: (float(lon), float(lat)) for pid, lon, lat in rows}


def run(
    session: Session,
    index: WhooshSearchIndex,
    text: str = "",
    filters: SearchFilters | None = None,
    sort: SortOrder | None = None,
) -> SearchPage:
    request = SearchRequest(text=text, filters=filters or SearchFilters(), sort=sort, per_page=100)
    return search_partners(session, index, request)


def test_radius_returns_exactly_the_partners_inside_the_circle(
    session: Session, bundled_index: WhooshSearchIndex
) -> None:
    positions = partners_with_position(session, "mairie")
    expected = {
        pid for pid, point in positions.items() if great_circle_m(ARRAS_CENTRE, point) <= 8_000
    }
    filters = SearchFilters(kinds=("mairie",), near=ARRAS_CENTRE, radius_m=8_000)
    page = run(session, bundled_index, filters=filters, sort=SortOrder.DISTANCE)
    assert {hit.partner_id for hit in page.hits} == expected
    assert page.total == len(expected) and page.total_is_exact
    distances = [hit.distance_m for hit in page.hits if hit.distance_m is not None]
    assert len(distances) == len(page.hits) and distances == sorted(distances)
    for hit in page.hits:
        assert hit.distance_m == pytest.approx(
            great_circle_m(ARRAS_CENTRE, positions[hit.partner_id]), rel=1e-6
        )


def test_departement_filter_keeps_the_partners_located_there(
    session: Session, bundled_index: WhooshSearchIndex
) -> None:
    in_31 = set(
        session.scalars(
            select(Partner.id)
            .join(Commune, Commune.insee_code == Partner.insee_code)
            .where(Partner.kind == "france-services", Commune.departement_code == "31")
        )
    )
    page = run(
        session, bundled_index, "france services", filters=SearchFilters(departement_codes=("31",))
    )
    # Since the conseillers numériques places (2022) are imported, some of them, named after
    # the France services site that hosts them, also match « france services ».
    assert {hit.partner_id for hit in page.hits if hit.kind == "france-services"} == in_31
    others = [hit for hit in page.hits if hit.kind != "france-services"]
    assert all(hit.kind == "conseiller-numerique" for hit in others)
    located = session.scalars(
        select(Commune.departement_code)
        .join(Partner, Partner.insee_code == Commune.insee_code)
        .where(Partner.id.in_([hit.partner_id for hit in others]))
    )
    assert set(located) <= {"31"}
    assert len(in_31) > 20


def test_epci_filter_finds_the_france_services_of_the_cu_d_arras(
    session: Session, bundled_index: WhooshSearchIndex
) -> None:
    siren = session.scalar(select(Commune.epci_siren).where(Commune.insee_code == "62041"))
    assert siren is not None
    filters = SearchFilters(kinds=("france-services",), epci_sirens=(siren,))
    names = {hit.name for hit in run(session, bundled_index, filters=filters).hits}
    assert names == {
        "France services d'Arras - Marie-Thérèse Lenoir",
        "France services Pimms Médiation Arras",
        "France services de Dainville",
        "France services de Beaurains",
    }


def test_commune_filter_with_text(session: Session, bundled_index: WhooshSearchIndex) -> None:
    filters = SearchFilters(insee_codes=("31555",))
    hits = run(session, bundled_index, "rsa", filters=filters).hits
    assert {hit.name for hit in hits if hit.kind == "france-services"} == {
        "France services de Toulouse-Les Minimes",
        "France services Toulouse-Pradettes",
        "France services La Poste du Mirail",
    }
    # Since the DILA Annuaire (2017) is imported, the CAF offices and maisons des
    # solidarités of Toulouse and the MSA office, which decide on the RSA, are found too.
    assert {hit.kind for hit in hits} == {"france-services", "caf", "mds", "msa"}


def test_right_and_help_level_filters_are_checked_together(
    session: Session, bundled_index: WhooshSearchIndex
) -> None:
    near = SearchFilters(near=ARRAS_CENTRE, radius_m=5_000, right_slugs=("aide-sociale-ccas",))
    informing = run(session, bundled_index, filters=near)
    assert informing.hits and {h.kind for h in informing.hits} == {"mairie"}
    helping = SearchFilters(
        near=ARRAS_CENTRE, radius_m=5_000, right_slugs=("aide-sociale-ccas",),
        help_levels=("accompagnement",),
    )  # fmt: skip
    assert run(session, bundled_index, filters=helping).hits == ()


def test_without_appointment_excludes_appointment_only_and_unknown(
    session: Session, bundled_index: WhooshSearchIndex
) -> None:
    filters = SearchFilters(kinds=("france-services",), departement_codes=("62",),
                            without_appointment=True)  # fmt: skip
    page = run(session, bundled_index, filters=filters)
    modes = {session.get(Partner, hit.partner_id).appointment for hit in page.hits}  # type: ignore[union-attr]
    assert page.hits and modes <= {"sans-rdv", "rdv-possible"}


@pytest.mark.parametrize("instant", [MONDAY_10H, SATURDAY_10H], ids=["monday", "saturday"])
def test_open_at_matches_the_opening_schedules(
    session: Session, bundled_index: WhooshSearchIndex, instant: datetime
) -> None:
    positions = partners_with_position(session, "mairie")
    around = [pid for pid, p in positions.items() if great_circle_m(ARRAS_CENTRE, p) <= 6_000]
    expected = set()
    for pid in around:
        partner = session.get(Partner, pid)
        assert partner is not None
        if OpeningSchedule(partner.opening_hours, "62").is_open(instant):
            expected.add(pid)
    filters = SearchFilters(kinds=("mairie",), near=ARRAS_CENTRE, radius_m=6_000, open_at=instant)
    page = run(session, bundled_index, filters=filters)
    assert {hit.partner_id for hit in page.hits} == expected
    assert all(hit.is_open for hit in page.hits)


def test_a_closure_in_the_database_hides_an_otherwise_open_town_hall(
    session: Session, bundled_index: WhooshSearchIndex
) -> None:
    filters = SearchFilters(kinds=("mairie",), insee_codes=("62041",), open_at=MONDAY_10H)
    before = run(session, bundled_index, filters=filters)
    assert [hit.name for hit in before.hits] == ["Mairie de Arras"]
    mairie = before.hits[0].partner_id
    monday = date(2026, 11, 23)
    reason = "[Test] fermeture exceptionnelle"
    session.add(Closure(partner_id=mairie, starts_on=monday, ends_on=monday, reason=reason))
    session.flush()
    assert run(session, bundled_index, filters=filters).hits == ()


def test_pages_are_consecutive_slices_of_the_same_order(
    session: Session, bundled_index: WhooshSearchIndex
) -> None:
    def page(number: int) -> list[int]:
        request = SearchRequest(text="mairie", filters=SearchFilters(departement_codes=("31",)),
                                page=number, per_page=7)  # fmt: skip
        return [hit.partner_id for hit in search_partners(session, bundled_index, request).hits]

    first, second = page(1), page(2)
    request = SearchRequest(text="mairie", filters=SearchFilters(departement_codes=("31",)),
                            per_page=14)  # fmt: skip
    both = [hit.partner_id for hit in search_partners(session, bundled_index, request).hits]
    assert first + second == both
    assert not set(first) & set(second)
