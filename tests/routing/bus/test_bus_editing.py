"""Editing the bus des droits one object at a time (the back office's operations), on both
backends at frozen instants. Every route here is a made-up fixture named "[Test] …"."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from routing.bus.editing import (
    RouteValues,
    RuleValues,
    StopValues,
    bus_fingerprint,
    create_rule,
    create_stop,
    delete_extra_visit,
    delete_rule,
    update_route,
    update_rule,
    update_stop,
)
from routing.bus.models import CANCELLED, BusVisit
from routing.bus.schedule import add_extra_visit, cancel_visit, generate_visits
from routing.errors import BusScheduleNotFound, InvalidBusSchedule
from tests.routing.factories import make_bus_route, make_bus_schedule, make_bus_stop

PARIS = ZoneInfo("Europe/Paris")
ARRAS = "62041"
NOW = datetime(2026, 4, 1, 8, 0, tzinfo=PARIS)


def visits_of(session: Session, stop_id: int) -> list[BusVisit]:
    query = select(BusVisit).where(BusVisit.stop_id == stop_id).order_by(BusVisit.starts_at)
    return list(session.scalars(query))


def local(visit: BusVisit) -> datetime:
    return visit.starts_at.astimezone(PARIS)


def test_a_new_rule_generates_its_visits_and_a_changed_rule_moves_them_but_not_edited_ones(
    session: Session,
) -> None:
    route = make_bus_route(session, name="[Test] Tournée éditée")
    stop = create_stop(
        session, route.id, StopValues("[Test] Place", None, ARRAS, (2.7775, 50.2910))
    )
    values = RuleValues(
        "FREQ=WEEKLY;BYDAY=TH",
        date(2026, 4, 1),
        date(2026, 4, 30),
        time(9),
        time(12),
        note="[Test] Sans rendez-vous",
    )
    schedule = create_rule(session, stop.id, values, now=NOW)
    visits = visits_of(session, stop.id)
    assert [local(v).date() for v in visits] == [date(2026, 4, d) for d in (2, 9, 16, 23, 30)]
    cancel_visit(session, visits[1].id, "[Test] Panne", now=NOW)

    update_rule(
        session,
        schedule.id,
        RuleValues(
            "FREQ=WEEKLY;BYDAY=TH", date(2026, 4, 1), date(2026, 4, 30), time(14), time(16, 30)
        ),
        now=NOW,
    )
    after = visits_of(session, stop.id)
    assert [(local(v).hour, v.status) for v in after] == [
        (14, "planned"),
        (9, CANCELLED),
        (14, "planned"),
        (14, "planned"),
        (14, "planned"),
    ]

    assert delete_rule(session, schedule.id, now=NOW) == 5
    assert visits_of(session, stop.id) == []
    with pytest.raises(BusScheduleNotFound):
        update_rule(session, schedule.id, values, now=NOW)


def test_a_holiday_rule_change_brings_the_visits_to_come_in_line_at_once(session: Session) -> None:
    route = make_bus_route(session, name="[Test] Tournée du 1er mai")
    stop = make_bus_stop(session, route, insee_code=ARRAS, code="arras")
    make_bus_schedule(
        session,
        stop,
        rule="FREQ=WEEKLY;BYDAY=FR",
        starts_on=date(2026, 4, 24),
        ends_on=date(2026, 5, 1),
        start_time=time(9),
        end_time=time(12),
    )
    generate_visits(session, now=NOW, route_ids=[route.id], horizon=timedelta(days=60))
    assert [v.status for v in visits_of(session, stop.id)] == ["planned", CANCELLED]

    update_route(
        session,
        route.id,
        RouteValues("[Test] Tournée du 1er mai", None, "next-working-day"),
        now=NOW,
    )
    moved = visits_of(session, stop.id)
    assert [(local(v).date(), v.status) for v in moved] == [
        (date(2026, 4, 24), "planned"),
        (date(2026, 5, 4), "planned"),
    ]


@pytest.mark.parametrize(
    ("values", "field"),
    [
        (RouteValues("  ", None, "skip"), "name"),
        (RouteValues("[Test] Nom", None, "jamais"), "holiday_rule"),
        (RouteValues("[Test] Nom\x07", None, "skip"), "name"),
    ],
)
def test_bad_route_values_are_refused_in_french_with_their_field(
    session: Session, values: RouteValues, field: str
) -> None:
    route = make_bus_route(session, name="[Test] Tournée")
    with pytest.raises(InvalidBusSchedule) as refused:
        update_route(session, route.id, values, now=NOW)
    assert field in refused.value.field_errors


@pytest.mark.parametrize(
    ("values", "field"),
    [
        (StopValues("[Test] Place", None, "99999", (2.7775, 50.291)), "insee_code"),
        (StopValues("[Test] Place", None, ARRAS, (50.291, 2.7775)), "location"),
        (StopValues("", None, ARRAS, (2.7775, 50.291)), "name"),
    ],
)
def test_bad_stops_are_refused_and_a_moved_stop_keeps_its_visits(
    session: Session, values: StopValues, field: str
) -> None:
    route = make_bus_route(session, name="[Test] Tournée")
    with pytest.raises(InvalidBusSchedule) as refused:
        create_stop(session, route.id, values)
    assert field in refused.value.field_errors


def test_moving_a_stop_keeps_its_code_and_visits_and_a_second_stop_gets_its_own_code(
    session: Session,
) -> None:
    route = make_bus_route(session, name="[Test] Tournée")
    first = create_stop(session, route.id, StopValues("[Test] Place", None, ARRAS, (2.77, 50.29)))
    twin = create_stop(session, route.id, StopValues("[Test] Place", None, ARRAS, (2.78, 50.29)))
    assert (first.code, twin.code) == ("test-place", "test-place-2")
    visit = add_extra_visit(
        session,
        first.id,
        starts_at=NOW + timedelta(days=2),
        ends_at=NOW + timedelta(days=2, hours=2),
    )
    update_stop(
        session,
        first.id,
        StopValues("[Test] Parking", "1 rue X", ARRAS, (2.7801, 50.2901)),
        now=NOW,
    )
    assert first.code == "test-place"
    assert [v.id for v in visits_of(session, first.id)] == [visit.id]


def test_only_extra_visits_to_come_are_deleted(session: Session) -> None:
    route = make_bus_route(session, name="[Test] Tournée")
    stop = make_bus_stop(session, route, insee_code=ARRAS, code="arras")
    make_bus_schedule(
        session,
        stop,
        rule="FREQ=DAILY;COUNT=1",
        starts_on=date(2026, 4, 2),
        start_time=time(9),
        end_time=time(12),
    )
    generate_visits(session, now=NOW, route_ids=[route.id])
    (generated,) = visits_of(session, stop.id)
    with pytest.raises(InvalidBusSchedule, match="annulez"):
        delete_extra_visit(session, generated.id, now=NOW)
    extra = add_extra_visit(
        session,
        stop.id,
        starts_at=NOW + timedelta(days=3),
        ends_at=NOW + timedelta(days=3, hours=1),
    )
    with pytest.raises(InvalidBusSchedule, match="passé"):
        delete_extra_visit(session, extra.id, now=NOW + timedelta(days=4))
    delete_extra_visit(session, extra.id, now=NOW)
    assert [v.id for v in visits_of(session, stop.id)] == [generated.id]


def test_the_fingerprint_the_answer_caches_follow_changes_with_a_cancellation(
    session: Session,
) -> None:
    route = make_bus_route(session, name="[Test] Tournée")
    stop = make_bus_stop(session, route, insee_code=ARRAS, code="arras")
    visit = add_extra_visit(
        session,
        stop.id,
        starts_at=NOW + timedelta(days=2),
        ends_at=NOW + timedelta(days=2, hours=2),
    )
    before = bus_fingerprint(session)
    assert bus_fingerprint(session) == before
    cancel_visit(session, visit.id, "[Test] Panne", now=NOW)
    assert bus_fingerprint(session) != before
