"""Idempotent synchronisation of partners from one source (keyed by source + source id)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any

from geoalchemy2.shape import from_shape, to_shape
from shapely.geometry import Point
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from directory.models import Partner, Service, ServiceArea
from directory.service_areas import resolve_served_communes
from directory.values import ServiceValues
from geodata.import_report import ImportReport
from geodata.models import SRID

LOCATION_TOLERANCE_DEG = 1e-7


@dataclass(frozen=True)
class PartnerSource:
    name: str
    licence: str
    published_on: date | None
    url: str | None = None


@dataclass(frozen=True)
class PartnerRecord:
    """What a source says of one partner. Only the fields a source knows are compared."""

    source_id: str
    kind: str
    name: str
    location: Point | None
    street: str | None = None
    address_complement: str | None = None
    postcode: str | None = None
    city: str | None = None
    insee_code: str | None = None
    is_location_doubtful: bool = False
    location_note: str | None = None
    phone: str | None = None
    email: str | None = None
    website: str | None = None
    opening_hours: str | None = None
    opening_hours_source: str | None = None
    accessibility: str = "inconnu"
    accessibility_details: str | None = None
    languages: str = "fr"
    appointment: str = "inconnu"
    transport_access: str | None = None
    description: str | None = None
    verified_at: date | None = None
    is_demo: bool = False
    services: tuple[ServiceValues, ...] = ()
    areas: tuple[tuple[str, str], ...] = field(default=())


SCALAR_FIELDS = tuple(
    f.name
    for f in fields(PartnerRecord)
    if f.name not in {"source_id", "location", "services", "areas"}
)


def _same_location(partner: Partner, record: PartnerRecord) -> bool:
    if partner.location is None or record.location is None:
        return partner.location is None and record.location is None
    return bool(to_shape(partner.location).equals_exact(record.location, LOCATION_TOLERANCE_DEG))


def _service_key(service: Service | ServiceValues) -> tuple[Any, ...]:
    publics = service.publics if isinstance(service, ServiceValues) else tuple(service.public_list)
    return (service.right_slug, service.help_level, service.description, publics, service.source)


def _differs(partner: Partner, record: PartnerRecord) -> bool:
    if any(getattr(partner, name) != getattr(record, name) for name in SCALAR_FIELDS):
        return True
    if not _same_location(partner, record):
        return True
    if sorted(map(_service_key, partner.services)) != sorted(map(_service_key, record.services)):
        return True
    return sorted((a.level, a.code) for a in partner.service_areas) != sorted(record.areas)


def _apply(partner: Partner, record: PartnerRecord, source: PartnerSource, now: datetime) -> bool:
    """Copy the record onto the partner; return True when the service area changed."""
    for name in SCALAR_FIELDS:
        setattr(partner, name, getattr(record, name))
    partner.location = (
        from_shape(record.location, srid=SRID) if record.location is not None else None
    )
    partner.source_licence = source.licence
    partner.source_date = source.published_on
    partner.imported_at = now
    wanted_services = {s.right_slug: s for s in record.services}
    partner.services = [s for s in partner.services if s.right_slug in wanted_services]
    existing = {s.right_slug: s for s in partner.services}
    for slug, wanted in wanted_services.items():
        service = existing.get(slug) or Service(right_slug=slug)
        service.help_level = wanted.help_level
        service.description = wanted.description
        service.publics = "|".join(wanted.publics)
        service.source = wanted.source
        if slug not in existing:
            partner.services.append(service)
    areas_before = sorted((a.level, a.code) for a in partner.service_areas)
    if areas_before == sorted(record.areas):
        return False
    current = {(a.level, a.code): a for a in partner.service_areas}
    partner.service_areas = [
        current.get(area) or ServiceArea(level=area[0], code=area[1]) for area in record.areas
    ]
    return True


def sync_partners(
    session: Session,
    source: PartnerSource,
    records: Iterable[PartnerRecord],
    report: ImportReport,
    now: datetime,
) -> list[Partner]:
    """Create or update the partners of ``source``; return the partners that changed.

    Partners of the source that are absent from ``records`` are left untouched: a partial
    file never deletes anyone.
    """
    existing = {
        p.source_id: p
        for p in session.scalars(
            select(Partner)
            .where(Partner.source == source.name)
            .options(
                selectinload(Partner.services),
                selectinload(Partner.service_areas),
            )
        )
    }
    changed: list[Partner] = []
    area_changed: list[Partner] = []
    for record in records:
        partner = existing.get(record.source_id)
        if partner is None:
            partner = Partner(source=source.name, source_id=record.source_id)
            partner.services = []
            partner.service_areas = []
            session.add(partner)
            existing[record.source_id] = partner
            report.created += 1
        elif not _differs(partner, record):
            report.unchanged += 1
            continue
        else:
            report.updated += 1
        if _apply(partner, record, source, now):
            area_changed.append(partner)
        changed.append(partner)
    session.flush()
    resolve_served_communes(session, area_changed)
    return changed


def reject_duplicates(
    records: Sequence[tuple[int, PartnerRecord]], report: ImportReport
) -> list[PartnerRecord]:
    seen: set[str] = set()
    kept: list[PartnerRecord] = []
    for line, record in records:
        if record.source_id in seen:
            report.reject(line, "identifiant en double dans le fichier", record.source_id)
            continue
        seen.add(record.source_id)
        kept.append(record)
    return kept
