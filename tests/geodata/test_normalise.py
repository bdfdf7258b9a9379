"""Text normalisation and query parsing: what people type becomes comparable keys."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geodata.geocoding.normalise import fold, place_key, street_body_key, street_key, street_words
from geodata.geocoding.parsing import parse_query

DEPARTEMENTS = {"31", "62", "63", "2A", "974"}


@pytest.mark.parametrize(
    "typed",
    ["Saint-Omer", "St Omer", "st-omer", "SAINT OMER", "Saint Omer ", "saint-omer", "St. Omer"],
)
def test_saint_variants_share_one_key(typed: str) -> None:
    assert place_key(typed) == "saintomer"


@pytest.mark.parametrize(
    ("official", "typed"),
    [
        ("L'Isle-Jourdain", "lisle jourdain"),
        ("L'Haÿ-les-Roses", "l hay les roses"),
        ("Sainte-Marie-de-Ré", "ste marie de re"),
        ("Œuilly", "oeuilly"),
        ("Boulogne-sur-Mer", "Boulogne s/ Mer"),
        ("Beaumetz-lès-Loges", "beaumetz les loges"),
        ("Sainte-Foy-d'Aigrefeuille", "Ste Foy d Aigrefeuille"),
    ],
)
def test_accents_hyphens_apostrophes_and_abbreviations_are_folded(
    official: str, typed: str
) -> None:
    assert place_key(official) == place_key(typed)


def test_fold_keeps_only_lowercase_ascii_words() -> None:
    assert fold("  L'Haÿ-les-Roses — Cedex ") == "l hay les roses cedex"
    assert fold("«;;»") == ""


def test_street_abbreviations_are_expanded() -> None:
    assert street_key("Av. du Gal de Gaulle") == "avenue du general de gaulle"
    assert street_key("bd Foch") == street_key("Boulevard Foch")
    assert street_body_key(street_words("Rue des Capucins")) == "capucins"
    assert street_body_key(street_words("le bourg")) == "bourg"


@pytest.mark.parametrize(
    ("typed", "words", "postcode", "number", "repetition"),
    [
        (
            "12 rue des Capucins 62000 Arras",
            ("rue", "des", "capucins", "arras"),
            "62000",
            "12",
            None,
        ),
        ("3 bis, av. Foch, Arras", ("av", "foch", "arras"), None, "3", "bis"),
        ("12b rue Dastarat Cadours", ("rue", "dastarat", "cadours"), None, "12", "b"),
        ("31800", (), "31800", None, None),
        ("le bourg, Aspet", ("le", "bourg", "aspet"), None, None, None),
        ("62008 ARRAS CEDEX 9", ("arras",), "62008", None, None),
        ("Arras, France", ("arras",), None, None, None),
    ],
)
def test_queries_are_cut_into_parts(
    typed: str,
    words: tuple[str, ...],
    postcode: str | None,
    number: str | None,
    repetition: str | None,
) -> None:
    parsed = parse_query(typed, DEPARTEMENTS)
    assert (parsed.words, parsed.postcode, parsed.house_number, parsed.repetition) == (
        words,
        postcode,
        number,
        repetition,
    )


def test_trailing_departement_code_is_recognised() -> None:
    parsed = parse_query("Beaumont (63)", DEPARTEMENTS)
    assert parsed.words == ("beaumont",)
    assert parsed.departement == "63"


@given(st.text(max_size=3000))
def test_fold_is_ascii_bounded_and_idempotent(text: str) -> None:
    folded = fold(text)
    assert re.fullmatch(r"(?:[a-z0-9]+(?: [a-z0-9]+)*)?", folded)
    assert len(folded) <= 200
    assert fold(folded) == folded


@given(st.text(max_size=500))
def test_parsing_never_fails_and_finds_only_real_postcodes(text: str) -> None:
    parsed = parse_query(text, DEPARTEMENTS)
    assert parsed.postcode is None or re.fullmatch(r"[0-9]{5}", parsed.postcode)
    assert parsed.house_number is None or re.fullmatch(r"[0-9]+", parsed.house_number)
    assert all(word and " " not in word for word in parsed.words)
