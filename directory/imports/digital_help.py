"""Import of the places where the conseillers numériques France Services worked (ANCT, 2022).

The file gives no INSEE code: the commune is found from the postcode and the commune name,
and when the name does not match (« LENS » is found, « ST OMER » too, a typo is not), from
the postcode and the position: the commune of that postcode whose centre is nearest, if
within `MAX_CENTRE_DISTANCE_M`. Otherwise the row is rejected, never guessed.

Hours are published in OSM syntax and kept as they are when they parse. The list of
individual advisers was removed before the file was bundled (see data/DATA_SOURCES.md);
only their number is kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from directory.hours import convert_osm_hours
from directory.imports.common import clean_email, clean_phone, clean_website, parse_lon_lat
from directory.imports.partner_sync import PartnerSource, PartnerSyncObserver, sync_partners
from directory.offers import KindOffer
from directory.values import PartnerValues
from geodata.distance import haversine_m
from geodata.geocoding.normalise import place_key
from geodata.import_report import ImportReport
from geodata.imports.csv_source import CsvRow, read_csv_rows
from geodata.models import Commune

SOURCE = PartnerSource(
    name="anct-conseillers-numeriques-2022",
    licence="Licence Ouverte 2.0 — ANCT, Cartographie nationale des lieux d'inclusion numérique",
    published_on=None,  # every row has its own date (date_maj)
    url="https://cartographie.societenumerique.gouv.fr/",
)
REQUIRED_COLUMNS = (
    "id", "nom", "commune", "code_postal", "adresse", "latitude", "longitude", "telephone",
    "courriel", "site_web", "prise_rdv", "conditions_access", "horaires", "date_maj",
    "nb_conseillers",
)  # fmt: skip
KIND = "conseiller-numerique"
MAX_CENTRE_DISTANCE_M = 15_000.0
"""A place matched by postcode and position is at most this far from its commune's centre."""


class PostcodeCommunes:
    """Communes by postcode, with their name key and centre, read once."""

    def __init__(self, session: Session) -> None:
        query = select(
            Commune.insee_code,
            Commune.name,
            Commune.postal_codes,
            func.ST_X(Commune.centre),
            func.ST_Y(Commune.centre),
        )
        self._by_postcode: dict[str, list[tuple[str, str, tuple[float, float] | None]]] = {}
        self.centres: dict[str, tuple[float, float] | None] = {}
        for code, name, postcodes, lon, lat in session.execute(query):
            centre = (float(lon), float(lat)) if lon is not None else None
            self.centres[code] = centre
            for postcode in (postcodes or "").split("|"):
                if postcode:
                    self._by_postcode.setdefault(postcode, []).append(
                        (code, place_key(name), centre)
                    )

    def resolve(
        self, postcode: str, name: str, point: tuple[float, float] | None
    ) -> tuple[str | None, str | None]:
        """(INSEE code, warning) of the place's commune, or (None, reason)."""
        communes = self._by_postcode.get(postcode.strip(), [])
        if not communes:
            return None, f"code postal inconnu « {postcode} »"
        key = place_key(name)
        named = [code for code, name_key, _ in communes if name_key == key]
        if len(named) == 1:
            return named[0], None
        if point is None:
            return None, f"commune « {name} » introuvable pour le code postal {postcode}"
        measured = sorted(
            (haversine_m(point[0], point[1], *centre), code)
            for code, _, centre in communes
            if centre is not None
        )
        if not measured or measured[0][0] > MAX_CENTRE_DISTANCE_M:
            return None, f"commune « {name} » introuvable près du point ({postcode})"
        return measured[0][1], (
            f"commune « {name} » lue comme {measured[0][1]} (code postal {postcode} et position)"
        )


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip()[:10]) if text.strip() else None
    except ValueError:
        return None


def _description(row: CsvRow) -> str | None:
    parts = [row.get("conditions_access")]
    count = row.get("nb_conseillers")
    if count and count.isdigit() and int(count) > 0:
        plural = "s" if int(count) > 1 else ""
        parts.append(f"{count} conseiller{plural} numérique{plural} en 2022.")
    if row.get("prise_rdv"):
        parts.append(f"Prise de rendez-vous : {row.get('prise_rdv')}")
    return " ".join(" ".join(p.split()) for p in parts if p) or None


def _values(
    row: CsvRow, communes: PostcodeCommunes, offer: KindOffer, report: ImportReport
) -> PartnerValues:
    identifier = row.get("id")
    location = parse_lon_lat(row.get("longitude"), row.get("latitude"))
    insee_code, problem = communes.resolve(row.get("code_postal"), row.get("commune"), location)
    if insee_code is None:
        raise ValueError(problem or "commune introuvable")
    if problem:
        report.warn(row.line, problem, identifier)
    doubtful, note = False, None
    if location is None:
        location, doubtful = communes.centres.get(insee_code), True
        note = "Position absente de la liste : placée au centre de la commune."
        report.warn(row.line, note, identifier)
    published = _date(row.get("date_maj"))
    if published is None:
        report.warn(row.line, "lieu sans date de mise à jour : « à confirmer »", identifier)
    hours = convert_osm_hours(row.get("horaires"))
    if hours.error and row.get("horaires"):
        report.warn(row.line, f"horaires non repris : {hours.error}", identifier)
    appointment = "rdv-possible" if row.get("prise_rdv") else "inconnu"
    return PartnerValues(
        source=SOURCE.name,
        source_id=identifier,
        source_licence=SOURCE.licence,
        source_date=published,
        verified_at=published,
        kind=KIND,
        name=" ".join(row.get("nom").split()),
        location=location,
        is_location_doubtful=doubtful,
        location_note=note,
        street=" ".join(row.get("adresse").split()) or None,
        postcode=row.get("code_postal") or None,
        city=row.get("commune") or None,
        insee_code=insee_code,
        phone=clean_phone(row.get("telephone")),
        email=clean_email(row.get("courriel")),
        website=clean_website(row.get("site_web")),
        opening_hours=hours.osm,
        opening_hours_source=row.get("horaires") or None,
        appointment=appointment,
        description=_description(row),
        services=offer.services,
        areas=(("france", "FR"),) if offer.area_level == "france" else (),
    )


def read_digital_help_rows(
    session: Session, path: Path, offer: KindOffer, report: ImportReport
) -> list[tuple[int, PartnerValues]]:
    communes = PostcodeCommunes(session)
    rows: list[tuple[int, PartnerValues]] = []
    for row in read_csv_rows(path, REQUIRED_COLUMNS):
        report.rows_read += 1
        if not row.get("id") or not row.get("nom"):
            report.reject(row.line, "identifiant ou nom manquant")
            continue
        try:
            rows.append((row.line, _values(row, communes, offer, report)))
        except ValueError as exc:
            report.reject(row.line, str(exc), row.get("id"))
    return rows


def import_digital_help(
    session: Session,
    path: Path,
    offers: Mapping[str, KindOffer],
    now: datetime,
    observer: PartnerSyncObserver | None = None,
) -> ImportReport:
    report = ImportReport("conseillers-numeriques-2022", path.name)
    rows = read_digital_help_rows(session, path, offers[KIND], report)
    sync_partners(session, rows, report, now, observer=observer)
    return report
