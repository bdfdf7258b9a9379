"""Checks of a bus des droits schedule file across its rows: every route, stop and rule a
row refers to is described in the file, keys appear once, and rights, partners and
communes exist. Bad rows are recorded in the report; nothing is written here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.models import Partner, Right
from geodata.import_report import ImportReport
from geodata.models import Commune
from routing.bus.schedule_file import (
    ChangeRow,
    ExtraRow,
    RouteRow,
    RuleRow,
    ScheduleRow,
    StopRow,
)

Key = TypeVar("Key")
Row = TypeVar("Row", RouteRow, StopRow, RuleRow)


@dataclass
class SchedulePlan:
    """The file's rows once checked, by key."""

    routes: dict[str, RouteRow] = field(default_factory=dict)
    stops: dict[tuple[str, str], StopRow] = field(default_factory=dict)
    rules: dict[tuple[str, str, str], RuleRow] = field(default_factory=dict)
    changes: list[ChangeRow] = field(default_factory=list)
    extras: list[ExtraRow] = field(default_factory=list)
    partners: dict[str, int] = field(default_factory=dict)


def plan_schedule(
    session: Session, rows: Sequence[ScheduleRow], report: ImportReport
) -> SchedulePlan:
    plan = SchedulePlan()
    for row in rows:
        if isinstance(row, RouteRow):
            _add_once(plan.routes, row.code, row, report, f"tournée « {row.code} »")
    for row in rows:
        if isinstance(row, StopRow) and _known(
            row.route in plan.routes, row.line, report, _missing_route(row.route)
        ):
            _add_once(plan.stops, (row.route, row.code), row, report, f"arrêt « {row.code} »")
    for row in rows:
        if isinstance(row, RuleRow | ExtraRow) and not _known(
            (row.route, row.stop) in plan.stops,
            row.line,
            report,
            f"arrêt « {row.stop} » de la tournée « {row.route} » non décrit (ligne « arret »)",
        ):
            continue
        if isinstance(row, RuleRow):
            _add_once(plan.rules, (row.route, row.stop, row.code), row, report, "règle")
        elif isinstance(row, ExtraRow):
            plan.extras.append(row)
    for row in rows:
        if isinstance(row, ChangeRow) and _known(
            (row.route, row.stop, row.rule) in plan.rules,
            row.line,
            report,
            f"règle « {row.rule} » de l'arrêt « {row.stop} » non décrite (ligne « regle »)",
        ):
            plan.changes.append(row)
    _check_references(session, rows, plan, report)
    return plan


def _missing_route(code: str) -> str:
    return f"tournée « {code} » non décrite dans le fichier (ligne « tournee »)"


def _known(condition: bool, line: int, report: ImportReport, reason: str) -> bool:
    if not condition:
        report.reject(line, reason)
    return condition


def _add_once(target: dict[Key, Row], key: Key, row: Row, report: ImportReport, what: str) -> None:
    previous = target.get(key)
    if previous is not None:
        report.reject(row.line, f"{what} déjà décrite ligne {previous.line}")
        return
    target[key] = row


def _check_references(
    session: Session, rows: Sequence[ScheduleRow], plan: SchedulePlan, report: ImportReport
) -> None:
    slugs = {slug for row in rows if isinstance(row, RuleRow | ExtraRow) for slug in row.rights}
    known_slugs = set(session.scalars(select(Right.slug).where(Right.slug.in_(slugs))))
    refs = {
        ref
        for row in rows
        for ref in ((row.partner_ref,) if isinstance(row, RouteRow) and row.partner_ref else ())
        + (row.partner_refs if isinstance(row, RuleRow | ExtraRow) else ())
    }
    plan.partners = _resolve_partners(session, refs)
    codes = {row.insee_code for row in rows if isinstance(row, StopRow)}
    known_codes = set(
        session.scalars(select(Commune.insee_code).where(Commune.insee_code.in_(codes)))
    )
    for row in rows:
        if isinstance(row, StopRow) and row.insee_code not in known_codes:
            report.reject(row.line, f"code INSEE inconnu « {row.insee_code} »")
        if isinstance(row, RuleRow | ExtraRow):
            unknown = [slug for slug in row.rights if slug not in known_slugs]
            if unknown:
                report.reject(row.line, f"droit inconnu « {unknown[0]} » (voir /droits)")
        own_refs: tuple[str, ...] = ()
        if isinstance(row, RouteRow) and row.partner_ref:
            own_refs = (row.partner_ref,)
        elif isinstance(row, RuleRow | ExtraRow):
            own_refs = row.partner_refs
        missing = [ref for ref in own_refs if ref not in plan.partners]
        if missing:
            report.reject(row.line, f"partenaire introuvable « {missing[0]} »")


def _resolve_partners(session: Session, refs: set[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    ids = {int(ref): ref for ref in refs if ref.isdigit()}
    if ids:
        for partner_id in session.scalars(select(Partner.id).where(Partner.id.in_(list(ids)))):
            found[ids[partner_id]] = partner_id
    by_source: dict[str, dict[str, str]] = {}
    for ref in refs:
        if not ref.isdigit():
            source, source_id = ref.split(":", 1)
            by_source.setdefault(source, {})[source_id] = ref
    for source, wanted in by_source.items():
        query = select(Partner.id, Partner.source_id).where(
            Partner.source == source, Partner.source_id.in_(list(wanted))
        )
        for partner_id, source_id in session.execute(query):
            found[wanted[source_id]] = partner_id
    return found
