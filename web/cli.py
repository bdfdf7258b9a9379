"""The operator CLI: ``flask --app wsgi`` groups, also installed as the ``aiguillage`` command."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext
from sqlalchemy import Engine
from tqdm import tqdm

from directory.imports.bundle import (
    ImportStep,
    PartnerFiles,
    bundled_steps,
    import_bundled_data,
)
from geodata.backup import backup_database, restore_database
from geodata.database import check_spatial_backend
from geodata.errors import BackupFailed
from geodata.imports.ban import import_ban_addresses
from geodata.schema import check_database, downgrade_database
from web.cli_bus import bus_group
from web.cli_exchange import exchange_group
from web.cli_search import search_group
from web.import_command import import_audit, run_import
from web.startup import migrate

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
    migration = migrate(engine)
    if migration.migrated:
        click.echo(f"Schéma migré de {migration.before or '(vide)'} à {migration.after}.")
    else:
        click.echo(f"Schéma déjà à jour ({migration.after}).")


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


@db_group.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def db_backup(path: Path) -> None:
    """Sauvegarde toute la base dans un fichier (pg_dump, ou sauvegarde en ligne SQLite)."""
    try:
        report = backup_database(_engine(), path)
    except BackupFailed as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"Base sauvegardée dans {report.path} ({report.size_bytes} octets).")


@db_group.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def db_restore(path: Path) -> None:
    """Restaure une sauvegarde dans la base configurée, qui doit être vide."""
    try:
        restore_database(_engine(), path)
    except BackupFailed as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(
        "Base restaurée. Redémarrez les serveurs : leurs index de recherche seront reconstruits."
    )


_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@data_group.command("import-bundled")
@click.option(
    "--france",
    is_flag=True,
    help="Annuaire 2017 et conseillers numériques de toute la France (fichiers livrés "
    "compressés dans data/reference/france, ou ceux de --shared-data), au lieu des extraits "
    "62/31.",
)
@click.option(
    "--shared-data",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Dossier des données partagées (avec --france).",
)
@click.option("--annuaire-file", type=_FILE, help="Fichier CSV de l'Annuaire (export 2017).")
@click.option("--cnfs-file", type=_FILE, help="Fichier CSV des lieux des conseillers numériques.")
@with_appcontext
def import_bundled(
    france: bool, shared_data: Path | None, annuaire_file: Path | None, cnfs_file: Path | None
) -> None:
    """Importe les données réelles livrées avec l'application (une seule transaction)."""
    files = PartnerFiles.france(shared_data) if france else PartnerFiles()
    files = PartnerFiles(annuaire_file or files.annuaire, cnfs_file or files.digital_help)
    for path in (files.annuaire, files.digital_help):
        if path is not None and not path.is_file():
            raise click.ClickException(f"Fichier introuvable : {path}")
    steps = bundled_steps(datetime.now(UTC), files=files)
    with tqdm(total=len(steps), unit="étape", file=sys.stderr) as bar:

        def on_step(step: ImportStep) -> None:
            bar.set_description(step.label)
            bar.update(1)

        audit = import_audit("data import-bundled")
        run_import(
            lambda session: import_bundled_data(
                session, datetime.now(UTC), on_step, files, audit.observer
            ),
            audit=audit,
        )


@data_group.command("import-ban")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_ban(path: Path) -> None:
    """Importe un fichier « adresses » de la Base Adresse Nationale (CSV officiel, « ; »)."""

    run_import(lambda session: [import_ban_addresses(session, path)])
    click.echo("Le géocodeur hors ligne prendra ces adresses en compte sous une minute.")


def register_cli(app: Flask) -> None:
    app.cli.add_command(db_group)
    app.cli.add_command(data_group)
    app.cli.add_command(exchange_group)
    app.cli.add_command(search_group)
    app.cli.add_command(bus_group)


def main() -> None:
    from web.app import create_app

    FlaskGroup(create_app=lambda: create_app()).main()
