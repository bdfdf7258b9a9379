"""Import of the national list of France services sites (ANCT, Licence Ouverte 2.0)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from directory.hours import convert_france_services_hours
from directory.imports.common import CommuneResolver, clean_email, clean_phone, parse_lon_lat
from directory.imports.partner_sync import PartnerSource, PartnerSyncObserver, sync_partners
from directory.offers import KindOffer
from directory.values import PartnerValues
from geodata.import_report import ImportReport
from geodata.imports.csv_source import CsvRow, read_csv_rows

SOURCE = PartnerSource(
    name="anct-france-services",
    licence="Licence Ouverte 2.0 — ANCT / Banque des Territoires",
    published_on=date(2024, 8, 1),
    url="https://www.data.gouv.fr/fr/datasets/liste-des-structures-france-services/",
)
REQUIRED_COLUMNS = (
    "id_fs", "lib_fs", "adresse", "complement_adresse", "insee_com", "code_postal", "lib_com",
    "latitude", "longitude", "mail", "telephone", "h_lundi", "h_mardi", "h_mercredi",
    "h_jeudi", "h_vendredi", "h_samedi", "prise_rdv", "commentaire", "type_fs", "format_fs",
)  # fmt: skip
FORMAT_DESCRIPTIONS = {
    "Bus_équivalent": "France services itinérante (bus) : elle se déplace dans plusieurs communes.",
    "Itinérante": "France services itinérante : elle se déplace dans plusieurs communes.",
    "Multisites": "France services sur plusieurs sites.",
    "Fixe_antenne(s)": "France services avec des antennes.",
}


def _values(
    row: CsvRow, resolver: CommuneResolver, offer: KindOffer, report: ImportReport
) -> PartnerValues:
    location = parse_lon_lat(row.get("longitude"), row.get("latitude"))
    insee_code = resolver.resolve(row.get("insee_com"), row.line, report)
    if insee_code is None:
        raise ValueError(f"code INSEE inconnu « {row.get('insee_com')} »")
    conversion = convert_france_services_hours(row.values)
    if conversion.error:
        report.warn(row.line, f"horaires non convertis : {conversion.error}", row.get("id_fs"))
    parts = [FORMAT_DESCRIPTIONS.get(row.get("format_fs"), ""), row.get("commentaire")]
    appointment = {"Oui": "rdv-possible", "Non": "sans-rdv"}.get(row.get("prise_rdv"), "inconnu")
    raw_hours = " | ".join(
        f"{day[2:]} {row.get(day)}"
        for day in ("h_lundi", "h_mardi", "h_mercredi", "h_jeudi", "h_vendredi", "h_samedi")
        if row.get(day)
    )
    return PartnerValues(
        source=SOURCE.name,
        source_id=row.get("id_fs"),
        source_licence=SOURCE.licence,
        source_date=SOURCE.published_on,
        verified_at=SOURCE.published_on,
        kind="france-services",
        name=" ".join(row.get("lib_fs").split()),
        location=location,
        street=" ".join(row.get("adresse").split()) or None,
        address_complement=" ".join(row.get("complement_adresse").split()) or None,
        postcode=row.get("code_postal") or None,
        city=row.get("lib_com") or None,
        insee_code=insee_code,
        phone=clean_phone(row.get("telephone")),
        email=clean_email(row.get("mail")),
        opening_hours=conversion.osm,
        opening_hours_source=raw_hours or None,
        appointment=appointment,
        description=" ".join(p for p in parts if p) or None,
        services=offer.services,
        areas=((offer.area_level, "FR" if offer.area_level == "france" else insee_code),),
    )


def import_france_services(
    session: Session,
    path: Path,
    offer: KindOffer,
    now: datetime,
    observer: PartnerSyncObserver | None = None,
) -> ImportReport:
    report = ImportReport("france-services", path.name)
    resolver = CommuneResolver(session)
    rows: list[tuple[int, PartnerValues]] = []
    for row in read_csv_rows(path, REQUIRED_COLUMNS):
        report.rows_read += 1
        if not row.get("id_fs") or not row.get("lib_fs"):
            report.reject(row.line, "identifiant ou nom manquant")
            continue
        try:
            rows.append((row.line, _values(row, resolver, offer, report)))
        except ValueError as exc:
            report.reject(row.line, str(exc), row.get("id_fs"))
    sync_partners(session, rows, report, now, observer=observer)
    return report
