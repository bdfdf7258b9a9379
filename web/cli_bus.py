"""``flask bus …``: load a bus des droits schedule file, keep the visits generated ahead,
and publish a planned month as dated visits (until the back office exists)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy.orm import Session

from geodata.import_report import ImportReport
from routing.bus.imports import import_bus_schedule
from routing.bus.schedule import GENERATION_HORIZON, generate_visits
from web.import_command import run_import

bus_group = click.Group("bus", help="Bus des droits : calendrier des passages et planification.")
_HORIZON_DAYS = click.IntRange(7, 730)


@bus_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Vérifie le fichier sans rien enregistrer.")
@click.option(
    "--horizon-days",
    type=_HORIZON_DAYS,
    default=GENERATION_HORIZON.days,
    show_default=True,
    help="Génère les passages jusqu'à ce nombre de jours.",
)
@with_appcontext
def import_schedule(path: Path, dry_run: bool, horizon_days: int) -> None:
    """Importe un calendrier du bus des droits (CSV décrit dans docs/BUS.md).

    Tout le fichier est vérifié avant d'écrire : une seule ligne fausse et rien n'est
    enregistré. Le fichier décrit entièrement les tournées qu'il nomme.
    """
    now = datetime.now(UTC)
    run_import(
        lambda session: import_bus_schedule(
            session, path, now, horizon=timedelta(days=horizon_days)
        ),
        dry_run=dry_run,
        rebuild_index=False,
    )
    if dry_run:
        click.echo("Vérification seulement (--dry-run) : rien n'a été enregistré.")


@bus_group.command("generate")
@click.option(
    "--horizon-days",
    type=_HORIZON_DAYS,
    default=GENERATION_HORIZON.days,
    show_default=True,
    help="Génère les passages jusqu'à ce nombre de jours.",
)
@with_appcontext
def generate(horizon_days: int) -> None:
    """Génère les passages à venir de toutes les règles (à lancer chaque semaine)."""

    def run(session: Session) -> list[ImportReport]:
        counts = generate_visits(
            session, now=datetime.now(UTC), horizon=timedelta(days=horizon_days)
        )
        report = ImportReport("bus-des-droits : passages", "règles enregistrées")
        report.created, report.updated = counts.created, counts.updated
        report.unchanged, report.deleted = counts.unchanged, counts.deleted
        return [report]

    run_import(run, rebuild_index=False)
