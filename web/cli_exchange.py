"""``aiguillage exchange …``: export the directory (data·inclusion v1, CSV, GeoJSON) and
import a data·inclusion file. Thin edges over `directory.exchange`."""

from __future__ import annotations

import json
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TextIO

import click
from flask.cli import with_appcontext

from directory.exchange.datainclusion_export import export_datainclusion
from directory.exchange.datainclusion_import import (
    DEFAULT_LICENCE,
    ForeignSource,
    import_datainclusion,
)
from directory.exchange.snapshot import list_partners_for_export
from directory.exchange.tabular import geojson_collection, write_csv
from web.database import session_factory
from web.import_command import import_audit, run_import

exchange_group = click.Group(
    "exchange", help="Échanges de l'annuaire : data·inclusion, CSV, GeoJSON."
)


def _open_output(path: str) -> TextIO:
    if path == "-":
        return sys.stdout
    return Path(path).open("w", encoding="utf-8", newline="")


def _write_json(document: Any, path: str) -> None:
    out = _open_output(path)
    try:
        json.dump(document, out, ensure_ascii=False, indent=1)
        out.write("\n")
    finally:
        if out is not sys.stdout:
            out.close()


@exchange_group.command("export-datainclusion")
@click.argument("output", default="-")
@with_appcontext
def export_datainclusion_command(output: str) -> None:
    """Écrit l'annuaire au schéma data·inclusion v1 (OUTPUT, « - » : sortie standard)."""
    with session_factory()() as session:
        document = export_datainclusion(session, datetime.now(UTC))
    _write_json(document, output)
    if output != "-":
        click.echo(
            f"{len(document['structures'])} structures, {len(document['services'])} services "
            f"écrits dans {output}."
        )


@exchange_group.command("export-csv")
@click.argument("output", default="-")
@with_appcontext
def export_csv_command(output: str) -> None:
    """Écrit l'annuaire en CSV (UTF-8, virgules), un partenaire par ligne."""
    with session_factory()() as session:
        out = _open_output(output)
        try:
            count = write_csv(list_partners_for_export(session), out)
        finally:
            if out is not sys.stdout:
                out.close()
    if output != "-":
        click.echo(f"{count} partenaires écrits dans {output}.")


@exchange_group.command("export-geojson")
@click.argument("output", default="-")
@with_appcontext
def export_geojson_command(output: str) -> None:
    """Écrit l'annuaire en GeoJSON (FeatureCollection)."""
    with session_factory()() as session:
        collection = geojson_collection(list_partners_for_export(session))
    _write_json(collection, output)
    if output != "-":
        click.echo(f"{len(collection['features'])} partenaires écrits dans {output}.")


@exchange_group.command("import-datainclusion")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Vérifie et affiche le rapport sans rien modifier.")
@click.option(
    "--licence",
    default=DEFAULT_LICENCE,
    show_default=True,
    help="Licence des structures d'autres producteurs.",
)
@click.option(
    "--published-on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Date de publication des données d'autres producteurs (AAAA-MM-JJ) ; par défaut, "
    "la date_maj de chaque enregistrement.",
)
@with_appcontext
def import_datainclusion_command(
    path: Path, dry_run: bool, licence: str, published_on: datetime | None
) -> None:
    """Importe un fichier data·inclusion v1 (une seule transaction, idempotente)."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise click.ClickException(f"{path.name} n'est pas un JSON UTF-8 valide : {exc}") from exc
    day: date | None = published_on.date() if published_on else None
    audit = None if dry_run else import_audit("exchange import-datainclusion")
    run_import(
        lambda session: [
            import_datainclusion(
                session,
                document,
                path.name,
                datetime.now(UTC),
                ForeignSource(licence, day),
                audit.observer if audit else None,
            )
        ],
        dry_run=dry_run,
        audit=audit,
    )
