"""Load the rights catalogue (``data/rights/*.toml``) into the ``right`` table.

Claims edited in the back office (``Right.edits``, see `directory.rights_editing`) are not
silently overwritten: an edit made after the file's ``reviewed_at`` is applied again over
the file and reported as a conflict; a file reviewed on or after the edit replaces it (and
says so). When an edit cannot be placed on the file (the claim is gone), the right is left
as it is in the database, and the report says why.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from directory.models import Right
from directory.rights_catalogue import load_catalogue
from directory.rights_editing import InvalidRightEdit, merge_edits, validated
from geodata.import_report import ImportReport


def import_rights(session: Session, catalogue_dir: Path) -> ImportReport:
    report = ImportReport("droits", catalogue_dir.name)
    for content in load_catalogue(catalogue_dir):
        report.rows_read += 1
        stored = content.to_dict()
        values: dict[str, Any] = {
            "name": content.name,
            "short_name": content.short_name,
            "content": stored,
            "reviewed_at": content.reviewed_at,
            "edits": None,
        }
        right = session.get(Right, content.slug)
        if right is not None and right.edits:
            merged = merge_edits(stored, right.edits, content.reviewed_at)
            for message in merged.messages:
                report.warn(report.rows_read, message, content.slug)
            if merged.content is None:
                report.unchanged += 1
                continue
            try:
                values["content"] = validated(merged.content, content.slug)
            except InvalidRightEdit as exc:
                report.warn(
                    report.rows_read,
                    f"conflit : {exc.message} Le droit est laissé tel qu'il est en base.",
                    content.slug,
                )
                report.unchanged += 1
                continue
            values["edits"] = merged.kept or None
        if right is None:
            session.add(Right(slug=content.slug, **values))
            report.created += 1
        elif all(getattr(right, key) == value for key, value in values.items()):
            report.unchanged += 1
        else:
            for key, value in values.items():
                setattr(right, key, value)
            report.updated += 1
    session.flush()
    return report
