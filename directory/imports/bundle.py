"""The bundled real dataset, imported in dependency order (see data/DATA_SOURCES.md)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from directory.imports.france_services import import_france_services
from directory.imports.mairies import import_mairies
from directory.imports.rights import import_rights
from directory.offers import DEFAULT_OFFERS_FILE, load_kind_offers
from geodata.import_report import ImportReport
from geodata.imports import divisions

DATA_DIR = Path(__file__).resolve().parent.parent.parent / "data"
MAX_REJECTED_RATIO = 0.02


@dataclass(frozen=True)
class ImportStep:
    label: str
    run: Callable[[Session], ImportReport]


def bundled_steps(now: datetime, data_dir: Path = DATA_DIR) -> list[ImportStep]:
    reference = data_dir / "reference"
    offers = load_kind_offers(data_dir / "offers" / DEFAULT_OFFERS_FILE.name)
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
                s, reference / "france_services_2024-08-01.csv", offers["france-services"], now
            ),
        ),
        ImportStep(
            "Mairies",
            lambda s: import_mairies(s, reference / "mairies_62_31.csv", offers["mairie"], now),
        ),
    ]


def import_bundled_data(
    session: Session, now: datetime, on_step: Callable[[ImportStep], None] | None = None
) -> list[ImportReport]:
    reports = []
    for step in bundled_steps(now):
        if on_step is not None:
            on_step(step)
        report = step.run(session)
        report.refuse_if_mostly_rejected(MAX_REJECTED_RATIO)
        reports.append(report)
    return reports
