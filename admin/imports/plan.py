"""The dry run and the application of a CSV import.

`plan_csv` reads the file and decides, row by row and without writing anything, what
applying it would do: create, update, leave unchanged, reject (every error with its column
and a French explanation), or hold back as a possible duplicate. `apply_csv` computes the
same plan again, refuses to go on if it differs from the one shown (the data changed in
between), then writes the accepted rows through `directory.imports.partner_sync` — the
rules of every import — in the caller's transaction, and writes the audit log.
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from admin.audit import Actor, PendingEntry, changed_fields, record, record_many, values_snapshot
from admin.errors import ImportRefused
from admin.imports.csv_rows import FIELD_COLUMNS, read_csv
from admin.imports.duplicates import DuplicateCandidate, DuplicateFinder
from admin.models import User
from admin.roles import Role
from admin.scope import territory_communes
from directory.change_log import record_partner_changes
from directory.imports.partner_sync import sync_partners
from directory.models import Partner
from directory.operations import apply_partner_values, has_same_values, partner_values
from directory.partner_rules import PartnerReference, partner_value_errors
from directory.queries import get_partner
from directory.service_areas import resolve_served_communes
from directory.values import PartnerValues
from geodata.import_report import ImportReport
from geodata.models import Commune

DATASET = "csv-back-office"


class RowStatus(enum.StrEnum):
    CREATED = "creation"
    UPDATED = "mise-a-jour"
    UNCHANGED = "inchangee"
    REJECTED = "rejetee"
    DUPLICATE = "doublon-possible"


STATUS_LABELS = {
    RowStatus.CREATED: "sera créée",
    RowStatus.UPDATED: "sera mise à jour",
    RowStatus.UNCHANGED: "inchangée",
    RowStatus.REJECTED: "rejetée",
    RowStatus.DUPLICATE: "doublon possible (en attente de votre choix)",
}


@dataclass
class RowOutcome:
    line: int
    label: str
    status: RowStatus
    partner_id: int | None = None
    errors: list[tuple[str, str]] = field(default_factory=list)
    duplicates: list[DuplicateCandidate] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)


@dataclass
class ImportPlan:
    file_name: str
    rows: list[RowOutcome]
    ignored_columns: list[str]
    values: dict[int, PartnerValues]
    existing: dict[int, Partner]

    def count(self, status: RowStatus) -> int:
        return sum(1 for row in self.rows if row.status is status)

    @property
    def fingerprint(self) -> str:
        """Changes when any row's outcome changes (the dry run shown is then out of date)."""
        digest = hashlib.sha256()
        for row in self.rows:
            candidates = ",".join(str(c.partner_id) for c in row.duplicates)
            digest.update(f"{row.line}:{row.status}:{row.partner_id}:{candidates};".encode())
        return digest.hexdigest()[:16]


def _territory(session: Session, user: User) -> frozenset[str] | None:
    """The communes where this account may import partners (None: everywhere)."""
    if user.role == Role.ADMINISTRATEUR:
        return None
    if user.role != Role.GESTIONNAIRE:
        return frozenset()
    return frozenset(session.scalars(select(Commune.insee_code).where(territory_communes(user))))


def plan_csv(
    session: Session, content: bytes, file_name: str, user: User, max_rows: int
) -> ImportPlan:
    """The dry run: what applying the file would do, row by row (raises `ImportRefused`)."""
    rows, ignored = read_csv(content, max_rows)
    reference = PartnerReference.load(session)
    territory = _territory(session, user)
    sources = {row.values.source.strip() for row in rows if row.values is not None}
    existing = {
        (p.source, p.source_id): p
        for p in session.scalars(
            select(Partner)
            .where(Partner.source.in_(sources))
            .options(selectinload(Partner.services), selectinload(Partner.service_areas))
        )
    }
    finder = DuplicateFinder(session)
    plan = ImportPlan(file_name, [], ignored, {}, {})
    seen_keys: dict[tuple[str, str], int] = {}
    seen_sirets: dict[str, int] = {}
    for row in rows:
        values = row.values
        label = row.cells.get("name") or row.cells.get("source_id") or ""
        outcome = RowOutcome(row.line, label, RowStatus.REJECTED)
        plan.rows.append(outcome)
        errors = dict(row.errors)
        if values is not None:
            for name, messages in partner_value_errors(values, reference,
                                                       require_area=False).items():  # fmt: skip
                errors.setdefault(FIELD_COLUMNS.get(name, name), []).extend(messages)
            key = (values.source.strip(), (values.source_id or "").strip())
            if not key[1]:
                errors.setdefault("source_id", []).append(
                    "Identifiant obligatoire : il permet de mettre la fiche à jour au "
                    "prochain import."
                )
            elif key in seen_keys:
                errors.setdefault("source_id", []).append(
                    f"Identifiant déjà utilisé ligne {seen_keys[key]} pour cette source."
                )
            else:
                seen_keys[key] = row.line
            partner = existing.get(key)
            if territory is not None and (
                values.insee_code not in territory
                or (partner is not None and partner.insee_code not in territory)
            ):
                errors.setdefault("insee_code", []).append(
                    "Commune hors de votre territoire (ou code INSEE absent)."
                )
        outcome.errors = [(column, m) for column, messages in errors.items() for m in messages]
        if outcome.errors or values is None:
            continue
        plan.values[row.line] = values
        if partner is not None:
            plan.existing[row.line] = partner
            outcome.partner_id = partner.id
            if has_same_values(partner, values):
                outcome.status = RowStatus.UNCHANGED
            else:
                outcome.status = RowStatus.UPDATED
                before = values_snapshot(partner_values(partner))
                outcome.changed = list(changed_fields(before, values_snapshot(values)))
            continue
        outcome.duplicates = finder.candidates(values.name, values.siret, values.location)
        siret = (values.siret or "").strip()
        if siret and siret in seen_sirets:
            outcome.errors.append(("siret", f"Même SIRET que la ligne {seen_sirets[siret]}."))
            outcome.status = RowStatus.REJECTED
            continue
        if siret:
            seen_sirets[siret] = row.line
        outcome.status = RowStatus.DUPLICATE if outcome.duplicates else RowStatus.CREATED
    return plan


