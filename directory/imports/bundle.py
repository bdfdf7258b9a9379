"""The bundled real dataset, imported in dependency order (see data/DATA_SOURCES.md)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from directory.imports.annuaire import import_annuaire
from directory.imports.digital_help import import_digital_help
from directory.imports.france_services import import_france_services
from directory.imports.mairies import import_mairies
from directory.imports.partner_sync import PartnerSyncObserver
from directory.imports.rights import import_rights
from directory.offers import DEFAULT_OFFERS_FILE, load_kind_offers
from geodata.data_files import DATA_DIR
from geodata.import_report import ImportReport
from geodata.imports import divisions

MAX_REJECTED_RATIO = 0.02
ANNUAIRE_FILE = "dila_annuaire_2017_62_31_hors_mairies.csv"
DIGITAL_HELP_FILE = "cnfs_lieux_activite_2022-12_62_31.csv"
FRANCE_DIR = DATA_DIR / "reference" / "france"
"""The France-wide files, bundled compressed with xz (16 MB and 2.4 MB as CSV)."""
FRANCE_ANNUAIRE_FILE = FRANCE_DIR / "dila_annuaire_2017_france_hors_mairies.csv.xz"
FRANCE_DIGITAL_HELP_FILE = FRANCE_DIR / "cnfs_lieux_activite_2022-12_france.csv.xz"
SHARED_FOLDERS = {"annuaire": "dila_annuaire_2017", "digital_help": "cnfs_lieux_2022-12"}


@dataclass(frozen=True)
class PartnerFiles:
    """The files of the two old partner sources: the bundled 62/31 extracts by default,
    or the France-wide files (``data import-bundled --france``)."""

    annuaire: Path | None = None
    digital_help: Path | None = None

    @classmethod
    def france(cls, shared_data: Path | None = None) -> PartnerFiles:
        if shared_data is None:
            return cls(FRANCE_ANNUAIRE_FILE, FRANCE_DIGITAL_HELP_FILE)
        return cls(  # a copy of the shared data folder: the files as published, uncompressed
            shared_data / SHARED_FOLDERS["annuaire"] / FRANCE_ANNUAIRE_FILE.stem,
            shared_data / SHARED_FOLDERS["digital_help"] / FRANCE_DIGITAL_HELP_FILE.stem,
        )


@dataclass(frozen=True)
class ImportStep:
    label: str
    run: Callable[[Session], ImportReport]


def bundled_steps(
    now: datetime,
    data_dir: Path = DATA_DIR,
    files: PartnerFiles = PartnerFiles(),
    observer: PartnerSyncObserver | None = None,
) -> list[ImportStep]:
    """The steps in order; ``observer`` is told of every partner created or updated."""
    reference = data_dir / "reference"
    offers = load_kind_offers(data_dir / "offers" / DEFAULT_OFFERS_FILE.name)
    annuaire = files.annuaire or reference / ANNUAIRE_FILE
    digital_help = files.digital_help or reference / DIGITAL_HELP_FILE
    return [
        ImportStep("Droits", lambda s: import_rights(s, data_dir / "rights")),
        ImportStep(
            "Départements",
            lambda s: divisions.import_departements(s, reference / "departements.csv"),
        ),
        ImportStep("EPCI", lambda s: divisions.import_epcis(s, reference / "epci.csv")),
        ImportStep(
            "Communes", lambda s: divisions.import_communes(s, reference / "communes_france.csv")
        ),
        ImportStep(
            "Communes déléguées",
            lambda s: divisions.import_former_communes(
                s, reference / "communes_deleguees_associees.csv"
            ),
        ),
        ImportStep(
            "Contours des communes",
            lambda s: divisions.import_commune_shapes(s, reference / "communes_62_31.geojson"),
        ),
        ImportStep(
            "Contours des EPCI",
            lambda s: divisions.import_epci_shapes(s, reference / "epci_territoires_tznr.geojson"),
        ),
        ImportStep(
            "France services",
            lambda s: import_france_services(
                s,
                reference / "france_services_2024-08-01.csv",
                offers["france-services"],
                now,
                observer,
            ),
        ),
        ImportStep(
            "Mairies",
            lambda s: import_mairies(
                s, reference / "mairies_62_31.csv", offers["mairie"], now, observer
            ),
        ),
        ImportStep(
            "Annuaire de l'administration (2017)",
            lambda s: import_annuaire(s, annuaire, offers, now, observer),
        ),
        ImportStep(
            "Conseillers numériques (2022)",
            lambda s: import_digital_help(s, digital_help, offers, now, observer),
        ),
    ]


def import_bundled_data(
    session: Session,
    now: datetime,
    on_step: Callable[[ImportStep], None] | None = None,
    files: PartnerFiles = PartnerFiles(),
    observer: PartnerSyncObserver | None = None,
) -> list[ImportReport]:
    reports = []
    for step in bundled_steps(now, files=files, observer=observer):
        if on_step is not None:
            on_step(step)
        report = step.run(session)
        report.refuse_if_mostly_rejected(MAX_REJECTED_RATIO)
        reports.append(report)
    return reports
