"""Generating dated visits from recurrence rules, and the edits that regeneration keeps, on
both backends at frozen instants. Every route here is a made-up fixture named "[Test] …"."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.models import Partner
from routing.bus.models import BusVisit
from routing.bus.schedule import (
    add_extra_visit,
    cancel_visit,
    generate_visits,
    list_rights,
    move_visit,
    restore_visit,
    set_on_board,
)
from routing.bus.visits import list_bus_visits
from routing.errors import BusVisitNotFound, InvalidBusSchedule
from tests.routing.factories import make_bus_route, make_bus_schedule, make_bus_stop

PARIS = ZoneInfo("Europe/Paris")
ARRAS, BEAURAINS = "62041", "62099"
NOW = datetime(2026, 3, 1, 8, 0, tzinfo=PARIS)


def paris(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=PARIS)


def tuesdays_route(session: Session, *, holiday_rule: str = "skip"):  # type: ignore[no-untyped-def]
    route = make_bus_route(session, name="[Test] Tournée des mardis", holiday_rule=holiday_rule)
    stop = make_bus_stop(session, route, insee_code=ARRAS, code="arras")
    schedule = make_bus_schedule(
        session, stop, rule="FREQ=MONTHLY;BYDAY=2TU,4TU", starts_on=date(2026, 1, 1),
        start_time=time(9), end_time=time(12), note="[Test] Sans rendez-vous",
    )  # fmt: skip
    return route, stop, schedule


def visits_of(session: Session, route_id: int) -> list[BusVisit]:
    return list(
        session.scalars(
            select(BusVisit)
            .join(BusVisit.stop)
            .where(BusVisit.stop.has(route_id=route_id))
            .order_by(BusVisit.starts_at)
        )
    )


def test_generation_creates_dated_visits_up_to_the_horizon_and_is_idempotent(
    session: Session,
) -> None:
    route, _, schedule = tuesdays_route(session)
    first = generate_visits(session, now=NOW, route_ids=[route.id], horizon=timedelta(days=60))
    visits = visits_of(session, route.id)
    assert [v.starts_at.astimezone(PARIS) for v in visits] == [
        paris(3, 10, 9), paris(3, 24, 9), paris(4, 14, 9), paris(4, 28, 9),
    ]  # fmt: skip
    assert {v.note for v in visits} == {"[Test] Sans rendez-vous"}
    assert {v.schedule_id for v in visits} == {schedule.id}
    assert first.created == 4
    again = generate_visits(session, now=NOW, route_ids=[route.id], horizon=timedelta(days=60))
    assert (again.created, again.updated, again.unchanged, again.deleted) == (0, 0, 4, 0)
    assert [v.id for v in visits_of(session, route.id)] == [v.id for v in visits]


def test_edits_survive_regeneration_and_unedited_visits_follow_the_rule(
    session: Session,
) -> None:
    route, stop, schedule = tuesdays_route(session)
    generate_visits(session, now=NOW, route_ids=[route.id], horizon=timedelta(days=60))
    v10, v24, a14, a28 = visits_of(session, route.id)
    cancel_visit(session, v10.id, "  Panne du véhicule  ", now=NOW)
    move_visit(
        session, v24.id, starts_at=paris(3, 26, 14), ends_at=paris(3, 26, 17),
        reason="Marché sur la place le mardi", now=NOW,
    )  # fmt: skip
    extra = add_extra_visit(
        session, stop.id, starts_at=paris(4, 2, 9), ends_at=paris(4, 2, 11), note="Forum emploi"
    )
    # The coordinator changes the rule: afternoons from now on, and only the 2nd Tuesday.
    schedule.start_time, schedule.end_time = time(14), time(16)
    schedule.rule = "FREQ=MONTHLY;BYDAY=2TU"
    counts = generate_visits(session, now=NOW, route_ids=[route.id], horizon=timedelta(days=60))
    assert (counts.updated, counts.deleted, counts.kept_edited) == (1, 1, 2)
    by_id = {v.id: v for v in visits_of(session, route.id)}
    assert a28.id not in by_id  # no longer given by the rule, not edited: removed
    assert by_id[v10.id].status == "cancelled"
    assert by_id[v10.id].change_reason == "Panne du véhicule"
    assert by_id[v10.id].starts_at == paris(3, 10, 9)  # an edited visit keeps its time
    assert by_id[v24.id].starts_at == paris(3, 26, 14)
    assert by_id[v24.id].change_reason == "Marché sur la place le mardi"
    assert by_id[a14.id].starts_at == paris(4, 14, 14)
    assert by_id[extra.id].schedule_id is None and by_id[extra.id].note == "Forum emploi"
    listed = {v.visit_id: v for v in list_bus_visits(session, after=NOW, route_id=route.id)}
    assert listed[extra.id].is_extra and not listed[a14.id].is_extra
    assert listed[v10.id].is_cancelled and listed[v10.id].change_reason == "Panne du véhicule"
    # Restoring the cancelled visit makes it follow the (new) rule again.
    restore_visit(session, v10.id, now=NOW)
    generate_visits(session, now=NOW, route_ids=[route.id], horizon=timedelta(days=60))
    session.refresh(by_id[v10.id])
    assert by_id[v10.id].status == "planned" and by_id[v10.id].starts_at == paris(3, 10, 14)


def test_visits_that_have_started_are_never_regenerated(session: Session) -> None:
    route, _, schedule = tuesdays_route(session)
    generate_visits(session, now=NOW, route_ids=[route.id], horizon=timedelta(days=60))
    first = visits_of(session, route.id)[0]
    schedule.start_time = time(10)
    later = paris(3, 10, 10)  # during the first visit
    generate_visits(session, now=later, route_ids=[route.id], horizon=timedelta(days=60))
    session.refresh(first)
    assert first.starts_at == paris(3, 10, 9)
    assert visits_of(session, route.id)[1].starts_at == paris(3, 24, 10)


def test_a_public_holiday_cancels_the_visit_with_a_public_reason(session: Session) -> None:
    route = make_bus_route(session, name="[Test] Tournée du lundi")
    stop = make_bus_stop(session, route, insee_code=BEAURAINS)
    make_bus_schedule(
        session, stop, rule="FREQ=WEEKLY;BYDAY=MO", starts_on=date(2026, 3, 30),
        ends_on=date(2026, 4, 13), start_time=time(9), end_time=time(12),
    )  # fmt: skip
    generate_visits(session, now=NOW, route_ids=[route.id])
    listed = list_bus_visits(session, after=NOW, route_id=route.id)
    assert [(v.starts_at.astimezone(PARIS).date(), v.status) for v in listed] == [
        (date(2026, 3, 30), "planned"),
        (date(2026, 4, 6), "cancelled"),
        (date(2026, 4, 13), "planned"),
    ]
    assert listed[1].change_reason == "Jour férié (Lundi de Pâques) : pas de passage."
    active = list_bus_visits(session, after=NOW, route_id=route.id, include_cancelled=False)
    assert len(active) == 2


def test_a_route_that_moves_holiday_visits_gets_them_the_next_working_day(
    session: Session,
) -> None:
    route = make_bus_route(session, name="[Test] Tournée du lundi", holiday_rule="next-working-day")
    stop = make_bus_stop(session, route, insee_code=BEAURAINS)
    make_bus_schedule(
        session, stop, rule="FREQ=WEEKLY;BYDAY=MO", starts_on=date(2026, 4, 6),
        ends_on=date(2026, 4, 6), start_time=time(9), end_time=time(12),
    )  # fmt: skip
    generate_visits(session, now=NOW, route_ids=[route.id])
    (visit,) = list_bus_visits(session, after=NOW, route_id=route.id)
    assert visit.starts_at == paris(4, 7, 9) and visit.status == "planned"
    assert visit.occurrence_on == date(2026, 4, 6)
    assert "déplacé au 07/04/2026" in (visit.change_reason or "")


def test_what_is_on_board_comes_from_the_rule_and_can_be_edited_per_visit(
    session: Session,
) -> None:
    france_services = session.scalars(
        select(Partner).where(Partner.kind == "france-services").order_by(Partner.id).limit(2)
    ).all()
    route, _, schedule = tuesdays_route(session)
    schedule.rights = list_rights(session, ["rsa", "prime-activite"])
    schedule.partners = [france_services[0]]
    generate_visits(session, now=NOW, route_ids=[route.id], horizon=timedelta(days=30))
    first, second = list_bus_visits(session, after=NOW, route_id=route.id)
    assert [r.slug for r in first.rights] == ["prime-activite", "rsa"]
    assert [p.partner_id for p in first.partners] == [france_services[0].id]
    set_on_board(
        session, second.visit_id, right_slugs=["aah"], partner_ids=[france_services[1].id], now=NOW
    )
    schedule.rights = list_rights(session, ["rsa"])
    generate_visits(session, now=NOW, route_ids=[route.id], horizon=timedelta(days=30))
    first, second = list_bus_visits(session, after=NOW, route_id=route.id)
    assert [r.slug for r in first.rights] == ["rsa"]
    assert [r.slug for r in second.rights] == ["aah"]
    assert [p.partner_id for p in second.partners] == [france_services[1].id]


def test_edits_are_checked(session: Session) -> None:
    route, stop, _ = tuesdays_route(session)
    generate_visits(session, now=NOW, route_ids=[route.id], horizon=timedelta(days=30))
    visit = visits_of(session, route.id)[0]
    with pytest.raises(InvalidBusSchedule) as caught:
        cancel_visit(session, visit.id, "   ", now=NOW)
    assert "reason" in caught.value.field_errors
    with pytest.raises(InvalidBusSchedule):
        move_visit(
            session,
            visit.id,
            starts_at=paris(3, 11, 12),
            ends_at=paris(3, 11, 9),
            reason="x",
            now=NOW,
        )
    with pytest.raises(InvalidBusSchedule) as caught:
        set_on_board(session, visit.id, right_slugs=["droit-inexistant"], partner_ids=[], now=NOW)
    assert "droit-inexistant" in caught.value.message
    with pytest.raises(InvalidBusSchedule):
        set_on_board(session, visit.id, right_slugs=[], partner_ids=[2_000_000_000], now=NOW)
    with pytest.raises(BusVisitNotFound):
        cancel_visit(session, 2_000_000_000, "Panne", now=NOW)
    other = make_bus_route(session, name="[Test] Autre tournée")
    elsewhere = make_bus_stop(session, other, insee_code=BEAURAINS)
    with pytest.raises(InvalidBusSchedule) as caught:
        move_visit(
            session, visit.id, starts_at=paris(3, 11, 9), ends_at=paris(3, 11, 12),
            reason="Travaux", stop_id=elsewhere.id, now=NOW,
        )  # fmt: skip
    assert "stop_id" in caught.value.field_errors
    assert stop.id == visit.stop_id


def test_a_visit_that_has_started_is_not_edited_by_the_domain_either(session: Session) -> None:
    route, _, _ = tuesdays_route(session)
    generate_visits(session, now=NOW, route_ids=[route.id], horizon=timedelta(days=30))
    first, second = visits_of(session, route.id)
    during = paris(3, 10, 10)  # the first visit (10 March, 9:00–12:00) has started
    edits = {
        "annuler": lambda: cancel_visit(session, first.id, "Panne", now=during),
        "déplacer": lambda: move_visit(
            session,
            first.id,
            starts_at=paris(3, 12, 9),
            ends_at=paris(3, 12, 12),
            reason="Travaux",
            now=during,
        ),
        "rétablir": lambda: restore_visit(session, first.id, now=during),
        "à bord": lambda: set_on_board(
            session, first.id, right_slugs=["rsa"], partner_ids=[], now=during
        ),
    }
    for name, edit in edits.items():
        with pytest.raises(InvalidBusSchedule) as caught:
            edit()
        assert caught.value.field_errors == {
            "visit_id": ["Ce passage a commencé ou est passé : il ne se modifie plus."]
        }, name
    session.refresh(first)
    assert (first.status, first.starts_at, first.is_edited, first.rights) == (
        "planned", paris(3, 10, 9), False, [],
    )  # fmt: skip
    # A visit to come is not moved into the past either.
    with pytest.raises(InvalidBusSchedule) as caught:
        move_visit(
            session, second.id, starts_at=paris(3, 10, 9), ends_at=paris(3, 10, 11),
            reason="Travaux", now=during,
        )  # fmt: skip
    assert caught.value.message == "Un passage se déplace vers une date à venir."
    assert cancel_visit(session, second.id, "Panne", now=during).status == "cancelled"
