"""The rights catalogue: bundled content, readability, and rejection of broken files."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from directory.deciders import decider_labels
from directory.rights_catalogue import (
    DEFAULT_CATALOGUE_DIR,
    HELPER_LABELS,
    RIGHT_SLUGS,
    RightContent,
    RightContentError,
    load_catalogue,
    load_right_file,
    parse_right,
)
from tests.directory.rights_factories import rejection_messages, valid_data, write_right

MAX_WORDS_PER_SUMMARY_SENTENCE = 25
MAX_WORDS_PER_QUESTION = 25
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
WORD = re.compile(r"[\w'’-]+")
ACRONYM = re.compile(r"\b[A-Z][A-Z0-9]+\b")
STORED_VALUE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def words(text: str) -> list[str]:
    return WORD.findall(text)


def sentences(text: str) -> list[str]:
    return [sentence for sentence in SENTENCE_END.split(text.strip()) if sentence]


def unexplained_acronyms(text: str) -> list[str]:
    """Acronyms whose first use is not inside brackets right after their meaning."""
    seen: set[str] = set()
    unexplained: list[str] = []
    for match in ACRONYM.finditer(text):
        acronym = match.group()
        if acronym in seen:
            continue
        seen.add(acronym)
        before = text[: match.start()]
        if before.count("(") <= before.count(")"):
            unexplained.append(acronym)
    return unexplained


@pytest.fixture(scope="module")
def catalogue() -> dict[str, RightContent]:
    return {right.slug: right for right in load_catalogue(DEFAULT_CATALOGUE_DIR)}


# --- The bundled catalogue -------------------------------------------------------------


def test_default_catalogue_dir_is_the_repository_data_folder() -> None:
    assert Path(__file__).resolve().parents[2] / "data" / "rights" == DEFAULT_CATALOGUE_DIR
    assert DEFAULT_CATALOGUE_DIR.is_dir()


def test_bundled_catalogue_has_exactly_the_required_rights_sorted_by_slug() -> None:
    slugs = [right.slug for right in load_catalogue()]
    assert slugs == sorted(RIGHT_SLUGS)
    assert len(set(RIGHT_SLUGS)) == len(RIGHT_SLUGS) == 15


def test_each_bundled_file_is_named_after_its_slug() -> None:
    paths = sorted(DEFAULT_CATALOGUE_DIR.glob("*.toml"))
    assert paths
    for path in paths:
        assert load_right_file(path).slug == path.stem


@pytest.mark.parametrize("slug", RIGHT_SLUGS)
def test_every_right_has_what_a_resident_needs(
    catalogue: dict[str, RightContent], slug: str
) -> None:
    right = catalogue[slug]
    assert right.name and right.short_name and right.summary and right.decider_note
    assert right.aliases, "the aliases feed the search synonyms"
    assert right.checklist and right.documents and right.steps
    assert right.deciders and right.helpers
    assert right.source, "every right states a public source"
    assert all(reference.url.startswith("https://") for reference in right.source)
    assert isinstance(right.reviewed_at, date)
    assert right.reviewed_by


@pytest.mark.parametrize("slug", RIGHT_SLUGS)
def test_summary_is_short_plain_and_explains_its_acronyms(
    catalogue: dict[str, RightContent], slug: str
) -> None:
    summary = catalogue[slug].summary
    parts = sentences(summary)
    assert 2 <= len(parts) <= 4, parts
    too_long = [s for s in parts if len(words(s)) > MAX_WORDS_PER_SUMMARY_SENTENCE]
    assert not too_long, f"sentences over {MAX_WORDS_PER_SUMMARY_SENTENCE} words: {too_long}"
    assert not unexplained_acronyms(summary), "give the meaning before the acronym"


@pytest.mark.parametrize("slug", RIGHT_SLUGS)
def test_checklist_is_short_yes_no_questions_addressed_to_the_resident(
    catalogue: dict[str, RightContent], slug: str
) -> None:
    for question in catalogue[slug].checklist:
        assert question.endswith("?")
        assert len(words(question)) <= MAX_WORDS_PER_QUESTION, question
        assert re.search(r"\b(vous|vos?|votre)\b", question, re.IGNORECASE), question


def test_readability_helpers_catch_long_sentences_and_bare_acronyms() -> None:
    assert unexplained_acronyms("Le RSA aide. Le revenu de solidarité active (RSA) aussi.") == [
        "RSA"
    ]
    assert unexplained_acronyms("Le revenu de solidarité active (RSA) aide. Le RSA aussi.") == []
    assert len(sentences("Une phrase. Deux phrases ? Trois !")) == 3
    assert len(words("L'aide d'urgence est versée.")) == 4


def test_stored_values_are_kebab_case_with_french_labels() -> None:
    for labels in (decider_labels(), HELPER_LABELS):
        for value, label in labels.items():
            assert STORED_VALUE.match(value), value
            assert label and label != value and label[0].isupper()
    assert all(STORED_VALUE.match(slug) for slug in RIGHT_SLUGS)


@pytest.mark.parametrize("slug", RIGHT_SLUGS)
def test_right_survives_a_json_round_trip(catalogue: dict[str, RightContent], slug: str) -> None:
    right = catalogue[slug]
    stored = json.loads(json.dumps(right.to_dict()))
    assert stored["reviewed_at"] == right.reviewed_at.isoformat()
    assert RightContent.from_dict(stored) == right


def test_from_dict_validates_stored_content() -> None:
    stored = RightContent.from_dict(valid_data() | {"reviewed_at": "2026-11-22"}).to_dict()
    stored["deciders"] = ["caf", "prefecture"]
    stored["reviewed_at"] = "hier"
    with pytest.raises(RightContentError) as error:
        RightContent.from_dict(stored, origin="droit n° 3")
    assert error.value.path == "droit n° 3"
    assert len(error.value.messages) == 2


# --- Rejected files ------------------------------------------------------------------


def test_minimal_valid_file_loads(tmp_path: Path) -> None:
    right = load_right_file(write_right(tmp_path, "ok", valid_data()))
    assert right.slug == "droit-fictif"
    assert right.forms[0].cerfa == "12345*01"
    assert right.online is not None and right.online.url == "https://example.org"


def test_optional_keys_may_be_left_out(tmp_path: Path) -> None:
    data = valid_data()
    for key in (
        "former_names",
        "agricultural_decider",
        "forms",
        "online",
        "notes",
        "notes_sources",
    ):
        del data[key]
    right = load_right_file(write_right(tmp_path, "ok", data))
    assert (right.former_names, right.agricultural_decider, right.forms, right.online) == (
        (),
        None,
        (),
        None,
    )
    assert right.notes == ""


def test_missing_keys_are_all_reported(tmp_path: Path) -> None:
    data = valid_data()
    del data["summary"], data["steps"], data["source"]
    messages = rejection_messages(write_right(tmp_path, "missing", data))
    assert sorted(messages) == sorted(
        f"clé obligatoire absente : « {key} »" for key in ("summary", "steps", "source")
    )


def test_unknown_decider_and_helper_are_rejected(tmp_path: Path) -> None:
    data = valid_data() | {
        "deciders": ["caf", "prefecture"],
        "helpers": ["mairie", "guichet"],
        "agricultural_decider": "mutuelle",
    }
    messages = rejection_messages(write_right(tmp_path, "deciders", data))
    assert len(messages) == 3
    assert any("« prefecture »" in m and m.startswith("« deciders »") for m in messages)
    assert any("« guichet »" in m and m.startswith("« helpers »") for m in messages)
    assert any("« mutuelle »" in m for m in messages)


def test_addresses_must_be_https(tmp_path: Path) -> None:
    data = valid_data() | {
        "source": [
            {
                "id": "exemple",
                "title": "Ancien site",
                "url": "http://www.service-public.fr/x",
                "consulted_at": date(2026, 11, 22),
            }
        ],
        "online": {"label": "Sans protocole", "url": "www.caf.fr", "sources": ["exemple"]},
        "forms": [
            {
                "cerfa": "12345*01",
                "title": "Espace",
                "url": "https://exa mple.org",
                "sources": ["exemple"],
            }
        ],
    }
    messages = rejection_messages(write_right(tmp_path, "urls", data))
    assert len(messages) == 3
    assert all("doit commencer par https://" in m for m in messages)


def test_reviewed_at_must_be_a_toml_date(tmp_path: Path) -> None:
    for bad in ("22/11/2026", "2026-11-22"):
        messages = rejection_messages(
            write_right(tmp_path, "date", valid_data() | {"reviewed_at": bad})
        )
        assert messages == ["« reviewed_at » doit être une date écrite AAAA-MM-JJ, sans guillemets"]
    path = write_right(tmp_path, "datetime", valid_data())
    text = path.read_text("utf-8").replace(
        "reviewed_at = 2026-11-22", "reviewed_at = 2026-11-22T10:00:00"
    )
    path.write_text(text, "utf-8")
    assert len(rejection_messages(path)) == 1


def test_every_problem_of_a_file_is_reported_at_once(tmp_path: Path) -> None:
    data = valid_data() | {
        "slug": "Droit Fictif",
        "sumary": "faute de frappe",
        "aliases": "DF",
        "conditions": [{"question": "Une affirmation.", "excludes": True, "sources": ["exemple"]}],
        "documents": [],
        "forms": [
            {
                "cerfa": "15481",
                "title": "Sans version",
                "url": "https://example.org",
                "sources": ["exemple"],
            },
            {
                "cerfa": "12345*01",
                "title": "Sans source",
                "url": "https://example.org",
                "sources": [],
            },
        ],
        "deciders": ["caf", "caf"],
    }
    del data["name"]
    messages = rejection_messages(write_right(tmp_path, "many", data))
    expected_fragments = [
        "absente : « name »",
        "clé inconnue : « sumary »",
        "« slug »",
        "« aliases » doit être une liste",
        "« conditions » n° 1 : une question doit finir par « ? »",
        "« documents » ne doit pas être une liste vide",
        "« forms » n° 2 : aucune source",
        "numéro Cerfa « 15481 »",
        "« deciders » : « caf » apparaît plusieurs fois",
    ]
    for fragment in expected_fragments:
        assert any(fragment in message for message in messages), (fragment, messages)
    assert len(messages) == len(expected_fragments)


def test_invalid_toml_is_rejected_with_a_french_message(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text('slug = "rsa"\nname = \n', "utf-8")
    (message,) = rejection_messages(path)
    assert message.startswith("le fichier n'est pas du TOML valide")


def test_duplicate_slugs_are_rejected(tmp_path: Path) -> None:
    write_right(tmp_path, "premier", valid_data())
    write_right(tmp_path, "second", valid_data())
    with pytest.raises(RightContentError) as error:
        load_catalogue(tmp_path)
    assert error.value.path == tmp_path
    assert error.value.messages == [
        "second.toml : le slug « droit-fictif » est déjà utilisé par premier.toml"
    ]


def test_catalogue_reports_problems_of_every_file(tmp_path: Path) -> None:
    write_right(tmp_path, "a", valid_data() | {"deciders": ["prefecture"]})
    write_right(tmp_path, "b", valid_data() | {"slug": "autre", "reviewed_at": "hier"})
    with pytest.raises(RightContentError) as error:
        load_catalogue(tmp_path)
    assert [message.split(" : ")[0] for message in error.value.messages] == ["a.toml", "b.toml"]


def test_catalogue_is_sorted_by_slug_not_by_file_name(tmp_path: Path) -> None:
    write_right(tmp_path, "a", valid_data() | {"slug": "zzz"})
    write_right(tmp_path, "z", valid_data() | {"slug": "aaa"})
    assert [right.slug for right in load_catalogue(tmp_path)] == ["aaa", "zzz"]


def test_missing_catalogue_directory_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(RightContentError):
        load_catalogue(tmp_path / "absent")


# --- Robustness against any decoded content -------------------------------------------

scalars = st.none() | st.booleans() | st.integers() | st.text(max_size=20) | st.dates()
json_like = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)
field_names = st.sampled_from([*valid_data(), "autre"])


@settings(max_examples=300, deadline=None)
@given(overrides=st.dictionaries(field_names, json_like, max_size=6))
def test_any_content_is_either_a_right_or_a_french_rejection(overrides: dict[str, Any]) -> None:
    data = valid_data() | overrides
    try:
        right = parse_right(data, origin="hypothèse")
    except RightContentError as error:
        assert error.messages and all(isinstance(m, str) and m for m in error.messages)
    else:
        assert RightContent.from_dict(json.loads(json.dumps(right.to_dict()))) == right
