"""Editing the plain-language texts of the rights catalogue in the database (back office),
one claim at a time, without giving up « une source par affirmation ».

A *claim* is one of ``summary``, ``decider_note``, ``notes``, ``conditions.N``,
``documents.N``, ``steps.N`` (N from 1, as in the file's messages). An edit replaces the
claim's texts and cites **one source**: a source of the right read again on the review
date, or a new page (title and ``https://`` address) consulted that day. Without a source
the edit is refused. The right's ``reviewed_at`` does not move: a right is « relue » only
when all its sources were (docs/RIGHTS.md). Sources no longer cited are dropped, and the
whole right is validated again by the catalogue's own checks before anything is stored.

Each edit is remembered in ``Right.edits`` (texts, source, review date, who, when) so that
the bundled import (:mod:`directory.imports.rights`) does not silently overwrite it: an
edit made after the file's ``reviewed_at`` is kept and reported as a conflict; a file
reviewed on or after the edit's day replaces it.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from directory.errors import DirectoryError
from directory.models import Right
from directory.queries import get_right
from directory.rights_catalogue import RightContent
from directory.rights_checks import RightContentError

FREE_TEXTS = {
    "summary": "summary_sources",
    "decider_note": "decider_sources",
    "notes": "notes_sources",
}
LISTED = ("conditions", "documents", "steps")
FIELDS_OF = {
    "conditions": ("question", "alternatives", "if_not", "to_verify"),
    "documents": ("text", "to_verify"),
    "steps": ("text", "to_verify"),
}
"""The texts an edit may change, per kind of claim (free texts: the text itself)."""
CLAIM_LABELS = {
    "summary": "Résumé",
    "decider_note": "Qui décide",
    "notes": "Notes",
    "conditions": "Condition",
    "documents": "Justificatif",
    "steps": "Étape",
}
MAX_TEXT_LENGTH = 2000
_CLAIM = re.compile(
    r"^(summary|decider_note|notes)$|^(conditions|documents|steps)\.([1-9]\d{0,2})$"
)
_SOURCE_ID = "back-office-{day}-{n}"


class InvalidRightEdit(DirectoryError):
    """An edit of the catalogue that cannot be stored; ``field_errors`` maps form fields to
    French messages."""

    code = "invalid_right_edit"

    def __init__(self, message: str, field_errors: dict[str, list[str]]) -> None:
        super().__init__(message)
        self.field_errors = field_errors


@dataclass(frozen=True)
class NewSource:
    title: str
    url: str


@dataclass(frozen=True)
class ClaimEdit:
    """What a person changes in one claim, and what backs it."""

    claim: str
    texts: Mapping[str, str | Sequence[str]]
    """Free text: ``{"text": …}``; a condition: question, alternatives (list), if_not,
    to_verify; a document or step: text, to_verify."""
    reviewed_on: date
    source_id: str | None = None
    """An existing source of the right, read again on ``reviewed_on``…"""
    new_source: NewSource | None = None
    """…or a new page consulted that day."""


def _refuse(field: str, message: str) -> InvalidRightEdit:
    return InvalidRightEdit(message, {field: [message]})


def claim_label(claim: str) -> str:
    kind, _, number = claim.partition(".")
    label = CLAIM_LABELS.get(kind, claim)
    return f"{label} n° {number}" if number else label


def list_claims(content: Mapping[str, Any]) -> list[tuple[str, str, list[str]]]:
    """(claim, its main text, the ids it cites) of a stored right, in reading order."""
    found = []
    for kind, sources in FREE_TEXTS.items():
        if content.get(kind):
            found.append((kind, str(content[kind]), list(content.get(sources) or [])))
    for kind in LISTED:
        for number, item in enumerate(content.get(kind) or [], start=1):
            text = item.get("question") or item.get("text") or ""
            found.append((f"{kind}.{number}", str(text), list(item.get("sources") or [])))
    return found


def claim_texts(content: Mapping[str, Any], claim: str) -> dict[str, Any]:
    """The current texts of a claim, as the edit form shows them."""
    kind, index = _locate(content, claim)
    if index is None:
        return {"text": content.get(kind) or ""}
    item = content[kind][index]
    return {name: item.get(name, [] if name == "alternatives" else "") for name in FIELDS_OF[kind]}


def claim_sources(content: Mapping[str, Any], claim: str) -> list[str]:
    kind, index = _locate(content, claim)
    if index is None:
        return list(content.get(FREE_TEXTS[kind]) or [])
    return list(content[kind][index].get("sources") or [])


def _locate(content: Mapping[str, Any], claim: str) -> tuple[str, int | None]:
    match = _CLAIM.match(claim)
    if match is None:
        raise _refuse("claim", f"Affirmation inconnue : « {claim} ».")
    if match.group(1):
        return match.group(1), None
    kind, index = match.group(2), int(match.group(3)) - 1
    if index >= len(content.get(kind) or []):
        raise _refuse("claim", f"Affirmation inconnue : « {claim} ».")
    return kind, index


def _clean(value: str | Sequence[str], field: str) -> str | list[str]:
    if isinstance(value, str):
        text = value.strip()
        if len(text) > MAX_TEXT_LENGTH:
            raise _refuse(field, f"{MAX_TEXT_LENGTH} caractères au plus.")
        return text
    return [item.strip() for item in value if item.strip()]


def _source_record(content: dict[str, Any], edit: ClaimEdit) -> dict[str, Any]:
    """The source the edit cites (with its new consultation date); added to the content."""
    sources: list[dict[str, Any]] = content["source"]
    day = edit.reviewed_on.isoformat()
    if edit.new_source is not None and (edit.new_source.title or edit.new_source.url):
        title, url = edit.new_source.title.strip(), edit.new_source.url.strip()
        if not title:
            raise _refuse("source_title", "Donnez le titre de la page consultée.")
        if not url.startswith("https://") or len(url) > 500 or any(c.isspace() for c in url):
            raise _refuse("source_url", "L'adresse de la source commence par https:// .")
        for existing in sources:
            if existing["url"] == url:
                existing["consulted_at"] = max(existing["consulted_at"], day)
                return existing
        taken = {s["id"] for s in sources}
        number = 1
        while _SOURCE_ID.format(day=day, n=number) in taken:
            number += 1
        record = {
            "id": _SOURCE_ID.format(day=day, n=number),
            "title": title,
            "url": url,
            "consulted_at": day,
            "note": "Ajoutée depuis le back-office.",
        }
        sources.append(record)
        return record
    if edit.source_id:
        for existing in sources:
            if existing["id"] == edit.source_id:
                existing["consulted_at"] = max(existing["consulted_at"], day)
                return existing
        raise _refuse("source_id", "Cette source n'existe pas dans la fiche.")
    raise _refuse(
        "source_id",
        "Une modification doit citer sa source : choisissez une source de la fiche relue ce "
        "jour-là, ou donnez le titre et l'adresse de la page consultée.",
    )


def apply_claim_edit(content: Mapping[str, Any], edit: ClaimEdit) -> dict[str, Any]:
    """A copy of the stored content with the edit applied (not validated yet)."""
    changed: dict[str, Any] = copy.deepcopy(dict(content))
    kind, index = _locate(changed, edit.claim)
    allowed = ("text",) if index is None else FIELDS_OF[kind]
    texts = {name: _clean(value, name) for name, value in edit.texts.items() if name in allowed}
    source = _source_record(changed, edit)
    if index is None:
        changed[kind] = texts.get("text", changed.get(kind, ""))
        changed[FREE_TEXTS[kind]] = [source["id"]]
    else:
        item = changed[kind][index]
        item.update(texts)
        item["sources"] = [source["id"]]
    cited = {s for _, _, ids in list_claims(changed) for s in ids}
    forms, online = changed.get("forms") or [], changed.get("online")
    cited.update(s for form in forms for s in form.get("sources", []))
    if online:
        cited.update(online.get("sources", []))
    changed["source"] = [s for s in changed["source"] if s["id"] in cited]
    return changed


def validated(content: Mapping[str, Any], slug: str) -> dict[str, Any]:
    """The content checked by the catalogue's rules (glossary matched again), or the rules'
    French messages as `InvalidRightEdit`."""
    try:
        right = RightContent.from_dict(content, origin=slug, rematch_glossary=True)
    except RightContentError as exc:
        raise InvalidRightEdit(
            "La fiche modifiée ne respecte pas les règles du catalogue.",
            {"content": list(exc.messages)},
        ) from exc
    return right.to_dict()


def edit_right_claim(
    session: Session, slug: str, edit: ClaimEdit, *, editor: str, today: date
) -> Right:
    """Store an edit of one claim (validated, with its source); flushed, not committed."""
    right = get_right(session, slug)
    if edit.reviewed_on > today:
        raise _refuse("reviewed_on", "La date de relecture ne peut pas être dans le futur.")
    if right.reviewed_at is not None and edit.reviewed_on < right.reviewed_at:
        raise _refuse(
            "reviewed_on",
            f"La date de relecture doit être le {right.reviewed_at:%d/%m/%Y} (date de relecture "
            "de la fiche) ou après.",
        )
    content = validated(apply_claim_edit(right.content, edit), slug)
    source_id = claim_sources(content, edit.claim)[0]
    source = next(s for s in content["source"] if s["id"] == source_id)
    edits = dict(right.edits or {})
    edits[edit.claim] = {
        "texts": claim_texts(content, edit.claim),
        "source": source,
        "reviewed_on": edit.reviewed_on.isoformat(),
        "edited_on": today.isoformat(),
        "by": editor[:200],
    }
    right.content, right.edits = content, edits
    session.flush()
    return right


# -- the bundled import meets the back office -------------------------------------------------


@dataclass(frozen=True)
class MergeOutcome:
    content: dict[str, Any] | None
    """The file's content with the edits it does not supersede, or None: keep the stored
    right as it is (an edit could not be placed on the file)."""
    kept: dict[str, Any]
    messages: list[str]


def merge_edits(
    file_content: Mapping[str, Any], edits: Mapping[str, Any], file_reviewed_at: date
) -> MergeOutcome:
    """Apply to the file's content the back-office edits made after its review date."""
    content: dict[str, Any] = dict(file_content)
    kept: dict[str, Any] = {}
    messages: list[str] = []
    for claim, edit in sorted(edits.items()):
        edited_on = date.fromisoformat(edit["edited_on"])
        label = claim_label(claim)
        if edited_on <= file_reviewed_at:
            messages.append(
                f"{label} : la modification du back-office du {edited_on:%d/%m/%Y} est "
                f"remplacée par le fichier, relu le {file_reviewed_at:%d/%m/%Y}"
            )
            continue
        source = edit["source"]
        change = ClaimEdit(
            claim,
            edit["texts"],
            date.fromisoformat(edit["reviewed_on"]),
            new_source=NewSource(source["title"], source["url"]),
        )
        try:
            content = apply_claim_edit(content, change)
        except InvalidRightEdit:
            messages.append(
                f"conflit : {label} a été modifié au back-office le {edited_on:%d/%m/%Y}, "
                f"après la relecture du fichier ({file_reviewed_at:%d/%m/%Y}), et le fichier "
                "n'a plus cette affirmation : le droit est laissé tel qu'il est en base ; "
                "reportez la modification dans le fichier ou relisez toute la fiche"
            )
            return MergeOutcome(None, dict(edits), messages)
        kept[claim] = edit
        messages.append(
            f"conflit : {label} a été modifié au back-office le {edited_on:%d/%m/%Y}, après la "
            f"relecture du fichier ({file_reviewed_at:%d/%m/%Y}) : la modification est "
            "gardée ; reportez-la dans le fichier ou relisez toute la fiche"
        )
    return MergeOutcome(content, kept, messages)
