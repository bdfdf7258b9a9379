"""Imports of divisions: row-level reports, refused files leave the database untouched."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from directory.imports.bundle import MAX_REJECTED_RATIO
from geodata.errors import ImportFileRejected
from geodata.imports.divisions import import_communes, import_departements, parse_point
from geodata.models import Commune

HEADER = (
    "code_insee,nom,type,departement,departement_nom,region,region_nom,arrondissement,zone,"
    "siren,epci_siren,epci_nom,epci_type,codes_postaux,population_municipale,centre_lat,"
    "centre_lon,centre_source,mairie_lat,mairie_lon,surface_km2_approx\n"
)
ARRAS = (
    "62041,Arras,commune-actuelle,62,Pas-de-Calais,32,Hauts-de-France,627,metro,216200410,"
    "200033579,CU d'Arras,CU,62000,{population},50.289,2.765,polygone,50.2892,2.7781,11.6\n"
)


def _communes(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Commune)) or 0)


def test_missing_column_refuses_the_whole_file(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "communes.csv"
    path.write_text("code_insee,nom\n62041,Arras\n", encoding="utf-8")
    before = _communes(session)
    with pytest.raises(ImportFileRejected, match="colonnes obligatoires absentes"):
        import_communes(session, path)
    assert _communes(session) == before


def test_file_that_is_not_utf8_is_refused(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "departements.csv"
    path.write_bytes(
        "code,nom,region,region_nom,cheflieu_insee,zone\n62,Pas-de-Calais\xe9\n".encode("latin-1")
    )
    with pytest.raises(ImportFileRejected, match="UTF-8"):
        import_departements(session, path)


def test_bad_rows_are_reported_with_their_line_and_reason(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "communes.csv"
    bad_code = ARRAS.format(population=41_000).replace("62041,", "6204X,", 1)
    swapped = ARRAS.format(population=41_000).replace("50.289,2.765", "2.765,50.289")
    path.write_text(HEADER + bad_code + swapped, encoding="utf-8")
    report = import_communes(session, path)
    assert [(p.line, p.reason) for p in report.rejected] == [
        (2, "code INSEE invalide « 6204X »"),
        (3, "latitude et longitude inversées (2.765, 50.289)"),
    ]
    with pytest.raises(ImportFileRejected, match="rien n'a été modifié"):
        report.refuse_if_mostly_rejected(MAX_REJECTED_RATIO)


def test_changed_row_is_updated_and_reimport_is_unchanged(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "communes.csv"
    path.write_text(HEADER + ARRAS.format(population=123_456), encoding="utf-8")
    first = import_communes(session, path)
    assert (first.created, first.updated, first.unchanged) == (0, 1, 0)
    arras = session.get(Commune, "62041")
    assert arras is not None and arras.population == 123_456
    second = import_communes(session, path)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 1)


def test_wrong_number_of_fields_refuses_the_file(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "communes.csv"
    path.write_text(HEADER + "62041,Arras,commune-actuelle\n", encoding="utf-8")
    with pytest.raises(ImportFileRejected, match="champs au lieu de"):
        import_communes(session, path)


@pytest.mark.parametrize(
    ("lon", "lat", "message"),
    [("abc", "50", "illisibles"), ("50.3", "2.7", "inversées"), ("-70", "40", "hors de France")],
)
def test_parse_point_explains_bad_coordinates(lon: str, lat: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_point(lon, lat)
