"""Publishing a proposed month as dated visits of a route (« publier » in the back office,
or ``bus publish-plan``).

Each planned visit becomes a one-date rule (``FREQ=DAILY;COUNT=1``) coded
``plan-AAAA-MM-NN`` at a stop coded by its commune: the visits are then ordinary generated
visits (editable, kept across regeneration, in the calendars). Publishing the same month
again updates that month's plan rules in place (a visit keeps its id, hence its calendar
UID, while its rule keeps its code) and deletes those the new plan no longer has, with
their visits to come.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from geoalchemy2.shape import from_shape
from shapely.geometry import Point
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from geodata.models import SRID
from routing.bus.models import HOLIDAY_SKIP, BusRoute, BusSchedule, BusStop, BusVisit
from routing.bus.planning.month import MonthPlan
from routing.bus.planning.territory import CommunePoint
from routing.bus.schedule import GenerationCounts, generate_visits
from routing.errors import InvalidBusSchedule

PLAN_SOURCE = "Plan calculé par Aiguillage (bus publish-plan)"
ONE_DATE_RULE = "FREQ=DAILY;COUNT=1"


@dataclass(frozen=True)
class PublishedPlan:
    route_id: int
    planned_visits: int
    rules_deleted: int
    visits: GenerationCounts


def _clock(seconds: int) -> time:
    return time(seconds // 3600, seconds % 3600 // 60)


def publish_plan(
    session: Session,
    plan: MonthPlan,
    *,
    route_code: str,
    now: datetime,
    route_name: str | None = None,
    is_demo: bool = False,
) -> PublishedPlan:
    """Write the plan's visits into the route (created when ``route_name`` is given)."""
    route = session.scalar(select(BusRoute).where(BusRoute.code == route_code))
    if route is None:
        if not route_name:
            message = f"Tournée « {route_code} » inconnue : donnez son nom pour la créer."
            raise InvalidBusSchedule(message, {"route": [message]})
        route = BusRoute(
            code=route_code,
            name=route_name,
            source=PLAN_SOURCE,
            is_demo=is_demo,
            holiday_rule=HOLIDAY_SKIP,
        )
        session.add(route)
        session.flush()
    month = plan.request.month
    prefix = f"plan-{month:%Y-%m}-"
    old = {
        schedule.code: schedule
        for schedule in session.scalars(
            select(BusSchedule)
            .join(BusStop, BusStop.id == BusSchedule.stop_id)
            .where(BusStop.route_id == route.id, BusSchedule.code.startswith(prefix))
        )
    }
    stops: dict[int, BusStop] = {}
    count = 0
    for tour in plan.day_tours():
        for visit in tour.visits:
            if visit.stop not in stops:
                stops[visit.stop] = _stop(session, route, plan.stop_of(visit.stop))
            count += 1
            code = f"{prefix}{count:02d}"
            values = {
                "stop_id": stops[visit.stop].id,
                "rule": ONE_DATE_RULE,
                "starts_on": tour.day.day,
                "ends_on": tour.day.day,
                "start_time": _clock(visit.arrival_s),
                "end_time": _clock(visit.departure_s),
            }
            schedule = old.pop(code, None)
            if schedule is None:
                session.add(BusSchedule(code=code, note=None, **values))
            else:  # same code: its visit keeps its id (and calendar UID) when regenerated
                for name, value in values.items():
                    setattr(schedule, name, value)
    for schedule in old.values():  # this month's new plan no longer has them
        session.execute(
            delete(BusVisit).where(BusVisit.schedule_id == schedule.id, BusVisit.starts_at > now),
            execution_options={"synchronize_session": False},
        )
        session.delete(schedule)
    session.flush()
    horizon = (
        max((tour.day.day for tour in plan.day_tours()), default=now.date())
        - now.date()
        + timedelta(days=2)
    )
    counts = generate_visits(
        session, now=now, route_ids=[route.id], horizon=max(horizon, timedelta(days=1))
    )
    return PublishedPlan(route.id, count, len(old), counts)


def _stop(session: Session, route: BusRoute, commune: CommunePoint) -> BusStop:
    code = f"commune-{commune.insee_code.lower()}"
    stop = session.scalar(select(BusStop).where(BusStop.route_id == route.id, BusStop.code == code))
    if stop is None:
        stop = BusStop(
            route_id=route.id,
            code=code,
            name=f"{commune.name} — près de la mairie",
            street=None,
            insee_code=commune.insee_code,
            location=from_shape(Point(commune.lon, commune.lat), srid=SRID),
        )
        session.add(stop)
        session.flush()
    return stop
