"""French analysis: folding before stemming, stop words, elisions (pure functions)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from directory.search.analysis import fold, french_analyzer, index_terms, stem, stop_words, words


def test_accents_case_and_ligatures_are_folded() -> None:
    assert fold("Cœur de Garonne — ÉTÉ, Çà") == "coeur de garonne — ete, ca"


def test_folding_happens_before_stemming_so_accents_do_not_matter() -> None:
    assert index_terms("randonnées") == index_terms("randonnees")
    assert index_terms("Prime d'activité") == index_terms("PRIME D'ACTIVITE")
    assert index_terms("chômage") == index_terms("chomage")


def test_plural_and_typo_in_ending_share_the_stem() -> None:
    assert stem("allocations") == stem("allocation")
    assert stem("activiter") == stem("activite")


def test_les_and_elided_particles_are_stop_words() -> None:
    assert words("les aides de l'État jusqu'à lorsqu'il qu'elle d'abord") == [
        "aides", "etat", "abord",
    ]  # fmt: skip
    assert {"les", "l", "d", "qu", "jusqu", "lorsqu"} <= stop_words()


def test_acronyms_and_codes_are_not_stemmed() -> None:
    assert index_terms("C2S AAH ASS RSA 62000") == ["c2s", "aah", "ass", "rsa", "62000"]


def test_the_whoosh_analyzer_and_the_fast_path_agree_on_a_sentence() -> None:
    text = "Un conseiller France services vous aide à compléter le dossier d'APL à Liévin"
    assert [token.text for token in french_analyzer()(text)] == index_terms(text)


@given(st.text(max_size=80))
def test_the_whoosh_analyzer_and_the_fast_path_agree_on_any_text(text: str) -> None:
    assert [token.text for token in french_analyzer()(text)] == index_terms(text)


@given(st.text(max_size=80))
def test_folding_is_idempotent_and_words_are_never_stop_words(text: str) -> None:
    assert fold(fold(text)) == fold(text)
    assert not set(words(text)) & stop_words()
