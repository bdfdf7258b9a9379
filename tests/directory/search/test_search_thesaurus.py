"""Synonyms and acronyms of rights, read from the real catalogue (data/rights)."""

from __future__ import annotations

import pytest

from directory.rights_catalogue import load_catalogue
from directory.search.analysis import words
from directory.search.thesaurus import RightTerms, Thesaurus


@pytest.fixture(scope="module")
def thesaurus() -> Thesaurus:
    terms = [
        RightTerms(r.slug, r.name, r.short_name, (*r.aliases, *r.former_names))
        for r in load_catalogue()
    ]
    return Thesaurus.build(terms)


def concepts(thesaurus: Thesaurus, text: str) -> list[tuple[set[str], set[str]]]:
    return [(set(m.concept.rights), set(m.concept.kinds)) for m in thesaurus.find(words(text))]


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("RSA", "rsa"),
        ("revenu de solidarité active", "rsa"),
        ("PPA", "prime-activite"),
        ("prime d'activité", "prime-activite"),
        ("prime d'activiter", "prime-activite"),
        ("C2S", "c2s"),
        ("CSS", "c2s"),
        ("CMU-C", "c2s"),
        ("complémentaire santé solidaire", "c2s"),
        ("complementaire sante solidaire", "c2s"),
        ("APL", "aides-logement"),
        ("ALS", "aides-logement"),
        ("ALF", "aides-logement"),
        ("aide au logement", "aides-logement"),
        ("minimum vieillesse", "aspa"),
        ("ASPA", "aspa"),
        ("AAH", "aah"),
        ("ASF", "asf"),
        ("ARE", "are"),
        ("chômage", "are"),
        ("chomage", "are"),
        ("allocation chomage", "are"),
        ("cheque energie", "cheque-energie"),
        ("chèque énergie", "cheque-energie"),
    ],
)
def test_acronyms_synonyms_and_typos_name_the_right(
    thesaurus: Thesaurus, text: str, slug: str
) -> None:
    assert concepts(thesaurus, text) == [({slug}, set())]


def test_the_longest_phrase_wins(thesaurus: Thesaurus) -> None:
    assert concepts(thesaurus, "RSA activité") == [({"prime-activite"}, set())]
    assert concepts(thesaurus, "RSA arras") == [({"rsa"}, set())]


def test_kinds_of_partners_have_synonyms(thesaurus: Thesaurus) -> None:
    assert concepts(thesaurus, "maison france services") == [(set(), {"france-services"})]
    assert concepts(thesaurus, "MSAP") == [(set(), {"france-services"})]
    rights, kinds = concepts(thesaurus, "CCAS")[0]
    assert kinds == {"ccas"} and rights == {"aide-sociale-ccas"}


def test_a_word_of_a_right_name_points_to_the_rights_that_have_it(thesaurus: Thesaurus) -> None:
    assert thesaurus.rights_of_word("logement") >= {"aides-logement", "fsl"}
    assert "c2s" in thesaurus.rights_of_word("santé".replace("é", "e"))


def test_the_thesaurus_survives_its_json_form(thesaurus: Thesaurus) -> None:
    copy = Thesaurus.from_json(thesaurus.to_json())
    assert copy.phrases == thesaurus.phrases
    assert copy.word_rights == thesaurus.word_rights
