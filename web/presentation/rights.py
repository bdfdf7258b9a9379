"""Rights of the catalogue as the API and the pages show them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from directory.deciders import decider_labels
from directory.models import Right
from directory.rights_catalogue import HELPER_LABELS, RightContent


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
    """The whole catalogue entry, with the codes of deciders and helpers labelled.

    The plain lists of earlier versions (``checklist``, ``documents``, ``steps``) stay; the
    same claims with their sources are in ``conditions``, ``document_items`` and
    ``step_items``, each citing entries of ``source`` by ``id``."""
    content = RightContent.from_dict(right.content, origin=right.slug)
    deciders = decider_labels()
    agricultural = content.agricultural_decider
    online = content.online_procedure
    return {
        **right_summary(right),
        "aliases": list(content.aliases),
        "former_names": list(content.former_names),
        "summary_sources": list(content.summary_sources),
        "deciders": [_coded(code, deciders) for code in content.deciders],
        "decider_note": content.decider_note,
        "decider_sources": list(content.decider_sources),
        "agricultural_decider": _coded(agricultural, deciders) if agricultural else None,
        "helpers": [_coded(code, HELPER_LABELS) for code in content.helpers],
        "checklist": list(content.checklist),
        "conditions": [asdict(condition) for condition in content.conditions],
        "documents": list(content.documents),
        "document_items": [asdict(claim) for claim in content.document_claims],
        "steps": list(content.steps),
        "step_items": [asdict(claim) for claim in content.step_claims],
        "forms": [asdict(form) for form in content.forms],
        "online": asdict(online) if online is not None else None,
        "notes": content.notes,
        "notes_sources": list(content.notes_sources),
        "source": [asdict(reference) for reference in content.source],
        "glossary": [asdict(entry) for entry in content.glossary],
        "reviewed_by": content.reviewed_by,
    }
