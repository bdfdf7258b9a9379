"""Idempotent synchronisation of imported partners, keyed by (source, source id).

Every row obeys the same rules as an edit (`directory.partner_rules`): a row that breaks
one is rejected in the report, with the French reasons, before anything is written for
it; the other rows are applied.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from directory.change_log import record_partner_changes
from directory.models import Partner
from directory.operations import apply_partner_values, has_same_values, partner_values
from directory.partner_rules import PartnerReference, describe_partner_errors, partner_value_errors
from directory.service_areas import resolve_served_communes
from directory.values import PartnerValues
from geodata.import_report import ImportReport


@dataclass(frozen=True)
class PartnerSource:
    """A published source of partners: its name in `Partner.source`, licence and date."""

    name: str
    licence: str
    published_on: date | None
    url: str | None = None


class PartnerSyncObserver(Protocol):
    """Told of every partner an import creates or updates (the back office's audit log
    listens). Called after the write is flushed, so that ``partner.id`` is known."""

    def partner_synced(
        self, line: int, partner: Partner, before: PartnerValues | None, after: PartnerValues
    ) -> None:
        """``before`` is None for a created partner; ``after`` is what the row wrote."""


@dataclass(frozen=True)
class SyncResult:
    partners: dict[int, Partner]
    """The partner of every accepted row (created, updated or unchanged), by line."""
    changed: list[Partner]
    """The partners created or updated."""


def sync_partners(
    session: Session,
    rows: Sequence[tuple[int, PartnerValues]],
    report: ImportReport,
    now: datetime,
    reference: PartnerReference | None = None,
    observer: PartnerSyncObserver | None = None,
) -> SyncResult:
    """Create or update the partners of these (line, values) rows.

    Each row must carry its ``source_id``. A second row with the same (source, source id)
    is rejected. Partners of the sources that are absent from ``rows`` are left untouched:
    a partial file never deletes anyone. With an ``observer``, the values each changed
    partner held before are read first, and the observer is told of every change.
    """
    reference = reference or PartnerReference.load(session)
    sources = {_key(values)[0] for _, values in rows}
    existing = {
        (p.source, p.source_id): p
        for p in session.scalars(
            select(Partner)
            .where(Partner.source.in_(sources))
            .options(selectinload(Partner.services), selectinload(Partner.service_areas))
        )
    }
    result = SyncResult({}, [])
    area_changed: list[Partner] = []
    observed: list[tuple[int, Partner, PartnerValues | None, PartnerValues]] = []
    for line, values in _reject_duplicates(rows, report):
        errors = partner_value_errors(values, reference, require_area=False)
        if errors:
            report.reject(line, describe_partner_errors(errors), values.source_id or "")
            continue
        key = _key(values)
        partner = existing.get(key)
        if partner is not None:
            values = _keeping_confirmation(partner, values)
        if partner is not None and has_same_values(partner, values):
            report.unchanged += 1
        else:
            before = partner_values(partner) if observer and partner is not None else None
            if partner is None:
                partner = existing[key] = Partner(services=[], service_areas=[])
                session.add(partner)
                report.created += 1
            else:
                report.updated += 1
            if observer is not None:
                observed.append((line, partner, before, values))
            if apply_partner_values(partner, values):
                area_changed.append(partner)
            partner.imported_at = now
            result.changed.append(partner)
        result.partners[line] = partner
    session.flush()
    resolve_served_communes(session, area_changed)
    record_partner_changes(session, [partner.id for partner in result.changed])
    if observer is not None:
        for line, partner, before, after in observed:
            observer.partner_synced(line, partner, before, after)
    return result


def _keeping_confirmation(partner: Partner, values: PartnerValues) -> PartnerValues:
    """A person confirmed the partner after the file's date: that later date stays."""
    if partner.verified_at is not None and (
        values.verified_at is None or partner.verified_at > values.verified_at
    ):
        return replace(values, verified_at=partner.verified_at)
    return values


def _reject_duplicates(
    rows: Sequence[tuple[int, PartnerValues]], report: ImportReport
) -> list[tuple[int, PartnerValues]]:
    seen: set[tuple[str, str | None]] = set()
    kept: list[tuple[int, PartnerValues]] = []
    for line, values in rows:
        key = _key(values)
        if key[1] is None:
            report.reject(line, "identifiant manquant")
        elif key in seen:
            report.reject(line, "identifiant en double dans le fichier", key[1])
        else:
            seen.add(key)
            kept.append((line, values))
    return kept


def _key(values: PartnerValues) -> tuple[str, str | None]:
    """(source, source id) as stored."""
    return values.source.strip(), (values.source_id or "").strip() or None
