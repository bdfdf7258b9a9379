"""The audit log of the import commands (``data import-bundled``, ``exchange
import-datainclusion``, ``bus import``), installed by `admin.init_admin` as the
`web.import_command.ImportAuditFactory`: the commands live in ``web`` and cannot import the
back office, so the back office hands them its audit.

Each committed run writes one entry (origin « commande », the command, its files and their
counts), one entry per partner created or updated (before → after, as the back-office
imports write them) and, for ``bus import``, one per route changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from admin.audit import Actor, PartnerEntries, import_counts, record, record_many
from admin.bus_audit import record_route_changes, route_snapshots
from admin.cli import command_actor
from geodata.import_report import ImportReport
from geodata.types import utc_now


def run_summary(command: str, reports: Sequence[ImportReport]) -> str:
    files = list(dict.fromkeys(report.file_name for report in reports))
    total = ImportReport("", "")
    for report in reports:
        total.created += report.created
        total.updated += report.updated
        total.unchanged += report.unchanged
        total.deleted += report.deleted
        total.rejected.extend(report.rejected)
    named = ", ".join(files) if len(files) <= 2 else f"{len(files)} fichiers"
    return f"Commande {command} ({named}) : {import_counts(total)}"


class CommandImportAudit:
    """The audit of one run of an import command (see the module's docstring)."""

    def __init__(self, command: str, *, bus_routes: bool = False) -> None:
        self.command = command
        self.actor: Actor = command_actor(command)
        self.observer = PartnerEntries(f"Commande {command}")
        self.bus_routes = bus_routes
        self._routes_before: dict[int, dict[str, Any]] = {}

    def start(self, session: Session) -> None:
        if self.bus_routes:
            self._routes_before = route_snapshots(session)

    def finish(self, session: Session, reports: Sequence[ImportReport]) -> None:
        at = utc_now()
        session.flush()
        record_many(session, self.actor, self.observer.entries, at)
        if self.bus_routes:
            record_route_changes(
                session, self.actor, self._routes_before, "bus-import", "Calendrier importé"
            )
        per_file = {
            f"{report.dataset} ({report.file_name})": import_counts(report) for report in reports
        }
        summary = run_summary(self.command, reports)
        record(session, self.actor, "import", summary, after=per_file, at=at)
