"""Import of the local public offices of the DILA Annuaire de l'administration (2017 export).

Each type of office of the Annuaire (``pivot_local``) is mapped to a kind of partner
(`ANNUAIRE_KINDS`); the rights and help level of each kind are those of
``data/offers/kind_offers.toml``. Types outside the directory's purpose (gendarmeries, tax
offices…) are skipped with their reason, never counted as errors. A PMI or a CLIC whose
building is a « Maison des solidarités » (« Maison du Département Solidarité » in the
Pas-de-Calais) is that maison des solidarités: the rows of one building make one partner.

The export is old (2006–2017): every row keeps its own date (``date_maj``) as
``source_date`` and ``verified_at``, so that `directory.confirmation` shows it « à
confirmer ».
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from directory.hours import convert_annuaire_hours, requires_appointment
from directory.hours.conversion import is_appointment_note
from directory.imports.common import (
    CommuneResolver,
    clean_email,
    clean_phone,
    clean_website,
    parse_lon_lat,
)
from directory.imports.partner_sync import PartnerSource, PartnerSyncObserver, sync_partners
from directory.offers import KindOffer
from directory.values import PartnerValues, ServiceValues
from geodata.geocoding.fuzzy import osa_distance
from geodata.geocoding.normalise import fold, street_key
from geodata.import_report import ImportReport
from geodata.imports.csv_source import CsvRow, read_csv_rows

SOURCE = PartnerSource(
    name="dila-annuaire-2017",
    licence="Licence Ouverte 2.0 — Service-Public.fr / DILA, Annuaire de l'administration",
    published_on=None,  # every row has its own date (date_maj)
    url="https://lannuaire.service-public.fr/",
)
REQUIRED_COLUMNS = (
    "id", "pivot_local", "nom", "code_insee", "date_maj", "adresse_lignes", "code_postal",
    "commune", "latitude", "longitude", "telephone", "email", "url", "horaires_json",
    "commentaire",
)  # fmt: skip
ANNUAIRE_KINDS: Mapping[str, str] = {
    "caf": "caf",
    "cpam": "cpam",
    "msa": "msa",
    "carsat": "carsat",
    "pole_emploi": "france-travail",
    "mission_locale": "mission-locale",
    "pmi": "pmi",
    "clic": "clic",
    "maison_handicapees": "mdph",
    "permanence_juridique": "point-justice",
    "mjd": "point-justice",
    "cidf": "cidff",
    "adil": "adil",
    "cicas": "cicas",
}
"""Type of office of the Annuaire → kind of partner (every other type is skipped)."""
SKIP_REASONS: Mapping[str, str] = {
    "msap": "maison de services au public de 2017 : remplacée par les France services, "
    "importées de la liste ANCT de 2024",
}
"""Why some types are skipped, when the general reason would not say enough."""
MDS_HOSTED_KINDS = frozenset({"pmi", "clic"})
_MDS_LINE = re.compile(
    r"\bmaison (?:du |de la |des |de )?(?:departement(?:ale|al)? )?(?:de la |des |de )?"
    r"solidarites?\b"
)
_STREET_WORDS = re.compile(
    r"\b(?:rue|avenue|av|boulevard|bd|place|chemin|allee|route|impasse|quai|cours|faubourg|"
    r"square|esplanade|parvis|rond point|promenade|voie|passage|residence|cite)\b"
)
_HOUSE_NUMBER = re.compile(r"^\s*([0-9]+)")


def skip_reason(annuaire_type: str) -> str:
    return SKIP_REASONS.get(
        annuaire_type,
        f"type « {annuaire_type or 'vide'} » hors du champ de l'annuaire "
        "(pas un lieu d'accès aux droits sociaux)",
    )


def is_mds_line(text: str) -> bool:
    """« Maison des solidarités de Muret », « Maison du Département Solidarité »…"""
    return _MDS_LINE.search(fold(text)) is not None


@dataclass(frozen=True)
class _Office:
    """One accepted row, before MDS sites are grouped."""

    line: int
    annuaire_id: str
    annuaire_type: str
    kind: str
    values: PartnerValues
    lines: tuple[str, ...]

    @property
    def mds_line(self) -> str | None:
        return next((line for line in self.lines if is_mds_line(line)), None)

    def building(self) -> tuple[str, str, str] | None:
        """(INSEE code, house number, street key) of the office's street line, if any."""
        street = self.values.street or ""
        number = _HOUSE_NUMBER.match(street)
        if number is None or not self.values.insee_code:
            return None
        rest = street[number.end() :]
        return self.values.insee_code, number.group(1), street_key(rest).replace(" ", "")


