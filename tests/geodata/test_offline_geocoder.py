"""Offline geocoding of what people type, on SpatiaLite and PostGIS."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from geodata.geocoding.offline import OfflineGeocoder
from geodata.geocoding.results import Precision
from geodata.models import Commune


def first(geocoder: OfflineGeocoder, session: Session, query: str) -> str:
    results = geocoder.geocode(session, query)
    assert results, f"aucun résultat pour {query!r}"
    return results[0].insee_code


@pytest.mark.parametrize(
    ("query", "insee_code"),
    [
        ("Cadours", "31098"),
        ("cadours", "31098"),
        ("Saint-Gaudens", "31483"),
        ("St Gaudens", "31483"),
        ("saint gaudens", "31483"),
        ("Villefranche de Lauragais", "31582"),
        ("Villefranche-de-Lauragais 31290", "31582"),
        ("62000 Arras", "62041"),
        ("Arras 62000", "62041"),
        ("Araas", "62041"),
        ("Muert", "31395"),
        ("Boulogne s/ Mer", "62160"),
        ("Le Touquet Paris Plage", "62826"),
        ("Touquet Paris Plage", "62826"),
        ("Beaumetz les Loges", "62097"),
        ("Hénin-Beaumont", "62427"),
    ],
)
def test_communes_are_found_as_people_type_them(
    session: Session, geocoder: OfflineGeocoder, query: str, insee_code: str
) -> None:
    assert first(geocoder, session, query) == insee_code


def test_commune_results_say_the_position_is_approximate(
    session: Session, geocoder: OfflineGeocoder
) -> None:
    [cadours, *_] = geocoder.geocode(session, "Cadours")
    commune = session.get(Commune, "31098")
    assert commune is not None
    assert cadours.precision is Precision.COMMUNE and cadours.is_approximate
    assert cadours.notes[0] == "position approximative (centre de la commune)"
    assert (cadours.city, cadours.postcode, cadours.label) == (
        "Cadours",
        "31480",
        "Cadours (31480)",
    )
    assert cadours.context == "31, Haute-Garonne"
    assert 0 < cadours.score <= 1


def test_shared_postcode_returns_every_commune_by_population(
    session: Session, geocoder: OfflineGeocoder
) -> None:
    results = geocoder.geocode(session, "31800", limit=20)
    expected = session.execute(
        select(Commune.insee_code, Commune.population).where(Commune.postal_codes.contains("31800"))
    ).all()
    expected_codes = [code for code, _ in sorted(expected, key=lambda row: -(row[1] or 0))]
    assert len(expected_codes) > 1
    assert [r.insee_code for r in results] == expected_codes[:20]
    assert results[0].insee_code == "31483"  # Saint-Gaudens, the most populated
    assert {r.precision for r in results} == {Precision.POSTCODE}
    assert all(r.is_approximate for r in results)


def test_old_name_of_a_commune_deleguee_finds_the_new_commune(
    session: Session, geocoder: OfflineGeocoder
) -> None:
    [result, *_] = geocoder.geocode(session, "Huby-Saint-Leu")
    assert result.insee_code == "62447"  # Hesdin-la-Forêt
    assert any("ancienne commune" in note for note in result.notes)
    assert "Huby-Saint-Leu" in result.label


def test_postcode_disambiguates_homonyms_and_shortened_names(
    session: Session, geocoder: OfflineGeocoder
) -> None:
    beaumont = {r.insee_code for r in geocoder.geocode(session, "Beaumont", limit=20)}
    assert len(beaumont) > 3  # many communes are named Beaumont
    assert first(geocoder, session, "Beaumont 63110") == "63032"
    assert first(geocoder, session, "Montreuil 62170") == "62588"  # Montreuil-sur-Mer


def test_preferred_departements_break_ties_between_homonyms(session: Session) -> None:
    # Five French communes are called "Beaufort"; the one of Haute-Garonne is not the largest.
    plain = OfflineGeocoder()
    territory = OfflineGeocoder(preferred_departements=("62", "31"))
    assert first(plain, session, "Beaufort") == "73034"
    assert first(territory, session, "Beaufort") == "31051"
    assert first(territory, session, "Beaufort 73270") == "73034"


def test_typo_is_corrected_and_said(session: Session, geocoder: OfflineGeocoder) -> None:
    [result, *_] = geocoder.geocode(session, "Cadoure")
    assert result.insee_code == "31098"
    assert any("orthographe corrigée" in note for note in result.notes)
    assert result.score < geocoder.geocode(session, "Cadours")[0].score


def test_street_in_a_commune_without_imported_addresses_falls_back_to_the_commune(
    session: Session, geocoder: OfflineGeocoder
) -> None:
    [result, *_] = geocoder.geocode(session, "le bourg, Aspet")
    assert result.insee_code == "31020"
    assert result.precision is Precision.COMMUNE
    assert "aucune adresse importée pour cette commune" in result.notes
    assert "position approximative (centre de la commune)" in result.notes


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        ";;;!!!???",
        "x" * 2000,
        "Arras " * 400,
        "'; DROP TABLE commune; --",
        "<script>alert('x')</script>",
        "1' OR '1'='1",
        "\x00\x01\x02",
        "99999",
    ],
)
def test_bad_input_gives_no_result_or_sane_results_never_an_error(
    session: Session, geocoder: OfflineGeocoder, query: str
) -> None:
    results = geocoder.geocode(session, query)
    suggestions = geocoder.autocomplete(session, query)
    assert len(results) <= 5 and len(suggestions) <= 10
    assert all(r.insee_code for r in [*results, *suggestions])
    assert session.get(Commune, "62041") is not None


def test_autocomplete_completes_names_and_postcodes(
    session: Session, geocoder: OfflineGeocoder
) -> None:
    names = geocoder.autocomplete(session, "Saint-Gau")
    assert names[0].insee_code == "31483"
    assert len(geocoder.autocomplete(session, "Saint")) == 10
    assert all(s.city.startswith("Saint") for s in geocoder.autocomplete(session, "st"))
    assert geocoder.autocomplete(session, "Cadou")[0].insee_code == "31098"
    postcodes = geocoder.autocomplete(session, "3180")
    assert postcodes and all(s.postcode and s.postcode.startswith("3180") for s in postcodes)
    assert geocoder.autocomplete(session, "Cadoure")[0].insee_code == "31098"  # typo: geocode


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=300))
def test_any_text_gives_at_most_limit_results_without_error(
    session: Session, geocoder: OfflineGeocoder, text: str
) -> None:
    results = geocoder.geocode(session, text, limit=3)
    assert len(results) <= 3
    for result in results:
        assert 0.0 <= result.score <= 1.0
        assert -180 <= result.lon <= 180 and -90 <= result.lat <= 90
        assert result.precision in Precision
    assert len(geocoder.autocomplete(session, text)) <= 10
