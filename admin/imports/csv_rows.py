"""The back office's CSV template → `PartnerValues`, row by row, with the column and a
French explanation for everything that cannot be read.

The columns are those of the directory's CSV export (`directory.exchange.tabular`), so an
export can be corrected and loaded again; ``id``, ``kind_label``, ``is_demo`` and
``updated_at`` are ignored on the way in. UTF-8 (a BOM is accepted), separated by commas
or semicolons (what a spreadsheet writes in French).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from admin.errors import ImportRefused
from directory.values import PartnerValues, ServiceValues

REQUIRED_COLUMNS = ("kind", "name", "source", "source_id")
OPTIONAL_COLUMNS = (
    "siret", "description", "street", "address_complement", "postcode", "city", "insee_code",
    "lon", "lat", "is_location_doubtful", "location_note", "phone", "email", "website",
    "opening_hours", "opening_hours_source", "accessibility", "accessibility_details",
    "languages", "appointment", "transport_access", "services", "service_areas",
    "source_licence", "source_date", "verified_at", "is_demo",
)  # fmt: skip
IGNORED_COLUMNS = ("id", "kind_label", "updated_at")
TEXT_COLUMNS = (
    "siret", "description", "street", "address_complement", "postcode", "city", "insee_code",
    "location_note", "phone", "email", "website", "opening_hours", "opening_hours_source",
    "accessibility_details", "transport_access", "source_licence",
)  # fmt: skip
LIST_SEPARATOR = "|"
TRUE_WORDS = frozenset({"true", "vrai", "oui", "1", "x"})
FALSE_WORDS = frozenset({"false", "faux", "non", "0", ""})

FIELD_COLUMNS = {"location": "lon, lat", "areas": "service_areas"}
"""The column of a rule's field when their names differ (else the same name)."""


@dataclass
class CsvRow:
    line: int
    cells: dict[str, str]
    values: PartnerValues | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)

    def fail(self, column: str, message: str) -> None:
        self.errors.setdefault(column, []).append(message)


def decode(content: bytes) -> str:
    """UTF-8 text, or `ImportRefused` saying where the first bad byte is."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = content[: exc.start].count(b"\n") + 1
        raise ImportRefused(
            f"Le fichier n'est pas encodé en UTF-8 (caractère illisible à la ligne {line}). "
            "Dans votre tableur, enregistrez-le en « CSV UTF-8 » puis recommencez : rien n'a "
            "été importé."
        ) from None


def read_csv(content: bytes, max_rows: int) -> tuple[list[CsvRow], list[str]]:
    """The rows of the file (each with its values or its errors) and the ignored columns."""
    text = decode(content)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [name.strip().lower() for name in next(reader)]
    except StopIteration:
        raise ImportRefused("Le fichier est vide : rien n'a été importé.") from None
    if missing := [name for name in REQUIRED_COLUMNS if name not in header]:
        raise ImportRefused(
            f"Colonnes obligatoires absentes : {', '.join(missing)}. Partez du modèle "
            "(data/examples/partenaires-modele.csv) : rien n'a été importé."
        )
    known = set(REQUIRED_COLUMNS) | set(OPTIONAL_COLUMNS) | set(IGNORED_COLUMNS)
    unknown = [name for name in header if name and name not in known]
    rows = []
    for cells in _records(reader, header, max_rows):
        rows.append(cells)
    return rows, unknown


def _records(reader: Iterator[list[str]], header: list[str], max_rows: int) -> Iterator[CsvRow]:
    count = 0
    try:
        for record in reader:
            if not any(cell.strip() for cell in record):
                continue
            count += 1
            if count > max_rows:
                raise ImportRefused(
                    f"Le fichier compte plus de {max_rows} lignes, la limite d'un import : "
                    "découpez-le en plusieurs fichiers. Rien n'a été importé."
                )
            line = reader.line_num  # type: ignore[attr-defined]
            row = CsvRow(line, dict(zip(header, (cell.strip() for cell in record), strict=False)))
            if len(record) != len(header):
                row.fail("", f"{len(record)} cellules pour {len(header)} colonnes : "
                             "une virgule ou un guillemet de trop ?")  # fmt: skip
            else:
                row.values = _values(row)
            yield row
    except csv.Error as exc:
        raise ImportRefused(f"Fichier CSV illisible ({exc}) : rien n'a été importé.") from None


def _values(row: CsvRow) -> PartnerValues | None:
    cells = row.cells
    texts: dict[str, Any] = {name: cells.get(name) or None for name in TEXT_COLUMNS}
    location = _location(row)
    services = _services(row)
    areas = _areas(row)
    dates: dict[str, Any] = {name: _date(row, name) for name in ("source_date", "verified_at")}
    doubtful = _boolean(row, "is_location_doubtful")
    is_demo = _boolean(row, "is_demo")
    if row.errors:
        return None
    return PartnerValues(
        kind=cells.get("kind", ""),
        name=cells.get("name", ""),
        source=cells.get("source", ""),
        source_id=cells.get("source_id") or None,
        location=location,
        is_location_doubtful=doubtful,
        is_demo=is_demo,
        accessibility=cells.get("accessibility") or "inconnu",
        languages=(cells.get("languages") or "fr").lower().replace(" ", ""),
        appointment=cells.get("appointment") or "inconnu",
        services=services,
        areas=areas,
        **texts,
        **dates,
    )


def _location(row: CsvRow) -> tuple[float, float] | None:
    lon_text = row.cells.get("lon", "").replace(",", ".")
    lat_text = row.cells.get("lat", "").replace(",", ".")
    if not lon_text and not lat_text:
        return None
    try:
        lon, lat = float(lon_text), float(lat_text)
    except ValueError:
        row.fail("lon, lat", "Coordonnées illisibles : longitude et latitude en degrés "
                             "décimaux, par exemple 2.7775 et 50.2910.")  # fmt: skip
        return None
    if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
        row.fail("lon, lat", "Coordonnées hors limites (longitude entre -180 et 180, latitude "
                             "entre -90 et 90) : sont-elles inversées ?")  # fmt: skip
        return None
    return (lon, lat)


def _services(row: CsvRow) -> tuple[ServiceValues, ...]:
    services = []
    for item in _items(row.cells.get("services", "")):
        slug, sep, level = item.partition(":")
        if not sep or not slug.strip() or not level.strip():
            row.fail("services", f"« {item} » : écrivez droit:niveau, par exemple "
                                 "rsa:accompagnement.")  # fmt: skip
            continue
        services.append(ServiceValues(right_slug=slug.strip(), help_level=level.strip()))
    return tuple(services)


def _areas(row: CsvRow) -> tuple[tuple[str, str], ...]:
    areas = []
    for item in _items(row.cells.get("service_areas", "")):
        level, sep, code = item.partition(":")
        if not sep or not code.strip():
            row.fail("service_areas", f"« {item} » : écrivez niveau:code, par exemple "
                                      "commune:62041 ou epci:200033579.")  # fmt: skip
            continue
        areas.append((level.strip().lower(), code.strip()))
    return tuple(areas)


def _items(text: str) -> list[str]:
    return [item.strip() for item in text.split(LIST_SEPARATOR) if item.strip()]


def _date(row: CsvRow, column: str) -> date | None:
    text = row.cells.get(column, "")
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        row.fail(column, f"Date illisible « {text} » : écrivez-la AAAA-MM-JJ.")
        return None


def _boolean(row: CsvRow, column: str) -> bool:
    text = row.cells.get(column, "").lower()
    if text in TRUE_WORDS:
        return True
    if text not in FALSE_WORDS:
        row.fail(column, f"« {text} » : écrivez oui ou non.")
    return False
