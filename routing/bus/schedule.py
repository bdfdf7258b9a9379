"""Writing the schedule: dated visits generated from the recurrence rules, and the edits of
one visit (cancellation, move, extra visit, what is on board) that regeneration keeps.

Operations flush and never commit: the command or view that calls them commits once.
Visits that have started are never touched by regeneration nor by an edit (the callers
pass ``now``): the past stays as it was.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from directory.hours import public_holidays, timezone_for
from directory.models import Partner, Right
from geodata.models import Commune
from routing.bus.models import (
    CANCELLED,
    PLANNED,
    BusSchedule,
    BusStop,
    BusVisit,
)
from routing.bus.recurrence import RecurrenceRule, list_occurrences
from routing.errors import BusStopNotFound, BusVisitNotFound, InvalidBusSchedule

GENERATION_HORIZON = timedelta(days=183)
"""How far ahead visits are generated; `bus generate` run weekly keeps it rolling."""
MAX_REASON_LENGTH = 300


@dataclass
class GenerationCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    kept_edited: int = 0

    def add(self, other: GenerationCounts) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.deleted += other.deleted
        self.kept_edited += other.kept_edited


@dataclass(frozen=True)
class StopPlace:
    """What the calendar of a stop depends on: its time zone and public holidays."""

    zone: ZoneInfo
    departement_code: str

    def holidays(self, year: int) -> Mapping[date, str]:
        return public_holidays(self.departement_code, year)


def stop_place(session: Session, insee_code: str) -> StopPlace:
    departement_code = session.scalar(
        select(Commune.departement_code).where(Commune.insee_code == insee_code)
    )
    if departement_code is None:
        message = f"Commune inconnue : « {insee_code} »."
        raise InvalidBusSchedule(message, {"insee_code": [message]})
    return StopPlace(timezone_for(departement_code, insee_code), departement_code)


def recurrence_of(schedule: BusSchedule) -> RecurrenceRule:
    return RecurrenceRule(
        rule=schedule.rule,
        starts_on=schedule.starts_on,
        ends_on=schedule.ends_on,
        start_time=schedule.start_time,
        end_time=schedule.end_time,
    )


def generate_visits(
    session: Session,
    *,
    now: datetime,
    route_ids: Collection[int] | None = None,
    horizon: timedelta = GENERATION_HORIZON,
) -> GenerationCounts:
    """Bring the visits of every rule (of these routes) in line with the rules, from ``now``.

    For each date the rule gives up to the horizon, the visit is created or updated;
    visits of the rule that no longer match a date are deleted. Edited visits are kept as
    they are, and visits that have started (or are over) are never touched.
    """
    query = (
        select(BusSchedule)
        .join(BusStop, BusStop.id == BusSchedule.stop_id)
        .options(
            selectinload(BusSchedule.stop).selectinload(BusStop.route),
            selectinload(BusSchedule.rights),
            selectinload(BusSchedule.partners),
        )
        .order_by(BusSchedule.id)
    )
    if route_ids is not None:
        query = query.where(BusStop.route_id.in_(list(route_ids)))
    counts = GenerationCounts()
    places: dict[str, StopPlace] = {}
    for schedule in session.scalars(query):
        insee_code = schedule.stop.insee_code
        if insee_code not in places:
            places[insee_code] = stop_place(session, insee_code)
        counts.add(_generate_schedule(session, schedule, places[insee_code], now, horizon))
    session.flush()
    return counts


def _generate_schedule(
    session: Session, schedule: BusSchedule, place: StopPlace, now: datetime, horizon: timedelta
) -> GenerationCounts:
    counts = GenerationCounts()
    today = now.astimezone(place.zone).date()
    occurrences = list_occurrences(
        recurrence_of(schedule),
        first_day=today - timedelta(days=1),
        last_day=today + horizon,
        zone=place.zone,
        holidays=place.holidays,
        holiday_rule=schedule.stop.route.holiday_rule,
    )
    existing = {
        visit.occurrence_on: visit
        for visit in session.scalars(
            select(BusVisit)
            .where(BusVisit.schedule_id == schedule.id, BusVisit.starts_at > now)
            .options(selectinload(BusVisit.rights), selectinload(BusVisit.partners))
        )
        if visit.occurrence_on is not None
    }
    for occurrence in occurrences:
        if occurrence.starts_at <= now:
            continue
        visit = existing.pop(occurrence.occurrence_on, None)
        if visit is not None and visit.is_edited:
            counts.kept_edited += 1
            continue
        values = {
            "stop_id": schedule.stop_id,
            "starts_at": occurrence.starts_at,
            "ends_at": occurrence.ends_at,
            "status": CANCELLED if occurrence.is_cancelled else PLANNED,
            "note": schedule.note,
            "change_reason": occurrence.change_reason,
        }
        if visit is None:
            visit = BusVisit(
                schedule_id=schedule.id,
                occurrence_on=occurrence.occurrence_on,
                is_edited=False,
                **values,
            )
            visit.rights = list(schedule.rights)
            visit.partners = list(schedule.partners)
            session.add(visit)
            counts.created += 1
            continue
        changed = _apply(visit, values)
        if [r.slug for r in visit.rights] != [r.slug for r in schedule.rights]:
            visit.rights = list(schedule.rights)
            changed = True
        if [p.id for p in visit.partners] != [p.id for p in schedule.partners]:
            visit.partners = list(schedule.partners)
            changed = True
        if changed:
            counts.updated += 1
        else:
            counts.unchanged += 1
    for visit in existing.values():
        if visit.is_edited:
            counts.kept_edited += 1
        else:
            session.delete(visit)
            counts.deleted += 1
    return counts


def _apply(visit: BusVisit, values: dict[str, object]) -> bool:
    changed = False
    for name, value in values.items():
        if getattr(visit, name) != value:
            setattr(visit, name, value)
            changed = True
    return changed


# -- edits of one visit ----------------------------------------------------------------------


def get_bus_visit(session: Session, visit_id: int) -> BusVisit:
    visit = session.get(BusVisit, visit_id)
    if visit is None:
        raise BusVisitNotFound(f"Aucun passage du bus n'a l'identifiant {visit_id}.")
    return visit


def get_bus_stop(session: Session, stop_id: int) -> BusStop:
    stop = session.get(BusStop, stop_id)
    if stop is None:
        raise BusStopNotFound(f"Aucun arrêt du bus n'a l'identifiant {stop_id}.")
    return stop


def _reason(reason: str, field: str = "reason") -> str:
    text = " ".join(reason.split())
    if not text:
        message = "Le motif est obligatoire : il est affiché au public."
        raise InvalidBusSchedule(message, {field: [message]})
    if len(text) > MAX_REASON_LENGTH:
        message = f"Le motif dépasse {MAX_REASON_LENGTH} caractères."
        raise InvalidBusSchedule(message, {field: [message]})
    return text


def _note(note: str | None) -> str | None:
    return " ".join(note.split()) or None if note is not None else None


def _check_window(starts_at: datetime, ends_at: datetime) -> None:
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        message = "Les heures doivent porter leur fuseau horaire."
        raise InvalidBusSchedule(message, {"starts_at": [message]})
    if ends_at <= starts_at:
        message = "La fin du passage doit être après son début."
        raise InvalidBusSchedule(message, {"ends_at": [message]})
    if ends_at - starts_at > timedelta(hours=14):
        message = "Un passage dure au plus 14 heures."
        raise InvalidBusSchedule(message, {"ends_at": [message]})


def check_visit_to_come(visit: BusVisit, now: datetime) -> None:
    """Past and started visits stay as they were: the history of the bus is not rewritten."""
    if visit.starts_at <= now:
        message = "Ce passage a commencé ou est passé : il ne se modifie plus."
        raise InvalidBusSchedule(message, {"visit_id": [message]})


def _visit_to_come(session: Session, visit_id: int, now: datetime) -> BusVisit:
    visit = get_bus_visit(session, visit_id)
    check_visit_to_come(visit, now)
    return visit


def cancel_visit(session: Session, visit_id: int, reason: str, *, now: datetime) -> BusVisit:
    """Cancel a visit to come; it stays listed as cancelled, with its reason shown publicly."""
    visit = _visit_to_come(session, visit_id, now)
    visit.status = CANCELLED
    visit.change_reason = _reason(reason)
    visit.is_edited = True
    session.flush()
    return visit


def move_visit(
    session: Session,
    visit_id: int,
    *,
    starts_at: datetime,
    ends_at: datetime,
    reason: str,
    now: datetime,
    stop_id: int | None = None,
) -> BusVisit:
    """Move a visit to come to a later time (and stop of the same route); the reason is
    public."""
    visit = _visit_to_come(session, visit_id, now)
    _check_window(starts_at, ends_at)
    if starts_at <= now:
        message = "Un passage se déplace vers une date à venir."
        raise InvalidBusSchedule(message, {"starts_at": [message]})
    if stop_id is not None and stop_id != visit.stop_id:
        stop = get_bus_stop(session, stop_id)
        if stop.route_id != visit.stop.route_id:
            message = "Le nouvel arrêt doit appartenir à la même tournée."
            raise InvalidBusSchedule(message, {"stop_id": [message]})
        visit.stop_id = stop.id
    visit.starts_at, visit.ends_at = starts_at, ends_at
    visit.status = PLANNED
    visit.change_reason = _reason(reason)
    visit.is_edited = True
    session.flush()
    return visit


def add_extra_visit(
    session: Session,
    stop_id: int,
    *,
    starts_at: datetime,
    ends_at: datetime,
    note: str | None = None,
    right_slugs: Sequence[str] = (),
    partner_ids: Sequence[int] = (),
) -> BusVisit:
    """A visit outside the rules (no rule date): regeneration never touches it."""
    stop = get_bus_stop(session, stop_id)
    _check_window(starts_at, ends_at)
    visit = BusVisit(
        stop_id=stop.id,
        starts_at=starts_at,
        ends_at=ends_at,
        status=PLANNED,
        note=_note(note),
        is_edited=True,
    )
    visit.rights = list_rights(session, right_slugs)
    visit.partners = list_partners(session, partner_ids)
    session.add(visit)
    session.flush()
    return visit


def set_on_board(
    session: Session,
    visit_id: int,
    *,
    right_slugs: Sequence[str],
    partner_ids: Sequence[int],
    now: datetime,
) -> BusVisit:
    """What is on board one visit to come (rights handled, partners present): an edit."""
    visit = _visit_to_come(session, visit_id, now)
    visit.rights = list_rights(session, right_slugs)
    visit.partners = list_partners(session, partner_ids)
    visit.is_edited = True
    session.flush()
    return visit


def restore_visit(session: Session, visit_id: int, *, now: datetime) -> BusVisit:
    """Undo the edits of a generated visit to come: the next generation follows its rule
    again."""
    visit = _visit_to_come(session, visit_id, now)
    if visit.schedule_id is None:
        message = "Un passage supplémentaire n'a pas de règle à suivre : supprimez-le."
        raise InvalidBusSchedule(message, {"visit_id": [message]})
    visit.is_edited = False
    visit.status = PLANNED
    visit.change_reason = None
    session.flush()
    return visit


def list_rights(session: Session, slugs: Sequence[str]) -> list[Right]:
    wanted = list(dict.fromkeys(slugs))
    if not wanted:
        return []
    found = {r.slug: r for r in session.scalars(select(Right).where(Right.slug.in_(wanted)))}
    unknown = [slug for slug in wanted if slug not in found]
    if unknown:
        message = f"Droit(s) inconnu(s) : {', '.join(unknown)}."
        raise InvalidBusSchedule(message, {"rights": [message]})
    return [found[slug] for slug in sorted(wanted)]


def list_partners(session: Session, partner_ids: Sequence[int]) -> list[Partner]:
    wanted = list(dict.fromkeys(partner_ids))
    if not wanted:
        return []
    found = {p.id: p for p in session.scalars(select(Partner).where(Partner.id.in_(wanted)))}
    unknown = [str(pid) for pid in wanted if pid not in found]
    if unknown:
        message = f"Partenaire(s) inconnu(s) : {', '.join(unknown)}."
        raise InvalidBusSchedule(message, {"partners": [message]})
    return [found[pid] for pid in sorted(wanted)]
