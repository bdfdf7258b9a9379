"""How every import command runs: one transaction, a printed report, the audit log
written in that transaction, the index rebuilt."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

import click
from flask import current_app
from sqlalchemy.orm import Session

from directory.imports.partner_sync import PartnerSyncObserver
from directory.search import forget_search_index, rebuild_index
from geodata.database import lift_statement_timeout
from geodata.errors import ImportFileRejected
from geodata.import_report import ImportReport
from web.database import session_factory

IMPORT_AUDIT_EXTENSION = "aiguillage.import_audit"
"""Key of `app.extensions` under which the back office installs its `ImportAuditFactory`."""


class ImportAudit(Protocol):
    """The audit log of one import command run: ``start`` before the import, ``finish``
    after it, both in its transaction; ``observer`` is told of each partner it writes."""

    @property
    def observer(self) -> PartnerSyncObserver: ...

    def start(self, session: Session) -> None: ...

    def finish(self, session: Session, reports: Sequence[ImportReport]) -> None: ...


class ImportAuditFactory(Protocol):
    def __call__(self, command: str, *, bus_routes: bool = False) -> ImportAudit:
        """``bus_routes``: the command may change bus routes (each one changed is logged)."""


def import_audit(command: str, *, bus_routes: bool = False) -> ImportAudit:
    """The audit of a run of ``command`` (the back office installs it: `admin.init_admin`)."""
    factory: ImportAuditFactory | None = current_app.extensions.get(IMPORT_AUDIT_EXTENSION)
    if factory is None:
        raise RuntimeError("Aucun journal des modifications : le back-office n'est pas installé.")
    return factory(command, bus_routes=bus_routes)


def print_reports(reports: Sequence[ImportReport], limit: int = 10) -> None:
    for report in reports:
        for line in report.lines(limit=limit):
            click.echo(line)


def run_import(
    run: Callable[[Session], list[ImportReport]],
    *,
    dry_run: bool = False,
    rebuild_index: bool = True,
    audit: ImportAudit | None = None,
) -> list[ImportReport]:
    """Commit when every file is accepted (or roll back for a dry run); a refusal changes nothing.

    With an ``audit``, the run's entries are written in the same transaction as the import.
    Imports write in bulk, outside the partner operations, so the search index is rebuilt
    after a committed import (``rebuild_index=False`` for data the index does not hold).
    """
    session = session_factory()()
    try:
        lift_statement_timeout(session)  # an operator's import: long by nature
        if audit is not None and not dry_run:
            audit.start(session)
        reports = run(session)
        if dry_run:
            session.rollback()
        else:
            if audit is not None:
                audit.finish(session, reports)
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
