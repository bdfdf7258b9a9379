"""Rights of the catalogue as the API and the pages show them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from directory.deciders import decider_labels
from directory.models import Right
from directory.rights_catalogue import HELPER_LABELS


def _coded(code: str, labels: Mapping[str, str]) -> dict[str, str]:
    return {"code": code, "label": labels.get(code, code)}


def right_summary(right: Right) -> dict[str, Any]:
    return {
        "slug": right.slug,
        "name": right.name,
        "short_name": right.short_name,
        "summary": str(right.content.get("summary", "")).strip(),
        "reviewed_at": right.reviewed_at,
    }


def right_document(right: Right) -> dict[str, Any]:
    """The whole catalogue entry, with the codes of deciders and helpers labelled."""
    content = right.content
    agricultural = content.get("agricultural_decider")
    deciders = decider_labels()
    return {
        **content,
        **right_summary(right),
        "deciders": [_coded(code, deciders) for code in content.get("deciders", [])],
        "agricultural_decider": _coded(agricultural, deciders) if agricultural else None,
        "helpers": [_coded(code, HELPER_LABELS) for code in content.get("helpers", [])],
    }
