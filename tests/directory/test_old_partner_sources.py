"""The two old partner sources (DILA Annuaire 2017, conseillers numériques 2022): every real
row is mapped or skipped with its reason, every hours text converted or refused with why,
maisons des solidarités recognised, personal-looking e-mails told apart."""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from directory.hours import convert_annuaire_hours, convert_osm_hours, parse_error
from directory.imports.annuaire import (
    ANNUAIRE_KINDS,
    SOURCE,
    appointment_of,
    is_mds_line,
    read_annuaire_rows,
    skip_reason,
    split_address,
)
from directory.imports.bundle import (
    ANNUAIRE_FILE,
    DATA_DIR,
    DIGITAL_HELP_FILE,
    FRANCE_ANNUAIRE_FILE,
    FRANCE_DIGITAL_HELP_FILE,
)
from directory.imports.digital_help import SOURCE as DIGITAL_SOURCE
from directory.imports.digital_help import read_digital_help_rows
from directory.models import Partner
from directory.offers import load_kind_offers
from directory.partner_rules import is_personal_email
from geodata.import_report import ImportReport
from geodata.imports.csv_source import read_text

ANNUAIRE_CSV = DATA_DIR / "reference" / ANNUAIRE_FILE
DIGITAL_HELP_CSV = DATA_DIR / "reference" / DIGITAL_HELP_FILE


def rows_of(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(read_text(path), newline="")))


def hours_outcomes(rows: list[dict[str, str]], column: str, convert: object) -> Counter[str]:
    """converted / none / the first words of each refusal reason."""
    outcomes: Counter[str] = Counter()
    for row in rows:
        conversion = convert(row[column])  # type: ignore[operator]
        if conversion.osm is not None:
            assert parse_error(conversion.osm) is None
            outcomes["converted"] += 1
        elif not row[column].strip():
            outcomes["none"] += 1
        else:
            assert conversion.error
            outcomes[conversion.error.split(" «")[0].split(" :")[0]] += 1
    return outcomes


def test_every_annuaire_type_is_a_kind_with_an_offer_or_skipped_with_its_reason() -> None:
    offers = load_kind_offers()
    assert set(ANNUAIRE_KINDS.values()) <= set(offers)
    for path in (ANNUAIRE_CSV, FRANCE_ANNUAIRE_FILE):
        types = Counter(row["pivot_local"] for row in rows_of(path))
        skipped = {t for t in types if t not in ANNUAIRE_KINDS}
        assert all(skip_reason(t) for t in skipped)
        assert "gendarmerie" in skipped and "msap" in skipped
    assert "France services" in skip_reason("msap")


def test_annuaire_hours_of_every_real_row_are_converted_or_refused_with_a_reason() -> None:
    assert hours_outcomes(rows_of(ANNUAIRE_CSV), "horaires_json", convert_annuaire_hours) == {
        "converted": 422,
        "none": 257,
        "note qui peut changer les horaires": 136,
        "heure non reconnue": 3,  # « '09:00:00 »: a stray quote in the Annuaire
    }
    assert hours_outcomes(
        rows_of(FRANCE_ANNUAIRE_FILE), "horaires_json", convert_annuaire_hours
    ) == {
        "converted": 13_887,
        "none": 6_818,
        "note qui peut changer les horaires": 4_209,
        "heure non reconnue": 41,
        "créneaux qui se chevauchent": 35,
        "plage de jours à l'envers": 5,
        "créneau dont la fin précède le début": 4,
        "jour inconnu": 1,
    }


def test_cnfs_osm_hours_of_every_real_row_are_kept_or_refused_with_a_reason() -> None:
    assert hours_outcomes(rows_of(DIGITAL_HELP_CSV), "horaires", convert_osm_hours) == {
        "converted": 150,
        "none": 17,
        "horaires OSM invalides": 3,
    }
    assert hours_outcomes(rows_of(FRANCE_DIGITAL_HELP_FILE), "horaires", convert_osm_hours) == {
        "converted": 4_192,
        "none": 681,
        "horaires OSM invalides": 57,
    }


def test_annuaire_hours_with_appointment_notes_keep_their_times() -> None:
    week = (
        '{"PlageJ": [{"début": "lundi", "fin": "vendredi", "PlageH": [{"début": "08:30:00", '
        '"fin": "12:00:00"}, {"début": "13:30:00", "fin": "16:30:00"}], '
        '"Note": "Accueil ouvert uniquement sur rendez-vous."}]}'
    )
    conversion = convert_annuaire_hours(week)
    assert conversion.osm == "Mo-Fr 08:30-12:00,13:30-16:30; PH off"
    assert appointment_of(week) == "sur-rdv"
    closed_in_holidays = week.replace(
        "Accueil ouvert uniquement sur rendez-vous.",
        "Accueil fermé pendant les vacances scolaires.",
    )
    refused = convert_annuaire_hours(closed_in_holidays)
    assert refused.osm is None
    assert refused.error is not None and "vacances scolaires" in refused.error


