"""What the audit log keeps of a bus route and of a visit: plain JSON values, local times,
compared field by field like a partner's (`admin.audit.changed_fields`)."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from admin.audit import Actor, record
from geodata import spatial
from routing.bus.models import HOLIDAY_RULE_LABELS, VISIT_STATUS_LABELS, BusRoute, BusStop, BusVisit
from routing.bus.schedule import stop_place


def route_subject(route_id: int) -> str:
    return f"bus-route:{route_id}"


def stop_point(session: Session, stop: BusStop) -> tuple[float, float]:
    lon, lat = spatial.lon_lat_of(BusStop.location)
    row = session.execute(select(lon, lat).where(BusStop.id == stop.id)).one()
    return (float(row[0]), float(row[1]))


def route_snapshot(session: Session, route: BusRoute) -> dict[str, Any]:
    stops, rules = [], []
    for stop in route.stops:
        lon, lat = stop_point(session, stop)
        stops.append(
            f"{stop.name} — {stop.street or 'sans adresse'} ({stop.insee_code}) "
            f"[{lon:.6f}, {lat:.6f}]"
        )
        for rule in stop.schedules:
            rights = "|".join(r.slug for r in rule.rights)
            partners = "|".join(str(p.id) for p in rule.partners)
            rules.append(
                f"{stop.name} : {rule.rule} du {rule.starts_on.isoformat()}"
                f"{' au ' + rule.ends_on.isoformat() if rule.ends_on else ''}, "
                f"{rule.start_time:%H:%M}–{rule.end_time:%H:%M}"
                + (f", droits {rights}" if rights else "")
                + (f", partenaires {partners}" if partners else "")
                + (f" — {rule.note}" if rule.note else "")
            )
    return {
        "name": route.name,
        "description": route.description,
        "holiday_rule": HOLIDAY_RULE_LABELS.get(route.holiday_rule, route.holiday_rule),
        "stops": stops,
        "rules": rules,
    }


def route_snapshots(session: Session) -> dict[int, dict[str, Any]]:
    """Every route's snapshot, by id: taken before a write that may touch many routes."""
    return {route.id: route_snapshot(session, route) for route in session.scalars(select(BusRoute))}


def record_route_changes(
    session: Session, actor: Actor, before: dict[int, dict[str, Any]], action: str, what: str
) -> int:
    """One audit entry per route the write created or changed; returns how many."""
    session.expire_all()
    written = 0
    for route_id, after in route_snapshots(session).items():
        if before.get(route_id) != after:
            record(
                session,
                actor,
                action,
                f"{what} : {after['name']}",
                subject=route_subject(route_id),
                before=before.get(route_id),
                after=after,
            )
            written += 1
    return written


def visit_snapshot(session: Session, visit: BusVisit) -> dict[str, Any]:
    zone: ZoneInfo = stop_place(session, visit.stop.insee_code).zone
    return {
        "visit": f"{visit.starts_at.astimezone(zone):%d/%m/%Y %H:%M}–"
        f"{visit.ends_at.astimezone(zone):%H:%M}",
        "stop": visit.stop.name,
        "status": VISIT_STATUS_LABELS.get(visit.status, visit.status),
        "change_reason": visit.change_reason,
        "note": visit.note,
        "rights": [r.slug for r in visit.rights],
        "partners": [p.id for p in visit.partners],
    }


BUS_FIELD_LABELS = {
    "name": "nom",
    "description": "note publique",
    "holiday_rule": "jours fériés",
    "stops": "arrêts",
    "rules": "règles de passage",
    "visit": "passage",
    "stop": "arrêt",
    "status": "état",
    "change_reason": "motif public",
    "note": "note",
    "rights": "droits traités",
    "partners": "partenaires présents",
}
