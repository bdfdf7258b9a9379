"""Import a data·inclusion v1 document (``{"structures": [...], "services": [...]}``).

Same rules as the other imports: every row is checked against the bundled JSON Schema and
our own rules, bad rows are rejected one by one in an `ImportReport`, the whole file is
refused when too many rows are bad, partners are synchronised idempotently by
(source, source id) and nothing is committed here (the caller commits once).

Records we exported ourselves carry the ``aiguillage`` extension and come back exactly
(source, kind, hours, service areas, closures…). Records of other producers become
partners of the source ``datainclusion-<source>``; their services are kept only when they
say which right they help with, which only our extension does (see `mapping`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from directory.change_log import record_partner_changes
from directory.exchange.extension import (
    ExtensionError,
    StructureExtension,
    read_service_extension,
    read_structure_extension,
)
from directory.exchange.mapping import EXTENSION_KEY, NETWORK_TO_KIND, area_of_zone
from directory.exchange.schema import schema_errors
from directory.hours import Closure
from directory.imports.bundle import MAX_REJECTED_RATIO
from directory.imports.common import CommuneResolver, clean_phone
from directory.imports.partner_sync import PartnerSyncObserver, SyncResult, sync_partners
from directory.models import Closure as ClosureRow
from directory.models import Partner
from directory.partner_rules import TEXT_LIMITS, PartnerReference
from directory.values import PartnerValues, ServiceValues
from geodata.errors import ImportFileRejected
from geodata.import_report import ImportReport

DATASET = "datainclusion"
FOREIGN_SOURCE_PREFIX = "datainclusion-"
DEFAULT_LICENCE = "Licence Ouverte 2.0 (Etalab), via data·inclusion"


@dataclass(frozen=True)
class ForeignSource:
    """How to label partners coming from other producers' records."""

    licence: str = DEFAULT_LICENCE
    published_on: date | None = None


@dataclass
class _Pending:
    line: int
    values: PartnerValues
    extension: StructureExtension | None  # None: a record of another producer
    services: list[ServiceValues] = field(default_factory=list)
    zones: list[tuple[str, str]] = field(default_factory=list)


def _location(structure: Mapping[str, Any]) -> tuple[float, float] | None:
    lon, lat = structure.get("longitude"), structure.get("latitude")
    if lon is None or lat is None:
        return None
    return (float(lon), float(lat))


def _record_date(structure: Mapping[str, Any]) -> date | None:
    """The record's ``date_maj`` (``AAAA-MM-JJ``, checked by the schema), as a date."""
    value = structure.get("date_maj")
    try:
        return date.fromisoformat(value[:10]) if isinstance(value, str) else None
    except ValueError:
        return None


def _structure_record(
    structure: Mapping[str, Any],
    extension: StructureExtension | None,
    line: int,
    resolver: CommuneResolver,
    report: ImportReport,
    foreign: ForeignSource,
) -> _Pending:
    insee_code = structure.get("code_insee")
    if insee_code is not None:
        insee_code = resolver.resolve(insee_code, line, report)
        if insee_code is None:
            report.warn(line, "code INSEE inconnu, laissé vide", structure["code_insee"])
    common: dict[str, Any] = {
        "name": structure["nom"],
        "description": structure.get("description"),
        "street": structure.get("adresse"),
        "address_complement": structure.get("complement_adresse"),
        "postcode": structure.get("code_postal"),
        "city": structure.get("commune"),
        "insee_code": insee_code,
        "phone": structure.get("telephone"),
        "email": structure.get("courriel"),
        "website": structure.get("site_web"),
        "opening_hours": structure.get("horaires_accueil"),
        "siret": structure.get("siret"),
    }
    if extension is not None:
        common.update(extension.overrides)
        values = PartnerValues(
            source=extension.source,
            source_id=extension.source_id or structure["id"],
            source_licence=extension.source_licence,
            source_date=extension.source_date,
            kind=extension.kind,
            location=_location(structure),
            areas=extension.areas,
            **common,
            **extension.values,
        )
        return _Pending(line, values, extension)
    phone = structure.get("telephone")
    common["phone"] = clean_phone(phone) if phone else None
    if common["phone"] is not None and len(common["phone"]) > TEXT_LIMITS["phone"]:
        report.warn(line, "numéro de téléphone illisible, laissé vide", common["phone"])
        common["phone"] = None
    networks = structure.get("reseaux_porteurs") or []
    kind = next((NETWORK_TO_KIND[n] for n in networks if n in NETWORK_TO_KIND), "other")
    values = PartnerValues(
        source=(FOREIGN_SOURCE_PREFIX + structure["source"])[: TEXT_LIMITS["source"]],
        source_id=structure["id"],
        source_licence=foreign.licence,
        # The producer's own date of the record, unless the file is dated as a whole.
        source_date=foreign.published_on or _record_date(structure),
        kind=kind,
        location=_location(structure),
        **common,
    )
    return _Pending(line, values, None)


def _read_structures(
    rows: Sequence[object], resolver: CommuneResolver, report: ImportReport, foreign: ForeignSource
) -> dict[str, _Pending]:
    pending: dict[str, _Pending] = {}
    for line, structure in enumerate(rows, start=1):
        report.rows_read += 1
        errors = schema_errors("structure", structure)
        if errors or not isinstance(structure, Mapping):
            report.reject(line, "structure : " + " ; ".join(errors[:3]), _id_of(structure))
            continue
        if structure["id"] in pending:
            report.reject(
                line, "structure : identifiant en double dans le fichier", structure["id"]
            )
            continue
        try:
            extension = (
                read_structure_extension(structure[EXTENSION_KEY])
                if EXTENSION_KEY in structure
                else None
            )
            pending[structure["id"]] = _structure_record(
                structure, extension, line, resolver, report, foreign
            )
        except (ExtensionError, ValueError) as exc:
            report.reject(line, f"structure : {exc}", structure["id"])
    return pending


