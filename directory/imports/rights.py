"""Load the rights catalogue (``data/rights/*.toml``) into the ``right`` table."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from directory.models import Right
from directory.rights_catalogue import load_catalogue
from geodata.import_report import ImportReport


def import_rights(session: Session, catalogue_dir: Path) -> ImportReport:
    report = ImportReport("droits", catalogue_dir.name)
    for content in load_catalogue(catalogue_dir):
        report.rows_read += 1
        values = {
            "name": content.name,
            "short_name": content.short_name,
            "content": content.to_dict(),
            "reviewed_at": content.reviewed_at,
        }
        right = session.get(Right, content.slug)
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
