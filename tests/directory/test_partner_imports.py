"""Partner imports obey the rules of an edit: a bad row is rejected, never half written."""

from __future__ import annotations

import csv
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.imports.france_services import SOURCE, import_france_services
from directory.imports.partner_sync import sync_partners
from directory.models import Partner
from directory.offers import load_kind_offers
from directory.values import PartnerValues
from geodata.data_files import DATA_DIR
from geodata.import_report import ImportReport
from tests.conftest import IMPORT_INSTANT

FRANCE_SERVICES_CSV = DATA_DIR / "reference" / "france_services_2024-08-01.csv"
LATER = IMPORT_INSTANT + timedelta(days=1)


def first_rows_with_edits(tmp_path: Path, edits: dict[int, dict[str, str]]) -> Path:
    """The first real rows of the bundled file, some cells edited by the test (made-up)."""
    with FRANCE_SERVICES_CSV.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = [row for _, row in zip(range(4), reader, strict=False)]
        columns = reader.fieldnames or []
    for number, changes in edits.items():
        rows[number].update(changes)
    path = tmp_path / "france_services_extrait.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


def site(session: Session, source_id: str) -> Partner:
    query = select(Partner).where(Partner.source == SOURCE.name, Partner.source_id == source_id)
    return session.scalars(query).one()


def test_a_france_services_row_breaking_a_rule_is_rejected_and_the_others_applied(
    session: Session, tmp_path: Path
) -> None:
    path = first_rows_with_edits(
        tmp_path,
        {
            0: {"lib_fs": "France services de Valserhône (renommée)"},
            1: {"code_postal": "1560"},  # a leading zero lost by a spreadsheet
            2: {"lib_fs": "Bus France services " * 15},  # 300 characters
        },
    )
    offer = load_kind_offers()["france-services"]
    name_before = site(session, "3").name

    report = import_france_services(session, path, offer, LATER)

    assert (report.rows_read, report.updated, report.unchanged) == (4, 1, 1)
    assert [problem.describe() for problem in report.rejected] == [
        "ligne 3 : « code postal » : Le code postal doit compter 5 chiffres. (2)",
        "ligne 4 : « nom » : Ce champ ne doit pas dépasser 250 caractères. (3)",
    ]
    assert site(session, "1").name == "France services de Valserhône (renommée)"
    assert site(session, "2").postcode == "01560"
    assert site(session, "3").name == name_before


def test_rows_of_one_partner_twice_or_without_identifier_are_rejected(
    session: Session,
) -> None:
    values = PartnerValues(
        kind="association",
        name="[Test] Association inventée",
        source="test-import",
        source_id="A-1",
        insee_code="62041",
        areas=(("commune", "62041"),),
        is_demo=True,
    )
    report = ImportReport("test", "test.csv")

    synced = sync_partners(
        session, [(2, values), (3, values), (4, PartnerValues("association", "x", "test-import"))],
        report, LATER,
    )  # fmt: skip

    assert [problem.describe() for problem in report.rejected] == [
        "ligne 3 : identifiant en double dans le fichier (A-1)",
        "ligne 4 : identifiant manquant",
    ]
    assert report.created == 1
    assert [partner.name for partner in synced.changed] == ["[Test] Association inventée"]
    assert synced.partners[2].imported_at == LATER
