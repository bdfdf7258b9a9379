"""Idempotent synchronisation of imported partners, keyed by (source, source id).

Every row obeys the same rules as an edit (`directory.partner_rules`): a row that breaks
one is rejected in the report, with the French reasons, before anything is written for
it; the other rows are applied.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from shapely.geometry import Point
from sqlalchemy import insert, select
from sqlalchemy.orm import Session, selectinload

from directory.models import Partner, Service, ServiceArea
from directory.operations import (
    apply_partner_values,
    has_same_values,
    partner_columns,
    service_columns,
)
from directory.partner_rules import PartnerReference, describe_partner_errors, partner_value_errors
from directory.service_areas import resolve_served_communes
from directory.values import PartnerValues
from geodata.import_report import ImportReport
from geodata.models import SRID


@dataclass(frozen=True)
class PartnerSource:
    """A published source of partners: its name in `Partner.source`, licence and date."""

    name: str
    licence: str
    published_on: date | None
    url: str | None = None


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
) -> SyncResult:
    """Create or update the partners of these (line, values) rows.

    Each row must carry its ``source_id``. A second row with the same (source, source id)
    is rejected. Partners of the sources that are absent from ``rows`` are left untouched:
    a partial file never deletes anyone.
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
    accepted: list[tuple[int, Partner | None]] = []  # in the rows' order; None: created
    changed_lines: set[int] = set()
    created: list[tuple[int, PartnerValues]] = []
    area_changed: list[Partner] = []
    for line, values in _reject_duplicates(rows, report):
        errors = partner_value_errors(values, reference, require_area=False)
        if errors:
            report.reject(line, describe_partner_errors(errors), values.source_id or "")
            continue
        partner = existing.get(_key(values))
        if partner is None:
            report.created += 1
            created.append((line, values))
            changed_lines.add(line)
        else:
            values = _keeping_confirmation(partner, values)
            if has_same_values(partner, values):
                report.unchanged += 1
            else:
                report.updated += 1
                if apply_partner_values(partner, values):
                    area_changed.append(partner)
                partner.imported_at = now
                changed_lines.add(line)
        accepted.append((line, partner))
    session.flush()
    new_partners = dict(
        zip((line for line, _ in created), _insert_partners(session, created, now), strict=True)
    )
    resolve_served_communes(session, area_changed + list(new_partners.values()))
    partners = {line: partner or new_partners[line] for line, partner in accepted}
    return SyncResult(partners, [partners[line] for line, _ in accepted if line in changed_lines])


def _insert_partners(
    session: Session, rows: Sequence[tuple[int, PartnerValues]], now: datetime
) -> list[Partner]:
    """Write the new partners, their services and areas with a few multi-row statements.

    An import creates thousands of partners: through the ORM's unit of work each of them
    and each service cost one ``INSERT`` and a dozen attribute events, most of the time of
    a national import. The rows are those that `apply_partner_values` would write.
    """
    if not rows:
        return []
    wanted = [values.normalised() for _, values in rows]
    # Rows come back in any order (asking for the file's order makes SQLite insert one by
    # one): each is matched by its source id, unique within the source.
    inserted = session.scalars(
        insert(Partner).returning(Partner),
        [
            {**partner_columns(values), "location": _ewkt(values.location), "imported_at": now}
            for values in wanted
        ],
    )
    by_key = {(partner.source, partner.source_id): partner for partner in inserted}
    partners = [by_key[values.source, values.source_id] for values in wanted]
    services = [
        {"partner_id": partner.id, **service_columns(service)}
        for partner, values in zip(partners, wanted, strict=True)
        for service in values.services
    ]
    areas = [
        {"partner_id": partner.id, "level": level, "code": code}
        for partner, values in zip(partners, wanted, strict=True)
        for level, code in values.areas
    ]
    if services:
        session.execute(insert(Service), services)
    if areas:
        session.execute(insert(ServiceArea), areas)
    return partners


def _ewkt(location: tuple[float, float] | None) -> str | None:
    """The position as the EWKT text that the geometry column sends for a shape.

    A geometry element (`from_shape`) is an SQL expression to the ORM, which then inserts
    its rows one at a time; the same text as a plain value goes in multi-row statements.
    """
    return None if location is None else f"SRID={SRID};{Point(*location).wkt}"


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