def test_annuaire_address_lines_give_the_street_and_the_mds_building() -> None:
    street, complement, lines = split_address(
        "Parc des Bonnettes | Maison Département Solidarité | 11 rue Willy-Brandt"
    )
    assert street == "11 rue Willy-Brandt"
    assert complement == "Parc des Bonnettes, Maison Département Solidarité"
    assert is_mds_line(lines[1])
    for text in ("Maison des solidarités de Muret", "Maison départementale de la solidarité",
                 "Maison du département solidarités", "Maison de la solidarité"):  # fmt: skip
        assert is_mds_line(text), text
    assert not is_mds_line("Maison du département")
    assert not is_mds_line("Maison de l'autonomie de l'Arrageois")


def test_the_bundled_annuaire_rows_map_to_partners(session: Session) -> None:
    report = ImportReport("annuaire", ANNUAIRE_CSV.name)
    rows = read_annuaire_rows(session, ANNUAIRE_CSV, load_kind_offers(), report)
    assert report.rows_read == 818
    assert not report.rejected
    assert len(report.skipped) == 541
    assert dict(Counter(values.kind for _, values in rows)) == {
        "adil": 1, "caf": 44, "carsat": 1, "cicas": 2, "cidff": 4, "clic": 8, "cpam": 27,
        "france-travail": 39, "mdph": 2, "mds": 28, "mission-locale": 22, "msa": 1,
        "pmi": 21, "point-justice": 61,
    }  # fmt: skip
    # 47 PMI + 26 CLIC rows: 18 PMI and 18 CLIC in 28 MDS buildings (16 with both).
    merged = [w for w in report.warnings if "réunie dans la maison des solidarités" in w.reason]
    assert len(merged) == 16
    assert all(
        values.verified_at and values.verified_at <= date(2017, 12, 31) for _, values in rows
    )


def test_a_pmi_and_a_clic_in_one_maison_des_solidarites_are_that_site(session: Session) -> None:
    muret = session.scalars(
        select(Partner).where(
            Partner.source == SOURCE.name, Partner.source_id == "mds-clic-31395-01"
        )
    ).one()
    assert muret.kind == "mds"
    assert muret.name == "Maison des solidarités de Muret"
    assert muret.street == "44 avenue Jacques-Douzans"
    assert {s.right_slug: s.help_level for s in muret.services} == {
        "rsa": "instruction", "fsl": "instruction", "aspa": "information",
    }  # fmt: skip
    assert "PMI" in (muret.description or "") and "CLIC" in (muret.description or "")
    arras = session.scalars(
        select(Partner).where(
            Partner.source == SOURCE.name, Partner.source_id == "mds-pmi-62041-01"
        )
    ).one()
    assert arras.name == "Maison Département Solidarité (Arras)"
    assert arras.verified_at is not None and arras.verified_at.year <= 2017


def test_old_sources_are_imported_with_their_own_dates(session: Session) -> None:
    counts = dict(
        session.execute(
            select(Partner.source, func.count())
            .where(Partner.source.in_([SOURCE.name, DIGITAL_SOURCE.name]))
            .group_by(Partner.source)
        ).all()
    )
    assert counts == {SOURCE.name: 261, DIGITAL_SOURCE.name: 170}
    oldest = session.scalar(
        select(func.min(Partner.verified_at)).where(Partner.source == SOURCE.name)
    )
    assert oldest == date(2010, 2, 3)
    newest = session.scalar(
        select(func.max(Partner.verified_at)).where(Partner.source == DIGITAL_SOURCE.name)
    )
    assert newest is not None and newest.year == 2022


def test_every_cnfs_row_finds_its_commune(session: Session) -> None:
    report = ImportReport("cnfs", DIGITAL_HELP_CSV.name)
    rows = read_digital_help_rows(
        session, DIGITAL_HELP_CSV, load_kind_offers()["conseiller-numerique"], report
    )
    assert report.rows_read == 170 and len(rows) == 170 and not report.rejected
    read_by_position = [w for w in report.warnings if "lue comme" in w.reason]
    assert len(read_by_position) == 4  # « 62300 » as a name, Hesdin merged, a typo…
    assert all(values.services == () for _, values in rows)  # digital help, no right instructed


@pytest.mark.parametrize(
    ("address", "personal"),
    [
        ("bruno.potier@cc-osartis.com", True),
        ("sylvie.cammas@haute-garonne.gouv.fr", True),
        ("c.yvoz@ca-pso.fr", True),
        ("annie-claude.peret@cpie-authie.org", True),
        ("accueil@hesdin.fr", False),
        ("mairie@annaysouslens.fr", False),
        ("accueil.csc.hucqueliers@gmail.com", False),
        ("franceservices.cazeres@cc-coeurdegaronne.fr", False),
        ("mlhg.muret@ml31.org", False),
        ("cio.savigny@ac-versailles.fr", False),
        ("ccas@bessieres.fr", False),
    ],
)
def test_personal_looking_e_mails_are_told_apart(address: str, personal: bool) -> None:
    assert is_personal_email(address) is personal
