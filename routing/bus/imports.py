"""Import of a bus des droits schedule file (see :mod:`routing.bus.schedule_file` and
docs/BUS.md): every row is checked first, and one bad row refuses the whole file, with the
reason of every bad row, before anything is written.

The file is the whole truth for the routes it describes: their stops, rules, edits and
extra visits are made to match it. Visits that have started stay as they were.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TypeVar

from geoalchemy2 import WKBElement
from geoalchemy2.shape import from_shape
from shapely.geometry import Point
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from directory.models import Partner, Right
from geodata import spatial
from geodata.errors import ImportFileRejected
from geodata.import_report import ImportReport
from geodata.imports.csv_source import read_csv_rows
from geodata.models import SRID, Commune
from routing.bus.import_checks import SchedulePlan, plan_schedule
from routing.bus.models import PLANNED, BusRoute, BusSchedule, BusStop, BusVisit
from routing.bus.recurrence import local_window
from routing.bus.schedule import (
    GENERATION_HORIZON,
    add_extra_visit,
    cancel_visit,
    generate_visits,
    move_visit,
    set_on_board,
    stop_place,
)
from routing.bus.schedule_file import (
    ChangeRow,
    ExtraRow,
    RowError,
    ScheduleRow,
    parse_row,
)
from routing.errors import InvalidBusSchedule

Model = TypeVar("Model", BusRoute, BusStop, BusSchedule)
DATASET = "bus-des-droits"
REQUIRED_COLUMNS = ("type", "tournee")


def import_bus_schedule(
    session: Session, path: Path, now: datetime, *, horizon: timedelta = GENERATION_HORIZON
) -> list[ImportReport]:
    """Load the file in the session (flushed, not committed); refuse it if any row is bad.

    Returns the file's report and the report of the generated visits.
    """
    report = ImportReport(DATASET, path.name)
    parsed: list[ScheduleRow] = []
    for row in read_csv_rows(path, REQUIRED_COLUMNS):
        report.rows_read += 1
        try:
            parsed.append(parse_row(row))
        except RowError as exc:
            report.reject(row.line, str(exc))
    plan = plan_schedule(session, parsed, report)
    _refuse_if_rejected(report)
    visits_report = ImportReport(f"{DATASET} : passages", path.name)
    written = _write(session, plan, report, now)
    extras = _extra_windows(session, plan, written.stops)
    _reset_edits(session, written, plan, extras, now)
    counts = generate_visits(session, now=now, route_ids=written.route_ids, horizon=horizon)
    visits_report.created = counts.created
    visits_report.updated = counts.updated
    visits_report.unchanged = counts.unchanged
    visits_report.deleted = counts.deleted
    for change in plan.changes:
        schedule = written.schedules[(change.route, change.stop, change.rule)]
        _count(visits_report, _apply_change(session, change, schedule, report, now))
    for extra, window in zip(plan.extras, extras, strict=True):
        _count(visits_report, _apply_extra(session, extra, window, plan, report, now))
    _refuse_if_rejected(report)
    return [report, visits_report]


def _count(report: ImportReport, outcome: str | None) -> None:
    if outcome == "created":
        report.created += 1
    elif outcome == "updated":
        report.updated += 1
    elif outcome == "unchanged":
        report.unchanged += 1


def _refuse_if_rejected(report: ImportReport) -> None:
    if report.rejected:
        raise ImportFileRejected(
            f"{report.file_name} : {len(report.rejected)} ligne(s) rejetée(s) sur "
            f"{report.rows_read} : fichier refusé, rien n'a été modifié.",
            report,
        )


def spatial_point(point: tuple[float, float]) -> WKBElement:
    return from_shape(Point(*point), srid=SRID)


# -- writing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Written:
    route_ids: list[int]
    stops: dict[tuple[str, str], BusStop]
    schedules: dict[tuple[str, str, str], BusSchedule]


def _write(session: Session, plan: SchedulePlan, report: ImportReport, now: datetime) -> _Written:
    routes = {
        route.code: route
        for route in session.scalars(select(BusRoute).where(BusRoute.code.in_(list(plan.routes))))
        if route.code is not None
    }
    for code, row in plan.routes.items():
        values = {
            "name": row.name,
            "description": row.description,
            "holiday_rule": row.holiday_rule,
            "source": row.source,
            "is_demo": row.is_demo,
            "partner_id": plan.partners[row.partner_ref] if row.partner_ref else None,
        }
        routes[code] = _upsert(session, routes.get(code), BusRoute, {"code": code}, values, report)
    session.flush()
    stops = _write_stops(session, plan, routes, report)
    schedules = _write_rules(session, plan, stops, report, now)
    session.flush()
    return _Written([routes[code].id for code in plan.routes], stops, schedules)


def _upsert(
    session: Session,
    existing: Model | None,
    model: type[Model],
    key: Mapping[str, object],
    values: Mapping[str, object],
    report: ImportReport,
) -> Model:
    """Create the row, or update it and count it as updated or unchanged."""
    if existing is None:
        created = model(**key, **values)
        session.add(created)
        report.created += 1
        return created
    changed = False
    for name, value in values.items():
        if getattr(existing, name) != value:
            setattr(existing, name, value)
            changed = True
    if changed:
        report.updated += 1
    else:
        report.unchanged += 1
    return existing


def _write_stops(
    session: Session, plan: SchedulePlan, routes: dict[str, BusRoute], report: ImportReport
) -> dict[tuple[str, str], BusStop]:
    route_codes = {route.id: code for code, route in routes.items()}
    existing = session.scalars(select(BusStop).where(BusStop.route_id.in_(list(route_codes)))).all()
    by_key = {(route_codes[s.route_id], s.code): s for s in existing if s.code is not None}
    halls = commune_points(session, {row.insee_code for row in plan.stops.values()})
    stops: dict[tuple[str, str], BusStop] = {}
    for key, row in plan.stops.items():
        point = row.location or halls.get(row.insee_code)
        if point is None:
            report.reject(row.line, "point absent et commune sans mairie ni centre connus")
            continue
        stop = by_key.get(key)
        location_changed = stop is None or _lon_lat(session, stop) != _rounded(point)
        values: dict[str, object] = {
            "route_id": routes[row.route].id,
            "name": row.name,
            "street": row.street,
            "insee_code": row.insee_code,
        }
        if location_changed:
            values["location"] = spatial_point(point)
        stops[key] = _upsert(session, stop, BusStop, {"code": row.code}, values, report)
    for key, stop in by_key.items():
        if key not in plan.stops:
            has_visits = session.scalar(
                select(BusVisit.id).where(BusVisit.stop_id == stop.id).limit(1)
            )
            if has_visits is None:
                session.delete(stop)
                report.deleted += 1
            else:
                report.warn(
                    0,
                    f"arrêt « {stop.code} » absent du fichier : gardé pour ses passages "
                    "passés, sans règle",
                    stop.name,
                )
    session.flush()
    return stops


def commune_points(session: Session, codes: set[str]) -> dict[str, tuple[float, float]]:
    """The town hall of each commune (else its centre): where a stop goes without a point."""
    hall_lon, hall_lat = spatial.lon_lat_of(Commune.town_hall)
    centre_lon, centre_lat = spatial.lon_lat_of(Commune.centre)
    query = select(Commune.insee_code, hall_lon, hall_lat, centre_lon, centre_lat).where(
        Commune.insee_code.in_(list(codes))
    )
    points = {}
    for code, lon, lat, c_lon, c_lat in session.execute(query):
        if lon is not None:
            points[code] = (float(lon), float(lat))
        elif c_lon is not None:
            points[code] = (float(c_lon), float(c_lat))
    return points


def _rounded(point: tuple[float, float]) -> tuple[float, float]:
    return round(point[0], 7), round(point[1], 7)


def _lon_lat(session: Session, stop: BusStop) -> tuple[float, float]:
    lon, lat = spatial.lon_lat_of(BusStop.location)
    row = session.execute(select(lon, lat).where(BusStop.id == stop.id)).one()
    return _rounded((float(row[0]), float(row[1])))


def _write_rules(
    session: Session,
    plan: SchedulePlan,
    stops: dict[tuple[str, str], BusStop],
    report: ImportReport,
    now: datetime,
) -> dict[tuple[str, str, str], BusSchedule]:
    """Rules of the file created or updated; rules of its routes that it no longer lists are
    deleted with their visits to come (past visits stay, without their rule)."""
    route_ids = list({stop.route_id for stop in stops.values()})
    existing = session.scalars(
        select(BusSchedule)
        .join(BusStop, BusStop.id == BusSchedule.stop_id)
        .where(BusStop.route_id.in_(route_ids))
    ).all()
    stop_keys = {stop.id: key for key, stop in stops.items()}
    by_key = {(*stop_keys[s.stop_id], s.code): s for s in existing if s.stop_id in stop_keys}
    rights = {r.slug: r for r in session.scalars(select(Right))}
    partners = {
        p.id: p
        for p in session.scalars(
            select(Partner).where(Partner.id.in_(list(plan.partners.values())))
        )
    }
    written: dict[tuple[str, str, str], BusSchedule] = {}
    for key, row in plan.rules.items():
        stop = stops.get((row.route, row.stop))
        if stop is None:
            continue
        rule = row.recurrence
        values: dict[str, object] = {
            "stop_id": stop.id,
            "rule": rule.rule,
            "starts_on": rule.starts_on,
            "ends_on": rule.ends_on,
            "start_time": rule.start_time,
            "end_time": rule.end_time,
            "note": row.note,
        }
        schedule = by_key.get(key)
        on_board_changed = schedule is not None and (
            [r.slug for r in schedule.rights] != sorted(row.rights)
            or [p.id for p in schedule.partners]
            != sorted(plan.partners[ref] for ref in row.partner_refs)
        )
        was_updated = report.updated
        schedule = _upsert(session, schedule, BusSchedule, {"code": row.code}, values, report)
        schedule.rights = [rights[slug] for slug in sorted(row.rights)]
        schedule.partners = [
            partners[pid] for pid in sorted(plan.partners[ref] for ref in row.partner_refs)
        ]
        if on_board_changed and report.updated == was_updated:
            report.unchanged -= 1
            report.updated += 1
        written[key] = schedule
    for key, schedule in by_key.items():
        if key not in plan.rules:
            session.execute(
                delete(BusVisit).where(
                    BusVisit.schedule_id == schedule.id, BusVisit.starts_at > now
                ),
                execution_options={"synchronize_session": False},
            )
            session.delete(schedule)
            report.deleted += 1
    session.flush()
    return written


def _extra_windows(
    session: Session, plan: SchedulePlan, stops: dict[tuple[str, str], BusStop]
) -> list[tuple[int, datetime, datetime] | None]:
    """(stop id, start, end) in UTC of each extra visit of the file."""
    windows: list[tuple[int, datetime, datetime] | None] = []
    for extra in plan.extras:
        stop = stops.get((extra.route, extra.stop))
        if stop is None:
            windows.append(None)
            continue
        zone = stop_place(session, stop.insee_code).zone
        windows.append((stop.id, *local_window(extra.day, extra.start, extra.end, zone)))
    return windows


def _reset_edits(
    session: Session,
    written: _Written,
    plan: SchedulePlan,
    extras: Sequence[tuple[int, datetime, datetime] | None],
    now: datetime,
) -> None:
    """The file lists every edit to come: edits it no longer lists are undone (the rule
    applies again) and extra visits it no longer lists are deleted."""
    listed = {
        (written.schedules[(c.route, c.stop, c.rule)].id, c.day)
        for c in plan.changes
        if (c.route, c.stop, c.rule) in written.schedules
    }
    stops = select(BusStop.id).where(BusStop.route_id.in_(written.route_ids))
    future = session.scalars(
        select(BusVisit).where(BusVisit.stop_id.in_(stops), BusVisit.starts_at > now)
    ).all()
    kept_extras = {window for window in extras if window is not None}
    for visit in future:
        if visit.schedule_id is None and visit.occurrence_on is None:
            if (visit.stop_id, visit.starts_at, visit.ends_at) not in kept_extras:
                session.delete(visit)
        elif visit.is_edited and (visit.schedule_id, visit.occurrence_on) not in listed:
            visit.is_edited, visit.status, visit.change_reason = False, PLANNED, None
    session.flush()


def _apply_change(
    session: Session, change: ChangeRow, schedule: BusSchedule, report: ImportReport, now: datetime
) -> str | None:
    """Cancel or move the visit of the rule's date; None when nothing could be done."""
    visit = session.scalar(
        select(BusVisit).where(
            BusVisit.schedule_id == schedule.id, BusVisit.occurrence_on == change.day
        )
    )
    when = f"{change.day:%d/%m/%Y}"
    if (
        visit is None
        and change.day < now.astimezone(stop_place(session, schedule.stop.insee_code).zone).date()
    ):
        report.warn(change.line, f"le {when} est passé : modification ignorée")
        return None
    if visit is None:
        report.reject(
            change.line,
            f"le {when} n'est pas une date de la règle « {change.rule} » "
            "dans la période générée (de maintenant à l'horizon de génération)",
        )
        return None
    if visit.starts_at <= now:
        report.warn(change.line, f"le passage du {when} a commencé ou est passé : inchangé")
        return None
    before = (visit.status, visit.starts_at, visit.ends_at, visit.change_reason, visit.is_edited)
    try:
        if change.kind == "annulation":
            cancel_visit(session, visit.id, change.reason, now=now)
        else:
            assert change.new_day and change.new_start and change.new_end
            zone = stop_place(session, visit.stop.insee_code).zone
            starts_at, ends_at = local_window(
                change.new_day, change.new_start, change.new_end, zone
            )
            move_visit(
                session,
                visit.id,
                starts_at=starts_at,
                ends_at=ends_at,
                reason=change.reason,
                now=now,
            )
    except InvalidBusSchedule as exc:
        report.reject(change.line, exc.message)
        return None
    after = (visit.status, visit.starts_at, visit.ends_at, visit.change_reason, visit.is_edited)
    return "unchanged" if after == before else "updated"


