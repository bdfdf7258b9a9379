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

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from shapely.geometry import Point
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

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
from directory.imports.common import clean_phone
from directory.imports.partner_sync import (
    PartnerRecord,
    PartnerSource,
    reject_duplicates,
    sync_partners,
)
from directory.models import Closure as ClosureRow
from directory.models import Partner, Right
from directory.values import ServiceValues
from geodata.errors import ImportFileRejected
from geodata.import_report import ImportReport
from geodata.models import Commune, Departement, Epci, FormerCommune

DATASET = "datainclusion"
FOREIGN_SOURCE_PREFIX = "datainclusion-"
DEFAULT_LICENCE = "Licence Ouverte 2.0 (Etalab), via data·inclusion"
SOURCE_MAX = 60
SOURCE_ID_MAX = 80
PHONE_MAX = 40


@dataclass(frozen=True)
class ForeignSource:
    """How to label partners coming from other producers' records."""

    licence: str = DEFAULT_LICENCE
    published_on: date | None = None


@dataclass
class _Pending:
    line: int
    record: PartnerRecord
    source: PartnerSource
    extension: StructureExtension | None  # None: a record of another producer
    services: list[ServiceValues] = field(default_factory=list)
    zones: list[tuple[str, str]] = field(default_factory=list)


class _Territories:
    """Codes of the known territories, read once (codes only, no shapes)."""

    def __init__(self, session: Session) -> None:
        self.commune_codes = set(session.scalars(select(Commune.insee_code)))
        self.former = {
            old: current
            for old, current in session.execute(
                select(FormerCommune.insee_code, FormerCommune.current_insee_code)
            )
            if old != current
        }
        self.epcis = set(session.scalars(select(Epci.siren)))
        self.departements = set(session.scalars(select(Departement.code)))

    def current_insee_code(self, code: str, line: int, report: ImportReport) -> str | None:
        if code in self.commune_codes:
            return code
        current = self.former.get(code)
        if current is not None:
            report.warn(line, f"ancien code INSEE remplacé par {current} (commune nouvelle)", code)
        return current

    def exists(self, level: str, code: str) -> bool:
        if level == "france":
            return True
        if level == "epci":
            return code in self.epcis
        if level == "departement":
            return code in self.departements
        return code in self.commune_codes


def _location(structure: Mapping[str, Any]) -> Point | None:
    lon, lat = structure.get("longitude"), structure.get("latitude")
    if lon is None or lat is None:
        return None
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise ValueError("coordonnées hors limites")
    return Point(float(lon), float(lat))


def _structure_record(
    structure: Mapping[str, Any],
    extension: StructureExtension | None,
    line: int,
    territories: _Territories,
    report: ImportReport,
    foreign: ForeignSource,
) -> _Pending:
    insee_code = structure.get("code_insee")
    if insee_code is not None:
        insee_code = territories.current_insee_code(insee_code, line, report)
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
    }
    if extension is not None:
        common.update(extension.overrides)
        record = PartnerRecord(
            source_id=extension.source_id or structure["id"],
            kind=extension.kind,
            location=_location(structure),
            areas=extension.areas,
            **common,
            **extension.values,
        )
        source = PartnerSource(
            extension.source, extension.source_licence or "", extension.source_date
        )
        return _Pending(line, record, source, extension)
    if len(structure["id"]) > SOURCE_ID_MAX:
        raise ValueError(f"identifiant de plus de {SOURCE_ID_MAX} caractères")
    phone = structure.get("telephone")
    common["phone"] = clean_phone(phone) if phone else None
    if common["phone"] is not None and len(common["phone"]) > PHONE_MAX:
        report.warn(line, "numéro de téléphone illisible, laissé vide", common["phone"])
        common["phone"] = None
    networks = structure.get("reseaux_porteurs") or []
    kind = next((NETWORK_TO_KIND[n] for n in networks if n in NETWORK_TO_KIND), "other")
    record = PartnerRecord(
        source_id=structure["id"],
        kind=kind,
        location=_location(structure),
        **common,
    )
    name = (FOREIGN_SOURCE_PREFIX + structure["source"])[:SOURCE_MAX]
    return _Pending(line, record, PartnerSource(name, foreign.licence, foreign.published_on), None)


def _read_structures(
    rows: Sequence[object], territories: _Territories, report: ImportReport, foreign: ForeignSource
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
                structure, extension, line, territories, report, foreign
            )
        except (ExtensionError, ValueError) as exc:
            report.reject(line, f"structure : {exc}", structure["id"])
    return pending


def _id_of(row: object) -> str:
    return str(row.get("id", "")) if isinstance(row, Mapping) else ""


def _read_services(
    rows: Sequence[object],
    pending: Mapping[str, _Pending],
    rights: set[str],
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


def _finish(item: _Pending, territories: _Territories, report: ImportReport) -> PartnerRecord:
    record = replace(item.record, services=tuple(item.services))
    areas = record.areas if item.extension is not None else tuple(dict.fromkeys(item.zones))
    kept = tuple(area for area in areas if territories.exists(*area))
    for level, code in sorted(set(areas) - set(kept)):
        report.warn(item.line, f"zone d'intervention inconnue ({level}), ignorée", code)
    return replace(record, areas=kept)


def _closure_key(closure: Closure | ClosureRow) -> tuple[str, str, str, str]:
    return (
        closure.starts_on.isoformat(),
        closure.ends_on.isoformat(),
        closure.reason,
        closure.replacement_hours or "",
    )


def _sync_extras(
    session: Session, items: Sequence[_Pending], changed: set[int], report: ImportReport
) -> None:
    """What `sync_partners` does not handle: closures, and a licence that was not given."""
    by_key = {(i.source.name, i.record.source_id): i for i in items if i.extension is not None}
    if not by_key:
        return
    sources = {name for name, _ in by_key}
    query = (
        select(Partner).where(Partner.source.in_(sources)).options(selectinload(Partner.closures))
    )
    for partner in session.scalars(query):
        item = by_key.get((partner.source, partner.source_id or ""))
        if item is None or item.extension is None:
            continue
        if item.extension.source_licence is None:
            partner.source_licence = None
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
    session.flush()


def import_datainclusion(
    session: Session,
    document: object,
    file_name: str,
    now: datetime,
    foreign: ForeignSource | None = None,
) -> ImportReport:
    """Validate and apply ``document``; raise `ImportFileRejected` when the file is refused."""
    report = ImportReport(DATASET, file_name)
    if not isinstance(document, Mapping) or not isinstance(document.get("structures"), list):
        raise ImportFileRejected(
            f"{file_name} : un objet JSON avec une liste « structures » est attendu.", report
        )
    services = document.get("services", [])
    if not isinstance(services, list):
        raise ImportFileRejected(f"{file_name} : « services » doit être une liste.", report)
    territories = _Territories(session)
    pending = _read_structures(
        document["structures"], territories, report, foreign or ForeignSource()
    )
    rights = set(session.scalars(select(Right.slug)))
    _read_services(services, pending, rights, report)
    report.refuse_if_mostly_rejected(MAX_REJECTED_RATIO)
    groups: dict[PartnerSource, list[tuple[int, PartnerRecord]]] = defaultdict(list)
    for item in pending.values():
        groups[item.source].append((item.line, _finish(item, territories, report)))
    changed: set[int] = set()
    for source, records in groups.items():
        kept = reject_duplicates(records, report)
        changed.update(p.id for p in sync_partners(session, source, kept, report, now))
    _sync_extras(session, list(pending.values()), changed, report)
    return report
