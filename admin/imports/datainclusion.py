"""The dry run and the application of a data·inclusion v1 document (JSON).

The directory's importer (`directory.exchange.datainclusion_import`) checks every
structure and service against the JSON Schema and our rules. The dry run runs it inside a
savepoint that is rolled back, and reads from it what each structure would become; the
application runs it again, for real, in the caller's transaction. Possible duplicates
(structures that would be created next to a similar existing partner, or with a known
SIRET) are left out of the document unless the person chose to create them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from admin.audit import Actor, PartnerEntries, record, record_many
from admin.errors import ImportRefused
from admin.imports.duplicates import DuplicateFinder
from admin.imports.plan import ImportPlan, RowOutcome, RowStatus
from directory.exchange.datainclusion_import import import_datainclusion
from directory.exchange.mapping import EXTENSION_KEY
from directory.models import Partner
from geodata.errors import ImportFileRejected
from geodata.import_report import ImportReport


def read_document(content: bytes, max_rows: int) -> dict[str, Any]:
    try:
        document = json.loads(content.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ImportRefused(
            "Le fichier n'est pas encodé en UTF-8 : rien n'a été importé."
        ) from None
    except json.JSONDecodeError as exc:
        raise ImportRefused(
            f"JSON illisible ligne {exc.lineno}, colonne {exc.colno} ({exc.msg}) : rien n'a "
            "été importé."
        ) from None
    if not isinstance(document, dict) or not isinstance(document.get("structures"), list):
        raise ImportRefused(
            "Un document data·inclusion est un objet JSON avec une liste « structures » "
            "(et « services ») : rien n'a été importé."
        )
    count = len(document["structures"]) + len(document.get("services") or [])
    if count > max_rows:
        raise ImportRefused(
            f"Le fichier compte {count} structures et services ; la limite d'un import est "
            f"{max_rows} : découpez-le. Rien n'a été importé."
        )
    return document


def _source_ids(structure: object) -> set[str]:
    """The keys a structure may have been stored under (its id, our extension's id)."""
    if not isinstance(structure, Mapping):
        return set()
    ids = {str(structure.get("id", ""))}
    extension = structure.get(EXTENSION_KEY)
    if isinstance(extension, Mapping) and extension.get("source_id"):
        ids.add(str(extension["source_id"]))
    return ids - {""}


@dataclass
class DocumentPlan:
    plan: ImportPlan
    report: ImportReport
    refusal: str | None


def plan_datainclusion(
    session: Session, document: dict[str, Any], file_name: str, now: datetime
) -> DocumentPlan:
    """Run the import in a savepoint, see what it did, roll it back."""
    structures = document["structures"]
    finder = DuplicateFinder(session)
    max_before = int(session.scalar(select(func.max(Partner.id))) or 0)
    savepoint = session.begin_nested()
    refusal = None
    try:
        report = import_datainclusion(session, document, file_name, now)
    except ImportFileRejected as exc:
        refusal = exc.message
        report = exc.report if isinstance(exc.report, ImportReport) else ImportReport("", "")
    touched = {
        source_id: (partner_id, name)
        for partner_id, source_id, name in session.execute(
            select(Partner.id, Partner.source_id, Partner.name).where(Partner.imported_at == now)
        )
    }
    savepoint.rollback()
    rejected_lines: dict[int, list[str]] = {}
    for problem in report.rejected:
        if problem.reason.startswith("structure"):
            rejected_lines.setdefault(problem.line, []).append(problem.reason)
    rows = []
    for line, structure in enumerate(structures, start=1):
        label = str(structure.get("nom", "")) if isinstance(structure, Mapping) else ""
        outcome = RowOutcome(line, label, RowStatus.UNCHANGED)
        rows.append(outcome)
        if line in rejected_lines or refusal:
            outcome.status = RowStatus.REJECTED
            outcome.errors = [("structure", r) for r in rejected_lines.get(line, [])]
            continue
        match = next((touched[i] for i in _source_ids(structure) if i in touched), None)
        if match is None:
            continue
        outcome.partner_id = match[0]
        if match[0] <= max_before:
            outcome.status = RowStatus.UPDATED
            continue
        outcome.partner_id = None
        location = None
        if structure.get("longitude") is not None and structure.get("latitude") is not None:
            location = (float(structure["longitude"]), float(structure["latitude"]))
        outcome.duplicates = finder.candidates(label, structure.get("siret"), location)
        outcome.status = RowStatus.DUPLICATE if outcome.duplicates else RowStatus.CREATED
    return DocumentPlan(ImportPlan(file_name, rows, [], {}, {}), report, refusal)


def apply_datainclusion(
    session: Session,
    document: dict[str, Any],
    plan: ImportPlan,
    create_lines: frozenset[int],
    actor: Actor,
    now: datetime,
) -> ImportReport:
    """Import the document without the possible duplicates that were not chosen."""
    held = {
        row.line for row in plan.rows
        if row.status is RowStatus.DUPLICATE and row.line not in create_lines
    }  # fmt: skip
    structures = document["structures"]
    kept_lines = [line for line in range(1, len(structures) + 1) if line not in held]
    kept = [structures[line - 1] for line in kept_lines]
    held_ids = {str(s.get("id")) for line, s in enumerate(structures, start=1) if line in held}
    services = [
        s
        for s in document.get("services") or []
        if not (isinstance(s, Mapping) and str(s.get("structure_id")) in held_ids)
    ]
    observer = PartnerEntries(f"Import {plan.file_name}", dict(enumerate(kept_lines, start=1)))
    document = {**document, "structures": kept, "services": services}
    try:
        report = import_datainclusion(session, document, plan.file_name, now, observer=observer)
    except ImportFileRejected as exc:
        raise ImportRefused(exc.message) from None
    record_many(session, actor, observer.entries, now)
    summary = (
        f"Import {plan.file_name} (data·inclusion) : {report.created} créées, "
        f"{report.updated} mises à jour, {report.unchanged} inchangées, "
        f"{len(report.rejected)} rejetées, {len(held)} doublons écartés"
    )
    record(session, actor, "import", summary, at=now)
    return report