def split_address(text: str) -> tuple[str | None, str | None, tuple[str, ...]]:
    """(street, complement, every line) of `` | ``-joined Annuaire address lines."""
    lines = tuple(" ".join(part.split()) for part in text.split("|") if part.strip())
    street = next((line for line in lines if _HOUSE_NUMBER.match(line)), None)
    if street is None:
        street = next((line for line in lines if _STREET_WORDS.search(fold(line))), None)
    complement = ", ".join(line for line in lines if line != street)
    return street, complement or None, lines


def appointment_of(horaires_json: str) -> str:
    """« sur-rdv » / « rdv-possible » when the notes of the hours say so, else unknown."""
    try:
        document = json.loads(horaires_json) if horaires_json.strip() else {}
    except ValueError:
        return "inconnu"
    ranges = document.get("PlageJ") if isinstance(document, dict) else None
    ranges = [ranges] if isinstance(ranges, dict) else ranges or []
    found = [r.get("Note") for r in ranges if isinstance(r, dict)]
    notes = [n for n in found if isinstance(n, str) and is_appointment_note(n)]
    if not notes:
        return "inconnu"
    if len(notes) == len(ranges) and all(requires_appointment(n) for n in notes):
        return "sur-rdv"
    return "rdv-possible"


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip()[:10]) if text.strip() else None
    except ValueError:
        return None


def _office(
    row: CsvRow, kind: str, resolver: CommuneResolver, offer: KindOffer, report: ImportReport
) -> _Office:
    identifier = row.get("id")
    insee_code = resolver.resolve(row.get("code_insee"), row.line, report)
    if insee_code is None:
        raise ValueError(f"code INSEE inconnu « {row.get('code_insee')} »")
    published = _date(row.get("date_maj"))
    if published is None:
        report.warn(row.line, "fiche sans date de mise à jour : « à confirmer »", identifier)
    doubtful, note = False, None
    try:
        location = parse_lon_lat(row.get("longitude"), row.get("latitude"))
    except ValueError as exc:
        location, note = (
            None,
            f"Position de l'Annuaire invalide ({exc}) : placée au centre de la commune.",
        )
    if location is None:
        location = resolver.centre(insee_code)
        doubtful = True
        note = note or "Position absente de l'Annuaire : placée au centre de la commune."
        report.warn(row.line, note, identifier)
    hours = convert_annuaire_hours(row.get("horaires_json"))
    if hours.error and row.get("horaires_json"):
        report.warn(row.line, f"horaires non convertis : {hours.error}", identifier)
    street, complement, lines = split_address(row.get("adresse_lignes"))
    values = PartnerValues(
        source=SOURCE.name,
        source_id=identifier,
        source_licence=SOURCE.licence,
        source_date=published,
        verified_at=published,
        kind=kind,
        name=" ".join(row.get("nom").split()),
        location=location,
        is_location_doubtful=doubtful,
        location_note=note,
        street=street,
        address_complement=complement,
        postcode=row.get("code_postal") or None,
        city=row.get("commune") or None,
        insee_code=insee_code,
        phone=clean_phone(row.get("telephone")),
        email=clean_email(row.get("email").strip().removeprefix("mailto:")),
        website=clean_website(row.get("url")),
        opening_hours=hours.osm,
        opening_hours_source=row.get("horaires_json") or None,
        appointment=appointment_of(row.get("horaires_json")),
        description=" ".join(row.get("commentaire").split()) or None,
        services=offer.services,
        areas=_areas(offer, insee_code),
    )
    return _Office(row.line, identifier, row.get("pivot_local"), kind, values, lines)


def _areas(offer: KindOffer, insee_code: str) -> tuple[tuple[str, str], ...]:
    if offer.area_level == "france":
        return (("france", "FR"),)
    if offer.area_level == "departement":
        return (("departement", insee_code[:3] if insee_code.startswith("97") else insee_code[:2]),)
    return (("commune", insee_code),)


def _same_building(a: tuple[str, str, str], b: tuple[str, str, str]) -> bool:
    """Same commune and house number, street names one typo apart at most."""
    return a[:2] == b[:2] and osa_distance(a[2], b[2], limit=1) <= 1


def _group_sites(offices: Sequence[_Office]) -> list[list[_Office]]:
    """PMI and CLIC offices grouped by building; a group is an MDS site when one of its
    rows names a maison des solidarités. Other offices stay alone."""
    result: list[list[_Office]] = []
    buildings: dict[tuple[str, str], list[tuple[tuple[str, str, str], list[_Office]]]] = {}
    for office in offices:
        building = office.building() if office.kind in MDS_HOSTED_KINDS else None
        if building is None:
            result.append([office])
            continue
        same_number = buildings.setdefault(building[:2], [])
        for key, members in same_number:
            if _same_building(key, building):
                members.append(office)
                break
        else:
            same_number.append((building, [office]))
    for groups in buildings.values():
        for _key, members in groups:
            if len(members) > 1 and not any(m.mds_line for m in members):
                result.extend([m] for m in members)  # same address, no MDS named: separate
            else:
                result.append(members)
    return result


