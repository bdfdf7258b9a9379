"""The audit log: every change to a partner, with who, when, from where and what it was.

`partner_snapshot` turns a partner into plain JSON values; `changed_fields` keeps the
fields that differ as ``{field: [before, after]}``. Entries are written in the same
transaction as the change they describe, so a rolled-back change leaves no entry.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from admin.models import AuditEntry
from directory.models import Partner
from directory.operations import partner_values
from directory.partner_rules import FIELD_LABELS
from directory.values import PartnerValues
from geodata.import_report import ImportReport
from geodata.types import utc_now


class Origin(enum.StrEnum):
    SCREEN = "ecran"
    IMPORT = "import"
    COMMAND = "commande"


ORIGIN_LABELS = {Origin.SCREEN: "écran", Origin.IMPORT: "import", Origin.COMMAND: "commande"}

EXTRA_FIELD_LABELS = {
    "closures": "fermetures exceptionnelles",
    "verified_at": "vérifiée le",
    "is_location_doubtful": "position douteuse",
    "location_note": "note sur la position",
    "description": "description",
    "opening_hours_source": "source des horaires",
    "accessibility_details": "précisions d'accessibilité",
    "transport_access": "accès en transports",
    "source_date": "date de la source",
    "is_demo": "fiche de démonstration",
    "status": "état",
    "contact": "contact",
}


def field_label(name: str) -> str:
    return FIELD_LABELS.get(name) or EXTRA_FIELD_LABELS.get(name, name)


@dataclass(frozen=True)
class Actor:
    """Who changes something, and from where: a screen, an import, a command."""

    user_id: int | None
    label: str
    origin: Origin
    detail: str

    def for_detail(self, detail: str) -> Actor:
        return Actor(self.user_id, self.label, self.origin, detail[:200])


def _json(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_json(item) for item in value]
    if isinstance(value, dict):
        return {key: _json(item) for key, item in value.items()}
    return value


def values_snapshot(values: PartnerValues) -> dict[str, Any]:
    """Every field of these values, as stored, as JSON values (services and areas as short
    texts, sorted: their order is not a change): what the audit log compares."""
    fields = asdict(values.normalised())
    fields["services"] = sorted(
        f"{s['right_slug']}:{s['help_level']}"
        + (f" ({'|'.join(s['publics'])})" if s["publics"] else "")
        + (f" — {s['description']}" if s["description"] else "")
        for s in fields["services"]
    )
    fields["areas"] = sorted(f"{level}:{code}" for level, code in fields["areas"])
    return {key: _json(value) for key, value in fields.items()}


def partner_snapshot(partner: Partner) -> dict[str, Any]:
    """The partner's values and its closures, as JSON values."""
    snapshot = values_snapshot(partner_values(partner))
    snapshot["closures"] = [
        f"{c.starts_on.isoformat()}→{c.ends_on.isoformat()} {c.reason}"
        + (f" [{c.replacement_hours}]" if c.replacement_hours else "")
        for c in partner.closures
    ]
    return snapshot


def changed_fields(
    before: Mapping[str, Any] | None, after: Mapping[str, Any] | None
) -> dict[str, list[Any]]:
    before, after = before or {}, after or {}
    return {
        name: [before.get(name), after.get(name)]
        for name in dict.fromkeys([*before, *after])
        if before.get(name) != after.get(name)
    }


def record(
    session: Session,
    actor: Actor,
    action: str,
    summary: str,
    *,
    partner_id: int | None = None,
    subject: str | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    at: datetime | None = None,
) -> AuditEntry:
    entry = AuditEntry(
        at=at or utc_now(),
        user_id=actor.user_id,
        actor=actor.label[:200],
        origin=actor.origin.value,
        origin_detail=actor.detail[:200],
        action=action,
        partner_id=partner_id,
        subject=subject,
        summary=summary[:300],
        changes=changed_fields(before, after),
    )
    session.add(entry)
    session.flush()
    return entry


@dataclass(frozen=True)
class PendingEntry:
    action: str
    summary: str
    partner_id: int | None
    changes: dict[str, list[Any]]


class PartnerEntries:
    """A `directory.imports.partner_sync.PartnerSyncObserver` that keeps one pending audit
    entry per partner an import creates or updates (written at once by `record_many`).

    ``file_lines`` maps the lines the import saw to those of the file, when the import was
    given only part of it."""

    def __init__(self, what: str, file_lines: Mapping[int, int] | None = None) -> None:
        self.what = what
        self.file_lines = file_lines or {}
        self.entries: list[PendingEntry] = []

    def partner_synced(
        self, line: int, partner: Partner, before: PartnerValues | None, after: PartnerValues
    ) -> None:
        self.entries.append(
            PendingEntry(
                "partner-import",
                f"{self.what}, ligne {self.file_lines.get(line, line)} : "
                + ("fiche mise à jour" if before is not None else "fiche créée"),
                partner.id,
                changed_fields(
                    values_snapshot(before) if before is not None else None,
                    values_snapshot(after),
                ),
            )
        )


def import_counts(report: ImportReport) -> str:
    """« 3 créées, 1 mises à jour, … » : what the audit log keeps of an import report."""
    return (
        f"{report.created} créées, {report.updated} mises à jour, {report.unchanged} "
        f"inchangées, {len(report.rejected)} rejetées"
        + (f", {report.deleted} supprimées" if report.deleted else "")
    )


def record_many(
    session: Session, actor: Actor, entries: Iterable[PendingEntry], at: datetime
) -> int:
    """Many entries in one statement (an import of thousands of rows)."""
    rows = [
        {
            "at": at,
            "user_id": actor.user_id,
            "actor": actor.label[:200],
            "origin": actor.origin.value,
            "origin_detail": actor.detail[:200],
            "action": entry.action,
            "partner_id": entry.partner_id,
            "summary": entry.summary[:300],
            "changes": entry.changes,
        }
        for entry in entries
    ]
    if rows:
        session.execute(insert(AuditEntry), rows)
    return len(rows)


def list_partner_history(session: Session, partner_id: int, limit: int = 200) -> list[AuditEntry]:
    query = (
        select(AuditEntry)
        .where(AuditEntry.partner_id == partner_id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def list_subject_history(session: Session, subject: str, limit: int = 200) -> list[AuditEntry]:
    """The changes made to a bus route (``bus-route:<id>``) or a right (``right:<slug>``)."""
    query = (
        select(AuditEntry)
        .where(AuditEntry.subject == subject)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def list_recent_entries(session: Session, limit: int = 100) -> list[AuditEntry]:
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
    return list(session.scalars(query))