def _apply_extra(
    session: Session,
    extra: ExtraRow,
    window: tuple[int, datetime, datetime] | None,
    plan: SchedulePlan,
    report: ImportReport,
    now: datetime,
) -> str | None:
    if window is None:
        return None
    stop_id, starts_at, ends_at = window
    if starts_at <= now:
        report.warn(extra.line, "passage supplémentaire déjà commencé ou passé : ignoré")
        return None
    partner_ids = [plan.partners[ref] for ref in extra.partner_refs]
    existing = session.scalar(
        select(BusVisit).where(
            BusVisit.stop_id == stop_id,
            BusVisit.schedule_id.is_(None),
            BusVisit.occurrence_on.is_(None),
            BusVisit.starts_at == starts_at,
            BusVisit.ends_at == ends_at,
        )
    )
    try:
        if existing is None:
            add_extra_visit(
                session,
                stop_id,
                starts_at=starts_at,
                ends_at=ends_at,
                note=extra.note,
                right_slugs=extra.rights,
                partner_ids=partner_ids,
            )
            return "created"
        before = (
            existing.note,
            [r.slug for r in existing.rights],
            [p.id for p in existing.partners],
        )
        existing.note = extra.note
        set_on_board(
            session, existing.id, right_slugs=extra.rights, partner_ids=partner_ids, now=now
        )
        after = (
            existing.note,
            [r.slug for r in existing.rights],
            [p.id for p in existing.partners],
        )
    except InvalidBusSchedule as exc:
        report.reject(extra.line, exc.message)
        return None
    return "unchanged" if after == before else "updated"