def _mds_site(
    members: Sequence[_Office], offers: Mapping[str, KindOffer], report: ImportReport
) -> tuple[int, PartnerValues]:
    """One maison des solidarités from the PMI/CLIC rows of its building."""
    first = min(members, key=lambda m: m.annuaire_id)
    named = [m.mds_line for m in members if m.mds_line]
    name = max(named, key=len) if named else "Maison des solidarités"
    if not _MDS_LINE.sub("", fold(name)).strip():  # a bare « Maison des solidarités »
        city = re.sub(r"\s+cedex\b.*$", "", first.values.city or "", flags=re.IGNORECASE)
        name = f"{name} ({city or first.values.insee_code})"
    hosted = sorted({m.kind for m in members})
    services: list[ServiceValues] = list(offers["mds"].services)
    for kind in hosted:
        services += [
            s for s in offers[kind].services if s.right_slug not in {x.right_slug for x in services}
        ]
    hours = {m.values.opening_hours for m in members if m.values.opening_hours}
    opening_hours = hours.pop() if len(hours) == 1 else None
    if len(hours) >= 1:
        report.warn(first.line, "horaires différents selon les services du bâtiment : non repris",
                    first.annuaire_id)  # fmt: skip
    dates = [m.values.verified_at for m in members if m.values.verified_at]
    labels = {"pmi": "protection maternelle et infantile (PMI)",
              "clic": "point d'information pour les personnes âgées (CLIC)"}  # fmt: skip
    description = (
        "Maison des solidarités reconnue dans l'Annuaire par les services qu'elle accueille : "
        + ", ".join(labels[k] for k in hosted)
        + "."
    )
    for member in members:
        if member is not first:
            report.merged += 1
            report.warn(
                member.line,
                f"même bâtiment que la ligne {first.line} : réunie dans la maison des "
                f"solidarités « {name} »",
                member.annuaire_id,
            )
    street_source = next((m for m in members if m.values.street), first)
    values = replace(
        street_source.values,
        source_id=f"mds-{first.annuaire_id}",
        kind="mds",
        name=name,
        description=description,
        opening_hours=opening_hours,
        opening_hours_source=" | ".join(
            f"{m.annuaire_id} : {m.values.opening_hours_source}"
            for m in members
            if m.values.opening_hours_source
        )
        or None,
        phone=next((m.values.phone for m in members if m.values.phone), None),
        email=next((m.values.email for m in members if m.values.email), None),
        website=next((m.values.website for m in members if m.values.website), None),
        appointment="inconnu",
        source_date=max(dates) if dates else None,
        verified_at=max(dates) if dates else None,
        services=tuple(services),
        areas=_areas(offers["mds"], first.values.insee_code or ""),
    )
    return first.line, values


def read_annuaire_rows(
    session: Session, path: Path, offers: Mapping[str, KindOffer], report: ImportReport
) -> list[tuple[int, PartnerValues]]:
    """The (line, values) of every accepted row, MDS sites grouped; the rest reported."""
    resolver = CommuneResolver(session)
    offices: list[_Office] = []
    for row in read_csv_rows(path, REQUIRED_COLUMNS):
        report.rows_read += 1
        annuaire_type = row.get("pivot_local")
        kind = ANNUAIRE_KINDS.get(annuaire_type)
        if kind is None:
            report.skip(row.line, skip_reason(annuaire_type), row.get("id"))
            continue
        if not row.get("id") or not row.get("nom"):
            report.reject(row.line, "identifiant ou nom manquant")
            continue
        try:
            offices.append(_office(row, kind, resolver, offers[kind], report))
        except ValueError as exc:
            report.reject(row.line, str(exc), row.get("id"))
    rows: list[tuple[int, PartnerValues]] = []
    for members in _group_sites(offices):
        if len(members) == 1 and not (members[0].kind in MDS_HOSTED_KINDS and members[0].mds_line):
            rows.append((members[0].line, members[0].values))
        else:
            rows.append(_mds_site(members, offers, report))
    return sorted(rows, key=lambda item: item[0])


def import_annuaire(
    session: Session,
    path: Path,
    offers: Mapping[str, KindOffer],
    now: datetime,
    observer: PartnerSyncObserver | None = None,
) -> ImportReport:
    report = ImportReport("annuaire-dila-2017", path.name)
    rows = read_annuaire_rows(session, path, offers, report)
    sync_partners(session, rows, report, now, observer=observer)
    return report
