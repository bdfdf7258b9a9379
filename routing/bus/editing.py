"""Editing the bus des droits one object at a time (the back office): a route's name, notes
and public-holiday rule, its stops (name, address, commune, point), its recurrence rules,
then the visits are generated again. Visit edits (cancel, move, extra) are in
:mod:`routing.bus.schedule`.

Operations flush and never commit. Every change that the visits depend on (holiday rule,
a stop's commune, a rule) brings the route's visits to come in line at once, so that the
public pages, the calendars and the orientation show it on the next request. Visits that
have started are never touched.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from directory.models import Partner, Right
from geodata.errors import InvalidLocation
from geodata.points import check_lon_lat
from geodata.types import UtcDateTime
from routing.bus.imports import spatial_point
from routing.bus.models import HOLIDAY_RULES, BusRoute, BusSchedule, BusStop, BusVisit
from routing.bus.recurrence import RecurrenceRule, normalise_rule
from routing.bus.routes import get_bus_route
from routing.bus.schedule import (
    GENERATION_HORIZON,
    GenerationCounts,
    generate_visits,
    get_bus_stop,
    list_partners,
    list_rights,
    stop_place,
)
from routing.errors import BusScheduleNotFound, InvalidBusSchedule

MAX_NAME_LENGTH = 200
MAX_STREET_LENGTH = 250
MAX_NOTE_LENGTH = 2000
_CODE_CHARACTERS = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class RouteValues:
    name: str
    description: str | None
    holiday_rule: str


@dataclass(frozen=True)
class StopValues:
    name: str
    street: str | None
    insee_code: str
    location: tuple[float, float]
    """(lon, lat) in WGS 84."""


@dataclass(frozen=True)
class RuleValues:
    rule: str
    starts_on: date
    ends_on: date | None
    start_time: time
    end_time: time
    note: str | None = None
    right_slugs: Sequence[str] = ()
    partner_ids: Sequence[int] = ()


def _invalid(field: str, message: str) -> InvalidBusSchedule:
    return InvalidBusSchedule(message, {field: [message]})


def _text(value: str | None, field: str, limit: int, *, required: bool = False) -> str | None:
    text = " ".join((value or "").split())
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
        raise _invalid(field, "Caractère de contrôle interdit.")
    if required and not text:
        raise _invalid(field, "Ce champ est obligatoire.")
    if len(text) > limit:
        raise _invalid(field, f"{limit} caractères au plus.")
    return text or None


def _regenerate(session: Session, route_id: int, now: datetime) -> GenerationCounts:
    return generate_visits(session, now=now, route_ids=[route_id], horizon=GENERATION_HORIZON)


# -- routes ----------------------------------------------------------------------------------


def update_route(
    session: Session, route_id: int, values: RouteValues, *, now: datetime
) -> BusRoute:
    """Rename a route, change its public notes or its public-holiday rule (the visits to
    come follow the new rule at once)."""
    route = get_bus_route(session, route_id)
    name = _text(values.name, "name", MAX_NAME_LENGTH, required=True)
    description = _text(values.description, "description", MAX_NOTE_LENGTH)
    if values.holiday_rule not in HOLIDAY_RULES:
        raise _invalid("holiday_rule", "Règle des jours fériés inconnue.")
    rule_changed = route.holiday_rule != values.holiday_rule
    route.name, route.description = name or route.name, description
    route.holiday_rule = values.holiday_rule
    session.flush()
    if rule_changed:
        _regenerate(session, route.id, now)
    return route


# -- stops -----------------------------------------------------------------------------------


def _stop_values(session: Session, values: StopValues) -> dict[str, object]:
    try:
        location = check_lon_lat(*values.location)
    except InvalidLocation as exc:
        raise _invalid("location", exc.message) from exc
    insee_code = values.insee_code.strip().upper()
    stop_place(session, insee_code)  # an unknown commune is refused (field "insee_code")
    return {
        "name": _text(values.name, "name", MAX_NAME_LENGTH, required=True),
        "street": _text(values.street, "street", MAX_STREET_LENGTH),
        "insee_code": insee_code,
        "location": spatial_point(location),
    }


def _new_stop_code(session: Session, route_id: int, name: str) -> str:
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    base = _CODE_CHARACTERS.sub("-", folded).strip("-")[:50] or "arret"
    taken = set(session.scalars(select(BusStop.code).where(BusStop.route_id == route_id)))
    code, number = base, 1
    while code in taken:
        number += 1
        code = f"{base}-{number}"
    return code


def create_stop(session: Session, route_id: int, values: StopValues) -> BusStop:
    """A new stop of the route (no visits until a rule or an extra visit gives some)."""
    route = get_bus_route(session, route_id)
    fields = _stop_values(session, values)
    stop = BusStop(route_id=route.id, code=_new_stop_code(session, route.id, values.name), **fields)
    session.add(stop)
    session.flush()
    return stop


def update_stop(session: Session, stop_id: int, values: StopValues, *, now: datetime) -> BusStop:
    """Rename a stop, change its address or commune, move its point. A new commune may
    change the time zone and public holidays: the visits to come are generated again."""
    stop = get_bus_stop(session, stop_id)
    fields = _stop_values(session, values)
    commune_changed = stop.insee_code != fields["insee_code"]
    for name, value in fields.items():
        setattr(stop, name, value)
    session.flush()
    if commune_changed:
        _regenerate(session, stop.route_id, now)
    return stop


# -- recurrence rules ------------------------------------------------------------------------


def _rule_fields(
    session: Session, values: RuleValues
) -> tuple[dict[str, object], list[Right], list[Partner]]:
    rule = normalise_rule(values.rule)
    checked = RecurrenceRule(
        rule, values.starts_on, values.ends_on, values.start_time, values.end_time
    )
    fields: dict[str, object] = {
        "rule": checked.rule,
        "starts_on": checked.starts_on,
        "ends_on": checked.ends_on,
        "start_time": checked.start_time,
        "end_time": checked.end_time,
        "note": _text(values.note, "note", MAX_NOTE_LENGTH),
    }
    return (
        fields,
        list_rights(session, values.right_slugs),
        list_partners(session, values.partner_ids),
    )


def get_bus_schedule(session: Session, schedule_id: int) -> BusSchedule:
    schedule = session.get(BusSchedule, schedule_id)
    if schedule is None:
        raise BusScheduleNotFound(f"Aucune règle de passage n'a l'identifiant {schedule_id}.")
    return schedule


def create_rule(
    session: Session, stop_id: int, values: RuleValues, *, now: datetime
) -> BusSchedule:
    """A new recurrence rule at a stop; its visits are generated at once."""
    stop = get_bus_stop(session, stop_id)
    fields, rights, partners = _rule_fields(session, values)
    taken = set(session.scalars(select(BusSchedule.code).where(BusSchedule.stop_id == stop.id)))
    number = len(taken) + 1
    while f"regle-{number}" in taken:
        number += 1
    schedule = BusSchedule(stop_id=stop.id, code=f"regle-{number}", **fields)
    schedule.rights, schedule.partners = rights, partners
    session.add(schedule)
    session.flush()
    _regenerate(session, stop.route_id, now)
    return schedule


def update_rule(
    session: Session, schedule_id: int, values: RuleValues, *, now: datetime
) -> BusSchedule:
    """Change a rule (days, period, hours, note, what is on board); its visits to come
    follow, except those edited one by one."""
    schedule = get_bus_schedule(session, schedule_id)
    fields, rights, partners = _rule_fields(session, values)
    for name, value in fields.items():
        setattr(schedule, name, value)
    schedule.rights, schedule.partners = rights, partners
    session.flush()
    _regenerate(session, schedule.stop.route_id, now)
    return schedule


def delete_rule(session: Session, schedule_id: int, *, now: datetime) -> int:
    """Delete a rule and its visits to come (past visits stay, without their rule).
    Returns the number of visits deleted."""
    schedule = get_bus_schedule(session, schedule_id)
    coming = select(func.count(BusVisit.id)).where(
        BusVisit.schedule_id == schedule.id, BusVisit.starts_at > now
    )
    deleted = int(session.scalar(coming) or 0)
    session.execute(
        delete(BusVisit).where(BusVisit.schedule_id == schedule.id, BusVisit.starts_at > now),
        execution_options={"synchronize_session": False},
    )
    session.delete(schedule)
    session.flush()
    session.expire_all()
    return deleted


def delete_extra_visit(session: Session, visit_id: int, *, now: datetime) -> None:
    """Delete an extra visit to come (a generated one is cancelled instead, with a reason)."""
    visit = session.get(BusVisit, visit_id)
    if visit is None or visit.schedule_id is not None or visit.occurrence_on is not None:
        raise _invalid(
            "visit_id", "Seul un passage supplémentaire se supprime ; annulez les autres."
        )
    if visit.starts_at <= now:
        raise _invalid("visit_id", "Un passage commencé ou passé ne se supprime pas.")
    session.delete(visit)
    session.flush()


# -- what the caches follow ------------------------------------------------------------------


def bus_fingerprint(session: Session) -> tuple[object, ...]:
    """(rows, latest change) of every bus table, in one statement: changes with every write
    to the schedule (a deleted row lowers a count)."""
    parts = []
    for model in (BusRoute, BusStop, BusSchedule, BusVisit):
        parts.append(select(func.count(model.id)).scalar_subquery())
        parts.append(select(func.max(model.updated_at, type_=UtcDateTime())).scalar_subquery())
    return tuple(session.execute(select(*parts)).one())
