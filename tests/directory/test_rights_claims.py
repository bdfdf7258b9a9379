"""A source per claim: what the loader rejects, and the glossary file."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from directory.rights_catalogue import RightContentError, load_right_file
from directory.rights_glossary import Glossary, GlossaryEntry, load_glossary
from tests.directory.rights_factories import rejection_messages, valid_data, write_right


def with_second_source(data: dict[str, Any], consulted_at: date) -> dict[str, Any]:
    second = {
        "id": "autre",
        "title": "Autre exemple",
        "url": "https://example.org/autre",
        "consulted_at": consulted_at,
    }
    data["source"] = [*data["source"], second]
    data["documents"] = [*data["documents"], {"text": "Un papier", "sources": ["autre"]}]
    return data


@pytest.mark.parametrize("key", ["conditions", "documents", "steps", "forms"])
def test_a_claim_without_a_source_is_rejected(tmp_path: Path, key: str) -> None:
    data = valid_data()
    item = dict(data[key][0])
    del item["sources"]
    data[key] = [item]
    (message,) = rejection_messages(write_right(tmp_path, "sans-source", data))
    assert message.startswith(f"« {key} » n° 1 : aucune source")


def test_the_online_procedure_and_the_free_texts_cite_their_sources(tmp_path: Path) -> None:
    data = valid_data()
    data["online"] = {"label": "Exemple", "url": "https://example.org", "sources": []}
    data["summary_sources"] = []
    del data["notes_sources"]
    messages = rejection_messages(write_right(tmp_path, "textes", data))
    assert any(m.startswith("« online » : aucune source") for m in messages)
    assert "« summary_sources » ne doit pas être une liste vide" in messages
    assert "« notes_sources » : les notes citent au moins une source" in messages


def test_a_source_without_a_consultation_date_is_rejected(tmp_path: Path) -> None:
    data = valid_data()
    data["source"] = [{k: v for k, v in data["source"][0].items() if k != "consulted_at"}]
    (message,) = rejection_messages(write_right(tmp_path, "sans-date", data))
    assert message == (
        "« source » n° 1 : « consulted_at » doit être une date écrite AAAA-MM-JJ, sans guillemets"
    )


def test_a_cited_source_must_exist_and_every_source_must_be_cited(tmp_path: Path) -> None:
    data = with_second_source(valid_data(), date(2026, 11, 22))
    data["documents"][1]["sources"] = ["inconnue"]
    messages = rejection_messages(write_right(tmp_path, "citations", data))
    assert messages == [
        "« documents » n° 2 : la source « inconnue » n'existe pas dans « source »",
        "« source » : « autre » n'est citée par aucune affirmation",
    ]


def test_source_ids_are_unique(tmp_path: Path) -> None:
    data = valid_data()
    data["source"] = [data["source"][0], data["source"][0]]
    messages = rejection_messages(write_right(tmp_path, "doublon", data))
    assert messages == ["« source » : l'identifiant « exemple » est utilisé deux fois"]


def test_reviewed_at_moves_only_when_every_source_was_consulted_again(tmp_path: Path) -> None:
    data = with_second_source(valid_data(), date(2026, 11, 22))
    data["source"][0]["consulted_at"] = date(2026, 12, 3)
    data["reviewed_at"] = date(2026, 12, 3)  # one source re-read, the other not
    messages = rejection_messages(write_right(tmp_path, "relue", data))
    assert messages == [
        "« reviewed_at » (2026-12-03) est postérieure à la consultation de la source « autre » "
        "(2026-11-22) : une fiche n'est relue que lorsque toutes ses sources ont été consultées"
    ]
    data["reviewed_at"] = date(2026, 11, 22)  # the day every source had been consulted
    assert load_right_file(write_right(tmp_path, "relue", data)).reviewed_at == date(2026, 11, 22)


def test_a_non_excluding_condition_says_what_to_do_after_a_no(tmp_path: Path) -> None:
    data = valid_data()
    data["conditions"] = [{k: v for k, v in data["conditions"][0].items() if k != "if_not"}]
    (message,) = rejection_messages(write_right(tmp_path, "sans-suite", data))
    assert message.startswith("« conditions » n° 1 : « if_not » est obligatoire")
    data["conditions"][0]["excludes"] = True  # a « non » that really excludes needs no path
    assert load_right_file(write_right(tmp_path, "exclut", data)).conditions[0].excludes


def test_excludes_is_an_explicit_boolean(tmp_path: Path) -> None:
    data = valid_data()
    data["conditions"] = [{**data["conditions"][0], "excludes": "non"}]
    (message,) = rejection_messages(write_right(tmp_path, "booleen", data))
    assert message == "« conditions » n° 1 : « excludes » doit valoir true ou false"


def test_an_old_name_is_never_a_current_name(tmp_path: Path) -> None:
    data = valid_data() | {"aliases": ["DF", "ancien droit fictif"]}
    (message,) = rejection_messages(write_right(tmp_path, "ancien", data))
    assert message.startswith("« former_names » : « ancien droit fictif » est aussi un nom actuel")


def test_claims_keep_their_sources_and_flags(tmp_path: Path) -> None:
    right = load_right_file(write_right(tmp_path, "ok", valid_data()))
    (condition,) = right.conditions
    assert (condition.alternatives, condition.if_not, condition.excludes) == (
        ("Vous êtes un exemple de test.",),
        "Demandez quand même.",
        False,
    )
    assert right.checklist == ("Êtes-vous une donnée de test ?",)
    assert right.documents == ("Aucun",) and right.document_claims[0].sources == ("exemple",)
    assert right.step_claims[0].to_verify == "Tout : fiche inventée."
    assert right.source[0].consulted_at == date(2026, 11, 22)
    assert right.online_procedure is not None and right.online_procedure.sources == ("exemple",)


# --- The glossary ------------------------------------------------------------------------


DATED_SOURCE = (
    '[[source]]\nid = "g"\ntitle = "T"\nurl = "https://example.org"\nconsulted_at = 2026-12-03\n'
)


def write_glossary(tmp_path: Path, terms: str, sources: str) -> Path:
    path = tmp_path / "glossary.toml"
    path.write_text(terms + sources, "utf-8")
    return path


def test_glossary_terms_are_matched_whole_and_with_their_variants() -> None:
    entry = GlossaryEntry("titre de séjour", ("titres de séjour",), "Un document.", ())
    glossary = Glossary((entry,))
    assert glossary.used_in(["Vos titres de séjour"]) == (entry,)
    assert glossary.used_in(["Votre TITRE DE SÉJOUR"]) == (entry,)
    assert glossary.used_in(["Un soustitre de séjournant"]) == ()


def test_a_glossary_term_without_a_source_is_rejected(tmp_path: Path) -> None:
    terms = '[[terms]]\nterm = "CDAPH"\nexplanation = "Une commission."\nsources = []\n'
    source = DATED_SOURCE
    with pytest.raises(RightContentError) as error:
        load_glossary(write_glossary(tmp_path, terms, source))
    assert any("« terms » n° 1 : aucune source" in m for m in error.value.messages)


def test_a_glossary_source_needs_its_consultation_date(tmp_path: Path) -> None:
    terms = '[[terms]]\nterm = "CDAPH"\nexplanation = "Une commission."\nsources = ["g"]\n'
    source = '[[source]]\nid = "g"\ntitle = "T"\nurl = "https://example.org"\n'
    with pytest.raises(RightContentError) as error:
        load_glossary(write_glossary(tmp_path, terms, source))
    assert error.value.messages == [
        "« source » n° 1 : « consulted_at » doit être une date écrite AAAA-MM-JJ, sans guillemets"
    ]


def test_a_right_carries_the_glossary_entries_its_texts_use(tmp_path: Path) -> None:
    terms = (
        '[[terms]]\nterm = "donnée de test"\nexplanation = "Un exemple."\nsources = ["g"]\n'
        '[[terms]]\nterm = "CDAPH"\nexplanation = "Une commission."\nsources = ["g"]\n'
    )
    source = DATED_SOURCE
    glossary = load_glossary(write_glossary(tmp_path, terms, source))
    right = load_right_file(write_right(tmp_path, "ok", valid_data()), glossary=glossary)
    assert [entry.term for entry in right.glossary] == ["donnée de test"]
    assert right.glossary[0].sources[0].consulted_at == date(2026, 12, 3)
