"""Editing a claim of the rights catalogue in the database (back office) with its source,
and the bundled import meeting those edits, on both backends."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from directory.imports.rights import import_rights
from directory.queries import get_right, rights_fingerprint
from directory.rights_catalogue import DEFAULT_CATALOGUE_DIR, RightContent
from directory.rights_editing import ClaimEdit, InvalidRightEdit, NewSource, edit_right_claim

REVIEWED = date(2026, 12, 3)  # rsa.toml's reviewed_at
SUMMARY = "[Test] Le RSA complète vos ressources. Demandez-le à la CAF ou à la MSA."


def rsa_edit(**changes: object) -> ClaimEdit:
    values: dict[str, object] = {
        "claim": "summary",
        "texts": {"text": SUMMARY},
        "reviewed_on": REVIEWED + timedelta(days=2),
        "source_id": "sp-n19775",
    }
    values.update(changes)
    return ClaimEdit(**values)  # type: ignore[arg-type]


def test_an_edited_claim_cites_its_source_read_again_and_the_right_stays_valid(
    session: Session,
) -> None:
    before = rights_fingerprint(session)
    right = edit_right_claim(
        session, "rsa", rsa_edit(), editor="a@exemple.test", today=REVIEWED + timedelta(days=3)
    )
    content = RightContent.from_dict(right.content)
    assert content.summary == SUMMARY
    assert content.summary_sources == ("sp-n19775",)
    assert {s.id: s.consulted_at for s in content.source}["sp-n19775"] == date(2026, 12, 5)
    assert right.reviewed_at == REVIEWED  # one claim read again: the right is not « relue »
    assert right.edits is not None
    assert right.edits["summary"]["edited_on"] == "2026-12-06"
    assert rights_fingerprint(session) != before


def test_a_new_official_page_becomes_a_source_of_a_document(session: Session) -> None:
    edit = rsa_edit(
        claim="documents.1",
        texts={"text": "[Test] Votre RIB", "to_verify": ""},
        source_id=None,
        new_source=NewSource("[Test] Page CAF", "https://www.caf.fr/x"),
    )
    right = edit_right_claim(session, "rsa", edit, editor="a", today=REVIEWED + timedelta(days=3))
    document = right.content["documents"][0]
    (source,) = [s for s in right.content["source"] if s["id"] == document["sources"][0]]
    assert (document["text"], source["url"], source["consulted_at"]) == (
        "[Test] Votre RIB",
        "https://www.caf.fr/x",
        "2026-12-05",
    )


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"source_id": None}, "source_id", "doit citer sa source"),
        (
            {"source_id": None, "new_source": NewSource("Page", "http://exemple.fr")},
            "source_url",
            "https://",
        ),
        ({"source_id": "inconnue"}, "source_id", "n'existe pas"),
        ({"reviewed_on": REVIEWED - timedelta(days=1)}, "reviewed_on", "03/12/2026"),
        ({"reviewed_on": REVIEWED + timedelta(days=9)}, "reviewed_on", "futur"),
        ({"claim": "documents.99"}, "claim", "inconnue"),
        (
            {"claim": "conditions.1", "texts": {"question": "Sans point d'interrogation"}},
            "content",
            "?",
        ),
    ],
)
def test_an_edit_without_a_proper_source_or_breaking_a_rule_is_refused_in_french(
    session: Session, changes: dict[str, object], field: str, words: str
) -> None:
    stored = dict(get_right(session, "rsa").content)
    with pytest.raises(InvalidRightEdit) as refused:
        edit_right_claim(
            session, "rsa", rsa_edit(**changes), editor="a", today=REVIEWED + timedelta(days=3)
        )
    assert words in " ".join(refused.value.field_errors[field])
    assert get_right(session, "rsa").content == stored


@pytest.fixture
def rsa_only(tmp_path: Path) -> Path:
    shutil.copy(DEFAULT_CATALOGUE_DIR / "rsa.toml", tmp_path / "rsa.toml")
    return tmp_path


def test_the_import_keeps_an_edit_made_after_the_files_review_and_reports_the_conflict(
    session: Session, rsa_only: Path
) -> None:
    edit_right_claim(session, "rsa", rsa_edit(), editor="a", today=REVIEWED + timedelta(days=3))
    report = import_rights(session, rsa_only)
    right = get_right(session, "rsa")
    assert right.content["summary"] == SUMMARY
    assert right.edits is not None and "summary" in right.edits
    assert (report.updated, report.unchanged) == (0, 1)
    assert any("conflit : Résumé" in w.reason for w in report.warnings)


def test_a_file_reviewed_on_or_after_the_edit_replaces_it_and_says_so(
    session: Session, rsa_only: Path
) -> None:
    file_summary = get_right(session, "rsa").content["summary"]
    edit_right_claim(session, "rsa", rsa_edit(reviewed_on=REVIEWED), editor="a", today=REVIEWED)
    report = import_rights(session, rsa_only)
    right = get_right(session, "rsa")
    assert right.content["summary"] == file_summary
    assert right.edits is None
    assert report.updated == 1
    assert any("remplacée par le fichier" in w.reason for w in report.warnings)
