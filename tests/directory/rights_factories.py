"""Made-up rights files for the loader tests (fictitious content, for tests only)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from directory.rights_catalogue import RightContentError, load_right_file


def valid_data() -> dict[str, Any]:
    """A made-up right (fictitious, for tests only) that passes every check."""
    cited = ["exemple"]
    return {
        "slug": "droit-fictif",
        "name": "Droit fictif (exemple de test, n'existe pas)",
        "short_name": "Fictif",
        "aliases": ["DF"],
        "former_names": ["ancien droit fictif"],
        "summary": "Ce droit fictif sert aux tests. Il n'existe pas.",
        "summary_sources": cited,
        "deciders": ["caf", "departement"],
        "decider_note": "Exemple inventé pour les tests.",
        "decider_sources": cited,
        "agricultural_decider": "msa",
        "helpers": ["france-services"],
        "conditions": [
            {
                "question": "Êtes-vous une donnée de test ?",
                "alternatives": ["Vous êtes un exemple de test."],
                "if_not": "Demandez quand même.",
                "excludes": False,
                "sources": cited,
            }
        ],
        "documents": [{"text": "Aucun", "sources": cited}],
        "steps": [{"text": "Aucune", "sources": cited, "to_verify": "Tout : fiche inventée."}],
        "forms": [
            {
                "cerfa": "12345*01",
                "title": "Fictif",
                "url": "https://example.org/f",
                "sources": cited,
            }
        ],
        "online": {"label": "Exemple", "url": "https://example.org", "sources": cited},
        "notes": "Fiche inventée.",
        "notes_sources": cited,
        "source": [
            {
                "id": "exemple",
                "title": "Exemple",
                "url": "https://example.org/source",
                "consulted_at": date(2026, 11, 22),
            }
        ],
        "reviewed_at": date(2026, 11, 22),
        "reviewed_by": "Tests",
    }


def toml_value(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    return json.dumps(value, ensure_ascii=False)  # strings, numbers, booleans


def write_right(directory: Path, name: str, data: Mapping[str, Any]) -> Path:
    path = directory / f"{name}.toml"
    path.write_text("".join(f"{k} = {toml_value(v)}\n" for k, v in data.items()), "utf-8")
    return path


def rejection_messages(path: Path) -> list[str]:
    with pytest.raises(RightContentError) as error:
        load_right_file(path)
    assert error.value.path == path
    return error.value.messages
