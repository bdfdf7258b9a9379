"""The operator CLI: ``flask --app wsgi`` groups, also installed as the ``aiguillage`` command."""

from __future__ import annotations

import sys
from datetime import UTC, datetime

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext
from tqdm import tqdm

from directory.imports.bundle import ImportStep, import_bundled_data
from geodata.database import check_spatial_backend
from geodata.errors import ImportFileRejected
from geodata.schema import check_database, downgrade_database, upgrade_database
from web.cli_exchange import exchange_group
from web.database import session_factory

db_group = click.Group("db", help="Schéma de la base de données.")
data_group = click.Group("data", help="Imports de données.")


def _engine() -> object:
    return current_app.extensions["aiguillage.engine"]


@db_group.command("upgrade")
@with_appcontext
def db_upgrade() -> None:
    """Crée ou met à jour le schéma (migrations Alembic)."""
    engine = _engine()
    click.echo(f"Extension spatiale : {check_spatial_backend(engine)}")  # type: ignore[arg-type]
    upgrade_database(engine)  # type: ignore[arg-type]
    click.echo("Schéma à jour.")


@db_group.command("check")
@with_appcontext
def db_check() -> None:
    """Vérifie que les modèles et les migrations concordent."""
    check_database(_engine())  # type: ignore[arg-type]


@db_group.command("downgrade")
@click.argument("revision")
@with_appcontext
def db_downgrade(revision: str) -> None:
    downgrade_database(_engine(), revision)  # type: ignore[arg-type]


@data_group.command("import-bundled")
@with_appcontext
def import_bundled() -> None:
    """Importe les données réelles livrées avec l'application (une seule transaction)."""
    session = session_factory()()
    bar = tqdm(total=9, unit="étape", file=sys.stderr, disable=None)

    def on_step(step: ImportStep) -> None:
        bar.set_description(step.label)
        bar.update(1)

    try:
        reports = import_bundled_data(session, datetime.now(UTC), on_step=on_step)
        session.commit()
    except ImportFileRejected as exc:
        session.rollback()
        bar.close()
        raise click.ClickException(exc.message) from exc
    finally:
        session.close()
    bar.close()
    for report in reports:
        report.applied = True
        for line in report.lines(limit=10):
            click.echo(line)


def register_cli(app: Flask) -> None:
    app.cli.add_command(db_group)
    app.cli.add_command(data_group)
    app.cli.add_command(exchange_group)


def main() -> None:
    from web.app import create_app

    FlaskGroup(create_app=lambda: create_app()).main()