@dataclass(frozen=True)
class ApplyChoices:
    """What the person chose on the dry run: rows with errors left out (required when
    there are some), and for each possible duplicate: create it anyway or merge it."""

    without_rejected: bool
    create_lines: frozenset[int] = frozenset()
    merge_into: Mapping[int, int] = field(default_factory=dict)


class PlanChanged(ImportRefused):
    code = "import_plan_changed"


@dataclass(frozen=True)
class ApplyResult:
    report: ImportReport
    changed_ids: list[int]


def apply_csv(
    session: Session,
    plan: ImportPlan,
    shown_fingerprint: str,
    choices: ApplyChoices,
    actor: Actor,
    now: datetime,
) -> ApplyResult:
    """Write the plan in the caller's transaction (the caller commits once)."""
    if plan.fingerprint != shown_fingerprint:
        raise PlanChanged(
            "Les données ont changé depuis la simulation : voici la simulation à jour, "
            "vérifiez-la avant d'appliquer."
        )
    rejected = plan.count(RowStatus.REJECTED)
    if rejected and not choices.without_rejected:
        raise ImportRefused(
            f"{rejected} lignes sont en erreur : cochez « Appliquer sans les lignes en "
            "erreur » pour importer les autres, ou corrigez le fichier."
        )
    rows: list[tuple[int, PartnerValues]] = []
    merges: list[tuple[int, int]] = []
    for outcome in plan.rows:
        if outcome.status is RowStatus.REJECTED:
            continue
        if outcome.status is RowStatus.DUPLICATE:
            target = choices.merge_into.get(outcome.line)
            if target is not None and target in {c.partner_id for c in outcome.duplicates}:
                merges.append((outcome.line, target))
            elif outcome.line in choices.create_lines:
                rows.append((outcome.line, plan.values[outcome.line]))
            continue
        rows.append((outcome.line, plan.values[outcome.line]))
    before = {
        line: values_snapshot(partner_values(partner)) for line, partner in plan.existing.items()
    }
    report = ImportReport(DATASET, plan.file_name, rows_read=len(plan.rows))
    synced = sync_partners(session, rows, report, now)
    by_line = dict(rows)
    changed = {id(partner) for partner in synced.changed}
    entries = [
        PendingEntry(
            "partner-import",
            f"Import {plan.file_name}, ligne {line} : "
            + ("fiche mise à jour" if line in before else "fiche créée"),
            partner.id,
            changed_fields(before.get(line), values_snapshot(by_line[line])),
        )
        for line, partner in synced.partners.items()
        if id(partner) in changed
    ]
    changed_ids = [partner.id for partner in synced.changed]
    for line, target in merges:
        partner = get_partner(session, target)
        snapshot = values_snapshot(partner_values(partner))
        values = plan.values[line]
        if apply_partner_values(partner, values):
            resolve_served_communes(session, [partner])
        partner.imported_at = now
        partner.updated_at = now
        report.updated += 1
        changed_ids.append(partner.id)
        entries.append(PendingEntry("partner-merge", f"Import {plan.file_name}, ligne {line} : "
                                    "fusionnée dans cette fiche (doublon choisi)", partner.id,
                                    changed_fields(snapshot, values_snapshot(values))))  # fmt: skip
    session.flush()
    record_partner_changes(session, changed_ids)  # the merges too, for the other servers
    record_many(session, actor, entries, now)
    record(session, actor, "import", _summary(plan, report), at=now)
    return ApplyResult(report, changed_ids)


def _summary(plan: ImportPlan, report: ImportReport) -> str:
    return (
        f"Import {plan.file_name} : {report.created} créées, {report.updated} mises à jour, "
        f"{report.unchanged} inchangées, {plan.count(RowStatus.REJECTED)} rejetées, "
        f"{plan.count(RowStatus.DUPLICATE)} doublons possibles"
    )
