"""The directory as CSV (one line per partner) and as a GeoJSON FeatureCollection.

Both carry every field of a partner (services as ``right:help_level`` pairs, service
areas as ``level:code`` pairs) with its source, licence and dates. Dates are ISO 8601,
coordinates WGS 84 (lon, lat); CSV is UTF-8, comma separated (RFC 4180).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, BinaryIO, TextIO

from directory.exchange.json_stream import write_json_object
from directory.exchange.snapshot import lon_lat
from directory.models import Partner
from directory.vocabulary import PARTNER_KIND_LABELS

COLUMNS = (
    "id",
    "kind",
    "kind_label",
    "name",
    "description",
    "street",
    "address_complement",
    "postcode",
    "city",
    "insee_code",
    "lon",
    "lat",
    "is_location_doubtful",
    "location_note",
    "phone",
    "email",
    "website",
    "opening_hours",
    "opening_hours_source",
    "accessibility",
    "accessibility_details",
    "languages",
    "appointment",
    "transport_access",
    "services",
    "service_areas",
    "source",
    "source_id",
    "source_licence",
    "source_date",
    "verified_at",
    "is_demo",
    "updated_at",
)
LIST_SEPARATOR = "|"


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)


def partner_row(partner: Partner) -> dict[str, Any]:
    """Every exported field of a partner, as JSON-ready values."""
    position = lon_lat(partner)
    row: dict[str, Any] = {
        name: getattr(partner, name)
        for name in COLUMNS
        if name not in {"kind_label", "lon", "lat", "services", "service_areas"}
    }
    row.update(
        kind_label=PARTNER_KIND_LABELS.get(partner.kind, partner.kind),
        lon=position[0] if position else None,
        lat=position[1] if position else None,
        services=[f"{s.right_slug}:{s.help_level}" for s in partner.services],
        service_areas=[f"{a.level}:{a.code}" for a in partner.service_areas],
    )
    return row


def write_csv(partners: Iterable[Partner], out: TextIO) -> int:
    """Write the CSV to a text stream; return the number of partners written."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    count = 0
    for partner in partners:
        row = partner_row(partner)
        for key in ("services", "service_areas"):
            row[key] = LIST_SEPARATOR.join(row[key])
        writer.writerow([_cell(row[name]) for name in COLUMNS])
        count += 1
    return count


def csv_text(partners: Iterable[Partner]) -> str:
    buffer = io.StringIO()
    write_csv(partners, buffer)
    return buffer.getvalue()


def _json_value(value: object) -> object:
    return value.isoformat() if isinstance(value, date | datetime) else value


def geojson_feature(partner: Partner) -> dict[str, Any]:
    """A partner as a GeoJSON Feature; without a position, its geometry is null."""
    row = partner_row(partner)
    lon, lat = row.pop("lon"), row.pop("lat")
    return {
        "type": "Feature",
        "id": partner.id,
        "geometry": ({"type": "Point", "coordinates": [lon, lat]} if lon is not None else None),
        "properties": {key: _json_value(value) for key, value in row.items()},
    }


def geojson_collection(partners: Iterable[Partner]) -> dict[str, Any]:
    """A FeatureCollection; partners without a position have a null geometry."""
    return {"type": "FeatureCollection", "features": [geojson_feature(p) for p in partners]}


def write_geojson(partners: Iterable[Partner], out: BinaryIO) -> None:
    """`geojson_collection` written to ``out`` as JSON (keys sorted), a feature at a time."""
    features = {"features": lambda: map(geojson_feature, partners)}
    write_json_object(out, {"type": "FeatureCollection"}, features)