def _id_of(row: object) -> str:
    return str(row.get("id", "")) if isinstance(row, Mapping) else ""


def _read_services(
    rows: Sequence[object],
    pending: Mapping[str, _Pending],
    rights: frozenset[str],
    report: ImportReport,
) -> None:
    for line, service in enumerate(rows, start=1):
        report.rows_read += 1
        errors = schema_errors("service", service)
        if errors or not isinstance(service, Mapping):
            report.reject(line, "service : " + " ; ".join(errors[:3]), _id_of(service))
            continue
        owner = pending.get(service["structure_id"])
        if owner is None:
            report.reject(line, "service : structure absente ou rejetée", service["id"])
            continue
        for code in service.get("zone_eligibilite") or []:
            area = area_of_zone(code)
            if area is None:
                report.warn(line, "zone d'éligibilité non reconnue, ignorée", code)
            else:
                owner.zones.append(area)
        if EXTENSION_KEY not in service:
            report.warn(line, "service ignoré : le droit concerné n'est pas indiqué", service["id"])
            continue
        try:
            extension = read_service_extension(service[EXTENSION_KEY])
        except ExtensionError as exc:
            report.reject(line, f"service : {exc}", service["id"])
            continue
        if extension.right_slug not in rights:
            report.reject(
                line, f"service : droit inconnu « {extension.right_slug} »", service["id"]
            )
            continue
        if any(s.right_slug == extension.right_slug for s in owner.services):
            report.reject(line, "service : droit en double pour cette structure", service["id"])
            continue
        owner.services.append(
            ServiceValues(
                right_slug=extension.right_slug,
                help_level=extension.help_level,
                description=extension.description,
                publics=extension.publics,
                source=extension.source,
            )
        )


def _finish(item: _Pending, reference: PartnerReference, report: ImportReport) -> PartnerValues:
    areas = item.values.areas if item.extension is not None else tuple(dict.fromkeys(item.zones))
    kept = tuple(area for area in areas if reference.has_area(*area))
    for level, code in sorted(set(areas) - set(kept)):
        report.warn(item.line, f"zone d'intervention inconnue ({level}), ignorée", code)
    return replace(item.values, services=tuple(item.services), areas=kept)


def _closure_key(closure: Closure | ClosureRow) -> tuple[str, str, str, str]:
    return (
        closure.starts_on.isoformat(),
        closure.ends_on.isoformat(),
        closure.reason,
        closure.replacement_hours or "",
    )


def _sync_closures(
    session: Session, items: Sequence[_Pending], synced: SyncResult, report: ImportReport
) -> None:
    """What `sync_partners` does not handle: the closures of the accepted rows."""
    by_id = {
        synced.partners[item.line].id: item
        for item in items
        if item.extension is not None and item.line in synced.partners
    }
    if not by_id:
        return
    changed = {partner.id for partner in synced.changed}
    sources = {synced.partners[item.line].source for item in by_id.values()}
    query = (
        select(Partner).where(Partner.source.in_(sources)).options(selectinload(Partner.closures))
    )
    for partner in session.scalars(query):
        item = by_id.get(partner.id)
        if item is None or item.extension is None:
            continue
        wanted = sorted(item.extension.closures, key=_closure_key)
        if [_closure_key(c) for c in wanted] == sorted(map(_closure_key, partner.closures)):
            continue
        partner.closures = [
            ClosureRow(
                starts_on=c.starts_on,
                ends_on=c.ends_on,
                reason=c.reason,
                replacement_hours=c.replacement_hours,
            )
            for c in wanted
        ]
        if partner.id not in changed:
            report.unchanged -= 1
            report.updated += 1
            record_partner_changes(session, [partner.id])
    session.flush()


def import_datainclusion(
    session: Session,
    document: object,
    file_name: str,
    now: datetime,
    foreign: ForeignSource | None = None,
    observer: PartnerSyncObserver | None = None,
) -> ImportReport:
    """Validate and apply ``document``; raise `ImportFileRejected` when the file is refused.

    ``observer`` is told of every partner created or updated (closure-only changes aside).
    """
    report = ImportReport(DATASET, file_name)
    if not isinstance(document, Mapping) or not isinstance(document.get("structures"), list):
        raise ImportFileRejected(
            f"{file_name} : un objet JSON avec une liste « structures » est attendu.", report
        )
    services = document.get("services", [])
    if not isinstance(services, list):
        raise ImportFileRejected(f"{file_name} : « services » doit être une liste.", report)
    reference = PartnerReference.load(session)
    pending = _read_structures(
        document["structures"], CommuneResolver(session), report, foreign or ForeignSource()
    )
    _read_services(services, pending, reference.right_slugs, report)
    report.refuse_if_mostly_rejected(MAX_REJECTED_RATIO)
    rows = [(item.line, _finish(item, reference, report)) for item in pending.values()]
    synced = sync_partners(session, rows, report, now, reference, observer)
    _sync_closures(session, list(pending.values()), synced, report)
    report.refuse_if_mostly_rejected(MAX_REJECTED_RATIO)  # with the rows the rules refused
    return report
