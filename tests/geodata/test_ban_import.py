"""Import of Base Adresse Nationale CSV files and house-number geocoding from them."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from geoalchemy2.shape import to_shape
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from geodata.errors import ImportFileRejected
from geodata.geocoding.offline import OfflineGeocoder
from geodata.geocoding.results import Precision
from geodata.imports.ban import import_ban_addresses
from geodata.models import Address
from tests.geodata.conftest import BAN_FIXTURES

FIXTURE = BAN_FIXTURES / "adresses-test.csv"


def fixture_rows() -> list[dict[str, str]]:
    with FIXTURE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def write_ban(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(fixture_rows()[0]), delimiter=";")
        writer.writeheader()
        writer.writerows(rows)
    return path


def address_count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Address)) or 0)


def test_import_is_idempotent(session: Session) -> None:
    first = import_ban_addresses(session, FIXTURE)
    assert (first.rows_read, first.created, first.rejected) == (12, 12, [])
    second = import_ban_addresses(session, FIXTURE)
    assert (second.created, second.updated, second.unchanged, second.deleted) == (0, 0, 12, 0)
    stored = session.get(Address, "62041_t002_00002")
    assert stored is not None
    assert (stored.house_number, stored.street_name, stored.street_key) == (
        "2",
        "Rue de Douai",
        "rue de douai",
    )
    assert session.get(Address, "31020_t900_99999").house_number is None  # lieu-dit


@pytest.mark.parametrize("row", fixture_rows(), ids=lambda row: row["id"])
def test_each_imported_house_number_is_found_at_its_point(
    session: Session, geocoder: OfflineGeocoder, row: dict[str, str]
) -> None:
    import_ban_addresses(session, FIXTURE)
    number = "" if row["numero"] == "99999" else f"{row['numero']} {row['rep']}".strip()
    commune = row["nom_ancienne_commune"] or row["nom_commune"]
    query = f"{number} {row['nom_voie']} {row['code_postal']} {commune}"
    [result, *_] = geocoder.geocode(session, query)
    assert result.insee_code == row["code_insee"]
    assert (result.lon, result.lat) == (float(row["lon"]), float(row["lat"]))
    expected = Precision.STREET if row["numero"] == "99999" else Precision.HOUSENUMBER
    assert result.precision is expected


def test_typed_variants_of_an_address_are_found(
    session: Session, geocoder: OfflineGeocoder
) -> None:
    import_ban_addresses(session, FIXTURE)
    for query in (
        "6 pl Guy Mollet Arras",
        "6 place guy-mollet, 62000 ARRAS",
        "2 rue de douia arras",  # typo in the street
        "2 douai arras",  # street type left out
        "1 r. Charles Peguy 62000",  # postcode only
    ):
        [result, *_] = geocoder.geocode(session, query)
        assert result.precision is Precision.HOUSENUMBER, query
        assert result.insee_code == "62041", query


def test_unknown_number_or_repetition_says_what_was_used(
    session: Session, geocoder: OfflineGeocoder
) -> None:
    import_ban_addresses(session, FIXTURE)
    [missing, *_] = geocoder.geocode(session, "5 rue Fictive des Essais Arras")
    assert missing.precision is Precision.STREET
    assert "numéro 5 introuvable dans la voie : position approximative (numéro 3)" in missing.notes
    [ter, *_] = geocoder.geocode(session, "3 ter rue Fictive des Essais Arras")
    assert ter.precision is Precision.HOUSENUMBER
    assert any("indice « ter » introuvable" in note for note in ter.notes)
    [bis, *_] = geocoder.geocode(session, "3 bis rue Fictive des Essais Arras")
    assert (bis.lon, bis.lat) == (2.77035, 50.29025)


def test_street_absent_from_the_file_falls_back_to_the_commune_and_says_so(
    session: Session, geocoder: OfflineGeocoder
) -> None:
    import_ban_addresses(session, FIXTURE)
    [result, *_] = geocoder.geocode(session, "12 rue des Capucins 62000 Arras")
    assert (result.insee_code, result.precision) == ("62041", Precision.COMMUNE)
    assert result.is_approximate
    assert "voie « rue des capucins » introuvable dans les adresses importées" in result.notes
    assert "position approximative (centre de la commune)" in result.notes


def test_bad_rows_are_rejected_with_line_and_reason(session: Session, tmp_path: Path) -> None:
    good = fixture_rows()
    bad = [
        {**good[0], "id": "62041_bad_1", "lon": "abc"},
        {**good[0], "id": "62041_bad_2", "lon": good[0]["lat"], "lat": good[0]["lon"]},
        {**good[0], "id": "62041_bad_3", "lon": "-70", "lat": "40"},
        {**good[0], "id": "99999_bad_4", "code_insee": "99999"},
        {**good[0], "id": "62041_bad_5", "numero": "12a"},
        {**good[0], "id": "62041_bad_6", "nom_voie": ""},
        good[1],  # duplicated id
    ]
    path = write_ban(tmp_path / "adresses-62.csv", good + bad)
    report = import_ban_addresses(session, path, max_rejected_ratio=1.0)
    assert report.created == len(good)
    assert [(p.line, p.reason) for p in report.rejected] == [
        (14, "coordonnées illisibles (50.293056, abc)"),
        (15, "latitude et longitude inversées (2.778515, 50.293056)"),
        (16, "point hors de France (lat 40, lon -70)"),
        (17, "code INSEE inconnu « 99999 »"),
        (18, "numéro invalide « 12a »"),
        (19, "nom de voie absent"),
        (20, "identifiant en double dans le fichier"),
    ]


def test_too_many_bad_rows_refuse_the_file_and_change_nothing(
    session: Session, tmp_path: Path
) -> None:
    rows = fixture_rows()
    rows[3] = {**rows[3], "lat": ""}
    before = address_count(session)
    with pytest.raises(ImportFileRejected, match="rien n'a été modifié") as refused:
        import_ban_addresses(session, write_ban(tmp_path / "adresses.csv", rows))
    assert address_count(session) == before
    assert refused.value.report is not None


def test_file_with_wrong_columns_is_refused(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "adresses.csv"
    path.write_text("id;numero;voie;commune\n1;2;rue;Arras\n", encoding="utf-8")
    with pytest.raises(ImportFileRejected, match="colonnes obligatoires absentes"):
        import_ban_addresses(session, path)


def test_reimport_updates_moves_and_prunes_addresses_of_the_file_communes(
    session: Session, tmp_path: Path
) -> None:
    import_ban_addresses(session, FIXTURE)
    rows = fixture_rows()
    moved = {**rows[0], "lon": "2.7786", "lat": "50.2931"}
    kept = [moved, *(r for r in rows[1:] if r["id"] != "62041_t900_00010")]
    report = import_ban_addresses(session, write_ban(tmp_path / "adresses-v2.csv", kept))
    assert (report.updated, report.deleted, report.unchanged) == (1, 1, len(kept) - 1)
    assert session.get(Address, "62041_t900_00010") is None
    point = to_shape(session.get(Address, rows[0]["id"]).location)
    assert (point.x, point.y) == (2.7786, 50.2931)


def test_old_insee_code_of_a_merged_commune_is_mapped_with_a_warning(
    session: Session, tmp_path: Path
) -> None:
    row = {**fixture_rows()[10], "id": "62461_old_00001", "code_insee": "62461"}
    report = import_ban_addresses(session, write_ban(tmp_path / "a.csv", [row]))
    assert report.created == 1 and report.warnings[0].reason.startswith("ancien code INSEE")
    stored = session.get(Address, "62461_old_00001")
    assert stored is not None and stored.insee_code == "62447"
