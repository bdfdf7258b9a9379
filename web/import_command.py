"""How every import command runs: one transaction, a printed report, the index rebuilt."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import click
from flask import current_app
from sqlalchemy.orm import Session

from directory.search import forget_search_index, rebuild_index
from geodata.database import lift_statement_timeout
from geodata.errors import ImportFileRejected
from geodata.import_report import ImportReport
from web.database import session_factory


def print_reports(reports: Sequence[ImportReport], limit: int = 10) -> None:
    for report in reports:
        for line in report.lines(limit=limit):
            click.echo(line)


def run_import(
    run: Callable[[Session], list[ImportReport]],
    *,
    dry_run: bool = False,
    rebuild_index: bool = True,
) -> list[ImportReport]:
    """Commit when every file is accepted (or roll back for a dry run); a refusal changes nothing.

    Imports write in bulk, outside the partner operations, so the search index is rebuilt
    after a committed import (``rebuild_index=False`` for data the index does not hold).
    """
    session = session_factory()()
    try:
        lift_statement_timeout(session)  # an operator's import: long by nature
        reports = run(session)
        if dry_run:
            session.rollback()
        else:
            session.commit()
    except ImportFileRejected as exc:
        session.rollback()
        if isinstance(exc.report, ImportReport):
            print_reports([exc.report], limit=20)
        raise click.ClickException(exc.message) from exc
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
    for report in reports:
        report.applied = not dry_run
    print_reports(reports)
    if rebuild_index and not dry_run:
        rebuild_search_index()
    return reports


def rebuild_search_index() -> None:
    index_dir = Path(current_app.config["SEARCH_INDEX_DIR"])
    with session_factory()() as session:
        result = rebuild_index(session, index_dir)
    forget_search_index(index_dir)
    click.echo(f"Index de recherche reconstruit : {result.document_count} partenaires.")
