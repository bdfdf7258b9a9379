"""``flask bus …``: load a bus des droits schedule file, keep the visits generated ahead,
and publish a planned month as dated visits (the back office does the same, see
docs/ADMIN.md)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.orm import Session

from geodata.import_report import ImportReport
from geodata.providers import make_travel_time_provider
from routing.bus.imports import import_bus_schedule
from routing.bus.planning.coverage import CoverageMode
from routing.bus.planning.month import MonthPlan, PlanRequest, propose_month
from routing.bus.planning.publish import publish_plan
from routing.bus.planning.territory import TerritoryRequest
from routing.bus.schedule import GENERATION_HORIZON, generate_visits
from routing.errors import InvalidBusSchedule, InvalidCoverageRequest
from web.database import session_factory
from web.import_command import import_audit, run_import
from web.presentation.coverage import plan_document

bus_group = click.Group("bus", help="Bus des droits : calendrier des passages et planification.")
_horizon_option = click.option(
    "--horizon-days",
    type=click.IntRange(7, 730),
    default=GENERATION_HORIZON.days,
    show_default=True,
    help="Génère les passages jusqu'à ce nombre de jours.",
)


@bus_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Vérifie le fichier sans rien enregistrer.")
@_horizon_option
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
        audit=None if dry_run else import_audit("bus import", bus_routes=True),
    )
    if dry_run:
        click.echo("Vérification seulement (--dry-run) : rien n'a été enregistré.")


@bus_group.command("generate")
@_horizon_option
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


def _plan_options(command: Callable[..., None]) -> Callable[..., None]:
    options = [
        click.option("--epci", multiple=True, help="EPCI (SIREN), répétable."),
        click.option("--departement", multiple=True, help="Département (code), répétable."),
        click.option("--insee", multiple=True, help="Commune (code INSEE), répétable."),
        click.option("--month", required=True, help="Mois à planifier, AAAA-MM."),
        click.option("--stops", type=click.IntRange(1, 60), default=8, show_default=True),
        click.option(
            "--half-days",
            type=click.IntRange(1, 60),
            default=8,
            show_default=True,
            help="Demi-journées du bus dans le mois.",
        ),
        click.option(
            "--visits-per-month",
            type=click.IntRange(1, 4),
            default=1,
            show_default=True,
            help="Passages par mois dans chaque arrêt (fréquence minimale de retour).",
        ),
        click.option("--right", help="Droit (slug) ; sans lui : au moins un droit."),
        click.option(
            "--mode",
            type=click.Choice([m.value for m in CoverageMode]),
            default=CoverageMode.CAR.value,
            show_default=True,
        ),
        click.option("--threshold-min", type=click.IntRange(1, 180), default=30, show_default=True),
        click.option("--candidate", multiple=True, help="Lieu candidat (code INSEE), répétable."),
        click.option("--include", multiple=True, help="Arrêt imposé (code INSEE), répétable."),
        click.option("--exclude", multiple=True, help="Arrêt exclu (code INSEE), répétable."),
        click.option("--depot", help="Commune du dépôt (code INSEE ; défaut : la plus peuplée)."),
        click.option(
            "--time-on-site-min",
            type=click.IntRange(15, 480),
            default=150,
            show_default=True,
            help="Temps sur place à chaque arrêt.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _plan_request(values: dict[str, Any]) -> PlanRequest:
    try:
        year, month = (int(part) for part in str(values["month"]).split("-", 1))
        first = date(year, month, 1)
    except ValueError as exc:
        raise click.BadParameter("AAAA-MM attendu", param_hint="--month") from exc
    return PlanRequest(
        territory=TerritoryRequest(
            epci_sirens=tuple(values["epci"]),
            departement_codes=tuple(values["departement"]),
            insee_codes=tuple(values["insee"]),
        ),
        month=first,
        max_stops=values["stops"],
        half_days=values["half_days"],
        visits_per_month=values["visits_per_month"],
        right=values["right"],
        mode=CoverageMode(values["mode"]),
        threshold_s=values["threshold_min"] * 60,
        candidate_codes=tuple(values["candidate"]),
        must_include=frozenset(values["include"]),
        must_exclude=frozenset(values["exclude"]),
        depot_code=values["depot"],
        time_on_site_s=values["time_on_site_min"] * 60,
    )


def _propose(session: Session, values: dict[str, Any]) -> MonthPlan:
    try:
        return propose_month(
            session, _plan_request(values), make_travel_time_provider(current_app.config)
        )
    except InvalidCoverageRequest as exc:
        details = "; ".join(m for messages in exc.field_errors.values() for m in messages)
        raise click.ClickException(f"{exc.message} {details}".strip()) from exc


def _print_plan(plan: MonthPlan) -> None:
    document = plan_document(plan)
    click.echo(document["coverage_summary"])
    click.echo(document["summary"])
    click.echo(
        f"Habitants en zone éloignée : {document['before']['remote_population']} avant, "
        f"{document['after']['remote_population']} après"
        + ("" if document["is_optimal"] else " (meilleur plan trouvé dans le temps imparti)")
        + "."
    )
    click.echo(f"Mois {document['month']}, départ et retour : {document['depot']['name']}.")
    for row in document["visits"]:
        click.echo(
            f"  {row['day']:<24} {row['order']}. {row['commune']:<32} {row['start']} – {row['end']}"
        )
    if document["dropped"]:
        click.echo(f"Passages qui ne tiennent pas : {', '.join(document['dropped'])}.")


@bus_group.command("plan")
@_plan_options
@with_appcontext
def plan(**values: Any) -> None:
    """Propose un mois de tournée (arrêts, jours, ordre) et la couverture avant → après."""
    with session_factory()() as session:
        _print_plan(_propose(session, values))


@bus_group.command("publish-plan")
@_plan_options
@click.option("--route", "route_code", required=True, help="Code de la tournée à remplir.")
@click.option("--route-name", help="Nom de la tournée, pour la créer si elle n'existe pas.")
@click.option("--example", is_flag=True, help="Tournée fictive de démonstration (is_demo).")
@click.option("--dry-run", is_flag=True, help="Calcule et montre sans rien enregistrer.")
@with_appcontext
def publish(
    route_code: str, route_name: str | None, example: bool, dry_run: bool, **values: Any
) -> None:
    """Calcule le mois proposé et le publie comme passages datés de la tournée.

    Chaque passage devient une règle d'une date (modifiable, dans les calendriers) ;
    republier le même mois remplace ce mois-là.
    """
    now = datetime.now(UTC)

    def run(session: Session) -> list[ImportReport]:
        proposal = _propose(session, values)
        _print_plan(proposal)
        try:
            published = publish_plan(
                session,
                proposal,
                route_code=route_code,
                route_name=route_name,
                is_demo=example,
                now=now,
            )
        except InvalidBusSchedule as exc:
            raise click.ClickException(exc.message) from exc
        report = ImportReport("bus-des-droits : plan publié", f"tournée {route_code}")
        report.created = published.visits.created
        report.updated = published.visits.updated
        report.unchanged = published.visits.unchanged
        report.deleted = published.visits.deleted
        return [report]

    run_import(run, dry_run=dry_run, rebuild_index=False)
    if dry_run:
        click.echo("Vérification seulement (--dry-run) : rien n'a été enregistré.")
