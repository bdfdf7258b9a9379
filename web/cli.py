"""The operator CLI: ``flask --app wsgi`` groups, also installed as the ``aiguillage`` command."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from tqdm import tqdm

from directory.imports.bundle import (
    ImportStep,
    bundled_steps,
    import_bundled_data,
)
from directory.search import forget_search_index, rebuild_index
from geodata.database import check_spatial_backend
from geodata.errors import ImportFileRejected
from geodata.import_report import ImportReport
from geodata.imports.ban import import_ban_addresses
from geodata.schema import check_database, downgrade_database, upgrade_database
from web.cli_exchange import exchange_group
from web.cli_search import search_group
from web.database import session_factory

db_group = click.Group("db", help="Schéma de la base de données.")
data_group = click.Group("data", help="Imports de données.")


def _engine() -> Engine:
    engine: Engine = current_app.extensions["aiguillage.engine"]
    return engine


@db_group.command("upgrade")
@with_appcontext
def db_upgrade() -> None:
    """Crée ou met à jour le schéma (migrations Alembic)."""
    engine = _engine()
    click.echo(f"Extension spatiale : {check_spatial_backend(engine)}")
    upgrade_database(engine)
    click.echo("Schéma à jour.")


@db_group.command("check")
@with_appcontext
def db_check() -> None:
    """Vérifie que les modèles et les migrations concordent."""
    check_database(_engine())


@db_group.command("downgrade")
@click.argument("revision")
@with_appcontext
def db_downgrade(revision: str) -> None:
    downgrade_database(_engine(), revision)


def _print_reports(reports: Sequence[ImportReport]) -> None:
    for report in reports:
        for line in report.lines(limit=10):
            click.echo(line)


def _run_import(run: Callable[[Session], list[ImportReport]]) -> list[ImportReport]:
    """One transaction: commit when every file is accepted, otherwise change nothing."""
    session = session_factory()()
    try:
        reports = run(session)
        session.commit()
    except ImportFileRejected as exc:
        session.rollback()
        if isinstance(exc.report, ImportReport):
            _print_reports([exc.report])
        raise click.ClickException(exc.message) from exc
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
    for report in reports:
        report.applied = True
    _print_reports(reports)
    _rebuild_search_index()
    return reports


def _rebuild_search_index() -> None:
    """Imports write in bulk, outside the partner operations: the index is rebuilt after."""
    index_dir = Path(current_app.config["SEARCH_INDEX_DIR"])
    with session_factory()() as session:
        result = rebuild_index(session, index_dir)
    forget_search_index(index_dir)
    click.echo(f"Index de recherche reconstruit : {result.document_count} partenaires.")


@data_group.command("import-bundled")
@with_appcontext
def import_bundled() -> None:
    """Importe les données réelles livrées avec l'application (une seule transaction)."""
    with tqdm(total=len(bundled_steps(datetime.now(UTC))), unit="étape", file=sys.stderr) as bar:

        def on_step(step: ImportStep) -> None:
            bar.set_description(step.label)
            bar.update(1)

        _run_import(lambda session: import_bundled_data(session, datetime.now(UTC), on_step))


@data_group.command("import-ban")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_ban(path: Path) -> None:
    """Importe un fichier « adresses » de la Base Adresse Nationale (CSV officiel, « ; »)."""

    _run_import(lambda session: [import_ban_addresses(session, path)])
    click.echo("Le géocodeur hors ligne prendra ces adresses en compte sous une minute.")


def register_cli(app: Flask) -> None:
    app.cli.add_command(db_group)
    app.cli.add_command(data_group)
    app.cli.add_command(exchange_group)
    app.cli.add_command(search_group)


def main() -> None:
    from web.app import create_app

    FlaskGroup(create_app=lambda: create_app()).main()
