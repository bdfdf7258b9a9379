"""Import of a Base Adresse Nationale "adresses" CSV (``adresses-62.csv``, adresse.data.gouv.fr).

Format: semicolon-separated UTF-8, one row per address, columns ``id;id_fantoir;numero;rep;
nom_voie;code_postal;code_insee;nom_commune;code_insee_ancienne_commune;nom_ancienne_commune;
x;y;lon;lat;type_position;alias;nom_ld;libelle_acheminement;nom_afnor;source_position;
source_nom_voie;certification_commune;cad_parcelles``. ``numero`` 99999 marks a named place
(lieu-dit) without number. Licence Ouverte 2.0: attribute "Base Adresse Nationale" and the
file's date.

The import is idempotent (same file twice: everything "inchangé") and transactional: it
works inside a SAVEPOINT, so a refused file leaves the database as it was; the caller
commits once. Rows are streamed and synchronised by batches, so a whole département
(~700 000 rows) never sits in memory. A BAN file is complete for each commune it
contains: addresses of those communes that the file no longer lists are deleted
(``prune_missing``); communes absent from the file are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from geodata.errors import ImportFileRejected
from geodata.geocoding.normalise import street_key
from geodata.import_report import ImportReport
from geodata.imports.csv_source import CsvRow, iter_csv_rows
from geodata.imports.divisions import INSEE_CODE, POSTCODE, parse_point
from geodata.imports.sync import sync_table
from geodata.models import Address, Commune, FormerCommune

DATASET = "adresses-ban"
SOURCE = "ban"
REQUIRED_COLUMNS = (
    "id", "numero", "rep", "nom_voie", "code_postal", "code_insee", "nom_commune",
    "nom_ancienne_commune", "lon", "lat",
)  # fmt: skip
LIEU_DIT_NUMBER = "99999"
BATCH_SIZE = 2_000
MAX_REJECTED_RATIO = 0.02
BAN_ID = re.compile(r"^[0-9A-Za-z_\-]{1,40}$")


class _Resolver:
    """Current INSEE code of a row: known codes as is, old codes of merged communes mapped."""

    def __init__(self, session: Session) -> None:
        self.current = set(session.scalars(select(Commune.insee_code)))
        self.former = {
            code: current
            for code, current in session.execute(
                select(FormerCommune.insee_code, FormerCommune.current_insee_code)
            ).tuples()
            if code != current
        }

    def resolve(self, code: str, row: CsvRow, report: ImportReport) -> str:
        if not INSEE_CODE.fullmatch(code):
            raise ValueError(f"code INSEE invalide « {code} »")
        if code in self.current:
            return code
        if code in self.former:
            report.warn(row.line, f"ancien code INSEE remplacé par {self.former[code]}", code)
            return self.former[code]
        raise ValueError(f"code INSEE inconnu « {code} »")


def _values(row: CsvRow, resolver: _Resolver, report: ImportReport) -> tuple[str, dict[str, Any]]:
    address_id = row.get("id")
    if not BAN_ID.fullmatch(address_id):
        raise ValueError(f"identifiant d'adresse invalide « {address_id} »")
    insee_code = resolver.resolve(row.get("code_insee"), row, report)
    number = row.get("numero")
    if number and not (number.isascii() and number.isdigit()):
        raise ValueError(f"numéro invalide « {number} »")
    house_number = None if number in ("", LIEU_DIT_NUMBER) else str(int(number))
    street_name = row.get("nom_voie")
    if not street_name:
        raise ValueError("nom de voie absent")
    postcode = row.get("code_postal") or None
    if postcode is not None and not POSTCODE.fullmatch(postcode):
        raise ValueError(f"code postal invalide « {postcode} »")
    point = parse_point(row.get("lon"), row.get("lat"))
    if point is None:
        raise ValueError("coordonnées absentes")
    return address_id, {
        "house_number": house_number,
        "repetition": (row.get("rep") or None) if house_number else None,
        "street_name": street_name[:200],
        "street_key": street_key(street_name)[:200],
        "postcode": postcode,
        "insee_code": insee_code,
        "commune_name": row.get("nom_commune")[:100],
        "former_commune_name": (row.get("nom_ancienne_commune") or None),
        "location": point,
        "source": SOURCE,
    }


def _batches(rows: Iterator[CsvRow], size: int) -> Iterator[list[CsvRow]]:
    while batch := list(islice(rows, size)):
        yield batch


def import_ban_addresses(
    session: Session,
    path: Path,
    *,
    prune_missing: bool = True,
    max_rejected_ratio: float = MAX_REJECTED_RATIO,
) -> ImportReport:
    """Import or update the addresses of a BAN "adresses" CSV; return the row-level report.

    Refuses the whole file (:class:`ImportFileRejected`, nothing changed) when a column is
    missing, the file is not UTF-8 CSV, or more than ``max_rejected_ratio`` of its rows are
    rejected (bad coordinates, unknown INSEE code, duplicated id…). Flushes, never commits.
    After a successful import, call ``refresh`` on the offline geocoder of long-running
    processes (others notice the change within a minute).
    """
    report = ImportReport(DATASET, path.name)
    resolver = _Resolver(session)
    seen: set[str] = set()
    communes: set[str] = set()
    with session.begin_nested():
        for batch in _batches(iter_csv_rows(path, REQUIRED_COLUMNS), BATCH_SIZE):
            wanted: dict[str, dict[str, Any]] = {}
            for row in batch:
                report.rows_read += 1
                try:
                    address_id, values = _values(row, resolver, report)
                except ValueError as exc:
                    report.reject(row.line, str(exc), row.get("id"))
                    continue
                if address_id in seen:
                    report.reject(row.line, "identifiant en double dans le fichier", address_id)
                    continue
                seen.add(address_id)
                communes.add(values["insee_code"])
                wanted[address_id] = values
            sync_table(session, Address, "id", wanted, report, BATCH_SIZE, scope_to_keys=True)
        if report.rows_read == 0:
            raise ImportFileRejected(f"{path.name} ne contient aucune adresse : fichier refusé.")
        report.refuse_if_mostly_rejected(max_rejected_ratio)
        if prune_missing:
            report.deleted = _prune(session, communes, seen)
    return report


def _prune(session: Session, communes: set[str], kept: set[str]) -> int:
    """Delete addresses of the file's communes that the file no longer lists."""
    deleted = 0
    for insee_code in sorted(communes):
        stale = [
            address_id
            for address_id in session.scalars(
                select(Address.id).where(Address.insee_code == insee_code)
            )
            if address_id not in kept
        ]
        for start in range(0, len(stale), BATCH_SIZE):
            chunk = stale[start : start + BATCH_SIZE]
            session.execute(delete(Address).where(Address.id.in_(chunk)))
        deleted += len(stale)
    session.flush()
    return deleted
