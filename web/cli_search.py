"""``flask search …``: rebuild the search index, or tell whether it follows the database."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from directory.search import forget_search_index, index_status, rebuild_index
from web.database import session_factory
from web.startup import prepare_index

search_group = click.Group("search", help="Index de recherche des partenaires.")


def _index_dir() -> Path:
    return Path(current_app.config["SEARCH_INDEX_DIR"])


@search_group.command("rebuild")
@click.option(
    "--procs",
    type=click.IntRange(1, 8),
    default=1,
    show_default=True,
    help="Nombre de processus d'indexation.",
)
@with_appcontext
def rebuild(procs: int) -> None:
    """Reconstruit tout l'index à partir de la base (les recherches continuent pendant ce temps)."""
    index_dir = _index_dir()
    with session_factory()() as session:
        report = rebuild_index(session, index_dir, procs=procs)
    forget_search_index(index_dir)
    click.echo(
        f"Index reconstruit : {report.document_count} partenaires en {report.seconds:.1f} s "
        f"({index_dir})."
    )


@search_group.command("prepare")
@with_appcontext
def prepare() -> None:
    """Reprend l'index s'il suit cette base (rattrapé depuis le journal des changements),
    le reconstruit sinon : ce que fait un serveur au démarrage."""
    result = prepare_index(current_app)
    if result.rebuilt_because is not None:
        click.echo(f"Index reconstruit ({result.rebuilt_because}) : séquence {result.sequence}.")
    else:
        click.echo(
            f"Index repris : séquence {result.sequence}, {result.reindexed} partenaires relus."
        )


@search_group.command("status")
@with_appcontext
def status() -> None:
    """Dit si l'index existe et s'il suit la base (code de sortie 1 sinon)."""
    index_dir = _index_dir()
    with session_factory()() as session:
        current = index_status(session, index_dir)
    if not current.exists:
        click.echo(f"Aucun index dans {index_dir} : lancez « search rebuild ».")
        raise SystemExit(1)
    built = current.last_built_at.isoformat(timespec="seconds") if current.last_built_at else "?"
    click.echo(
        f"Index : {current.document_count} partenaires ; base : {current.database_count} ; "
        f"dernière reconstruction : {built} ; journal des changements : index à la séquence "
        f"{'?' if current.sequence is None else current.sequence}, base à la séquence "
        f"{current.database_sequence}."
    )
    if not current.in_step:
        click.echo("L'index est en retard sur la base : lancez « search prepare ».")
        raise SystemExit(1)
    click.echo("L'index suit la base.")
