"""The bus des droits in the back office: each role on a route of the 62, by URL too;
visits cancelled, moved, added; a rule and a stop edited; the schedule file's dry run and
application; a proposed month published. The public page and the calendar follow at once,
and every write is in the route's audit trail. Routes here are made up ("[Test] …")."""

from __future__ import annotations

import io
from datetime import time, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from admin.models import AuditEntry
from geodata.data_files import DATA_DIR
from routing.bus.models import CANCELLED, BusRoute, BusVisit
from routing.bus.schedule import generate_visits
from tests.admin.conftest import csrf_token, make_user
from tests.admin.scenario import Scenario, build_scenario
from tests.routing.factories import make_bus_route, make_bus_schedule, make_bus_stop
from web.schemas.instants import now

PARIS = ZoneInfo("Europe/Paris")
ARRAS, DAINVILLE = "62041", "62263"


@pytest.fixture
def scenario(admin_app: Flask, db: Session) -> Scenario:
    found = build_scenario(admin_app, db)
    found.users["gestionnaire-31"] = make_user(
        db, "gestionnaire", email="g31@exemple.test", areas=[("departement", "31")]
    )
    return found


@pytest.fixture
def route(db: Session) -> BusRoute:
    """A made-up route of the 62: two stops, a weekday rule from today, visits generated."""
    found = make_bus_route(db, name="[Test] Bus des droits de l'Arrageois", code="test-bus")
    arras = make_bus_stop(db, found, insee_code=ARRAS, code="arras", name="[Test] Place")
    make_bus_stop(db, found, insee_code=DAINVILLE, code="dainville", name="[Test] Mairie")
    make_bus_schedule(
        db,
        arras,
        rule="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
        starts_on=now().date(),
        start_time=time(9),
        end_time=time(12),
    )
    generate_visits(db, now=now(), route_ids=[found.id], horizon=timedelta(days=30))
    db.commit()
    return found


def next_visit(db: Session, route: BusRoute) -> BusVisit:
    db.expire_all()
    query = (
        select(BusVisit)
        .join(BusVisit.stop)
        .where(BusVisit.stop.has(route_id=route.id), BusVisit.starts_at > now())
        .order_by(BusVisit.starts_at)
    )
    visit = db.scalars(query).first()
    assert visit is not None
    return visit


def post(client: FlaskClient, path: str, data: dict[str, object]) -> object:
    return client.post(path, data={"csrf_token": csrf_token(client, "/admin/"), **data})


def audit_of(db: Session, route: BusRoute) -> list[AuditEntry]:
    db.expire_all()
    query = select(AuditEntry).where(AuditEntry.subject == f"bus-route:{route.id}")
    return list(db.scalars(query.order_by(AuditEntry.id)))


def test_a_coordinator_cancels_a_visit_and_the_public_page_and_calendar_show_it_at_once(
    scenario: Scenario, db: Session, route: BusRoute
) -> None:
    visit = next_visit(db, route)
    client = scenario.client_for("coordinateur-bus")
    assert client.get(f"/admin/bus/tournees/{route.id}").status_code == 200
    response = post(
        client,
        f"/admin/bus/passages/{visit.id}/annuler",
        {"reason": "[Test] Bus en panne, passage annulé"},
    )
    assert response.status_code == 302  # type: ignore[attr-defined]
    db.expire_all()
    assert (visit.status, visit.change_reason) == (CANCELLED, "[Test] Bus en panne, passage annulé")
    public = scenario.app.test_client()
    assert "[Test] Bus en panne, passage annulé" in public.get("/bus").text
    calendar = public.get(f"/api/v1/bus/{route.id}.ics").text
    assert f"UID:bus-visit-{visit.id}@" in calendar and "STATUS:CANCELLED" in calendar
    (entry,) = audit_of(db, route)
    assert entry.actor == scenario.users["coordinateur-bus"].email
    assert entry.changes["status"] == ["Prévu", "Annulé"]


@pytest.mark.parametrize(
    ("role", "page", "write"),
    [
        ("administrateur", 200, 302),
        ("coordinateur-bus", 200, 302),
        ("gestionnaire", 200, 302),  # every stop of the route lies in the 62
        ("gestionnaire-31", 403, 403),
        ("referent", 403, 403),
    ],
)
def test_each_role_reaches_a_route_only_where_it_may_and_a_refused_write_changes_nothing(
    scenario: Scenario, db: Session, route: BusRoute, role: str, page: int, write: int
) -> None:
    client = scenario.client_for(role)
    visit = next_visit(db, route)
    assert client.get(f"/admin/bus/tournees/{route.id}").status_code == page
    assert client.get(f"/admin/bus/passages/{visit.id}").status_code == page
    response = post(client, f"/admin/bus/passages/{visit.id}/annuler", {"reason": "[Test] X"})
    assert response.status_code == write  # type: ignore[attr-defined]
    if write != 403:
        return
    for path in (
        f"/admin/bus/tournees/{route.id}",
        f"/admin/bus/arrets/{route.stops[0].id}",
        f"/admin/bus/tournees/{route.id}/passages",
        f"/admin/bus/arrets/{route.stops[0].id}/regles/nouvelle",
    ):
        assert post(client, path, {"name": "[Test] Renommé"}).status_code == 403  # type: ignore[attr-defined]
    db.expire_all()
    if write == 403:
        assert visit.status != CANCELLED and route.name == "[Test] Bus des droits de l'Arrageois"
        assert audit_of(db, route) == []


@pytest.mark.parametrize("role", ["gestionnaire", "referent"])
def test_loading_a_schedule_and_publishing_a_month_are_refused_outside_the_bus_roles(
    scenario: Scenario, role: str
) -> None:
    client = scenario.client_for(role)
    for path in ("/admin/bus/import", "/admin/bus/publier"):
        assert client.get(path).status_code == 403
        assert post(client, path, {}).status_code == 403  # type: ignore[attr-defined]


def test_a_bus_write_without_csrf_token_is_refused(
    scenario: Scenario, db: Session, route: BusRoute
) -> None:
    client = scenario.client_for("coordinateur-bus")
    visit = next_visit(db, route)
    response = client.post(f"/admin/bus/passages/{visit.id}/annuler", data={"reason": "[Test] X"})
    assert response.status_code == 400
    db.expire_all()
    assert visit.status != CANCELLED


def test_a_move_without_reason_is_refused_next_to_the_field_then_a_move_and_an_extra_visit_work(
    scenario: Scenario, db: Session, route: BusRoute
) -> None:
    client = scenario.client_for("coordinateur-bus")
    visit = next_visit(db, route)
    day = (now() + timedelta(days=40)).astimezone(PARIS).date().isoformat()
    dainville = route.stops[1].id
    move = {"stop_id": dainville, "day": day, "starts_at": "14:00", "ends_at": "16:30"}
    refused = post(client, f"/admin/bus/passages/{visit.id}/deplacer", move)
    assert refused.status_code == 422  # type: ignore[attr-defined]
    assert 'id="move_reason-error"' in refused.text  # type: ignore[attr-defined]
    assert "Le motif est obligatoire" in refused.text  # type: ignore[attr-defined]
    moved = post(
        client,
        f"/admin/bus/passages/{visit.id}/deplacer",
        {**move, "move_reason": "[Test] Marché sur la place"},
    )
    assert moved.status_code == 302  # type: ignore[attr-defined]
    db.expire_all()
    starts = visit.starts_at.astimezone(PARIS)
    assert (visit.stop_id, starts.date().isoformat(), starts.hour) == (dainville, day, 14)
    added = post(
        client,
        f"/admin/bus/tournees/{route.id}/passages",
        {
            "stop_id": dainville,
            "day": day,
            "starts_at": "09:00",
            "ends_at": "11:00",
            "note": "[Test] Passage en plus",
            "rights": ["rsa"],
        },
    )
    assert added.status_code == 302  # type: ignore[attr-defined]
    assert "[Test] Passage en plus" in scenario.app.test_client().get("/bus").text
    assert [e.action for e in audit_of(db, route)] == ["bus-visit", "bus-visit"]


def test_a_rule_and_a_stop_are_edited_through_their_forms(
    scenario: Scenario, db: Session, route: BusRoute
) -> None:
    client = scenario.client_for("coordinateur-bus")
    dainville = route.stops[1]
    start = (now() + timedelta(days=1)).astimezone(PARIS).date()
    bad = post(
        client,
        f"/admin/bus/arrets/{dainville.id}/regles/nouvelle",
        {
            "rule": "FREQ=HOURLY",
            "starts_on": start.isoformat(),
            "start_time": "09:00",
            "end_time": "12:00",
        },
    )
    assert bad.status_code == 422 and "FREQ doit valoir" in bad.text  # type: ignore[attr-defined]
    good = post(
        client,
        f"/admin/bus/arrets/{dainville.id}/regles/nouvelle",
        {
            "rule": "FREQ=DAILY;COUNT=2",
            "starts_on": start.isoformat(),
            "start_time": "13:30",
            "end_time": "15:00",
            "rights": ["rsa"],
        },
    )
    assert good.status_code == 302  # type: ignore[attr-defined]
    db.expire_all()
    assert len(dainville.visits) == 2 and [r.slug for r in dainville.visits[0].rights] == ["rsa"]
    outside = post(
        client,
        f"/admin/bus/arrets/{dainville.id}",
        {"name": "[Test] Mairie", "insee_code": DAINVILLE, "lon": "50.29", "lat": "2.73"},
    )
    assert outside.status_code == 422  # type: ignore[attr-defined]
    moved = post(
        client,
        f"/admin/bus/arrets/{dainville.id}",
        {
            "name": "[Test] Parking de la mairie",
            "insee_code": DAINVILLE,
            "lon": "2.7301",
            "lat": "50.2851",
        },
    )
    assert moved.status_code == 302  # type: ignore[attr-defined]
    last = audit_of(db, route)[-1]
    assert last.action == "bus-stop" and "stops" in last.changes


def test_a_schedule_file_is_simulated_without_writing_then_applied_in_one_go(
    scenario: Scenario, db: Session
) -> None:
    client = scenario.client_for("coordinateur-bus")
    example = (DATA_DIR / "examples" / "bus_des_droits_exemple.csv").read_bytes()
    broken = example.replace(b"FREQ=", b"FREQUENCE=", 1)
    refused = client.post(
        "/admin/bus/import",
        data={
            "csrf_token": csrf_token(client, "/admin/bus/import"),
            "file": (io.BytesIO(broken), "casse.csv"),
        },
        follow_redirects=True,
    )
    assert "fichier refusé" in refused.text and "Appliquer l'import" not in refused.text
    uploaded = client.post(
        "/admin/bus/import",
        data={
            "csrf_token": csrf_token(client, "/admin/bus/import"),
            "file": (io.BytesIO(example), "exemple.csv"),
        },
    )
    dry_run_path = uploaded.headers["Location"]
    page = client.get(dry_run_path).text
    assert "Simulation : rien n'a encore été enregistré." in page
    db.expire_all()
    assert db.scalar(select(BusRoute).where(BusRoute.code == "exemple-arrageois-sud")) is None
    fingerprint = page.split('name="empreinte" value="')[1].split('"')[0]
    applied = client.post(
        f"{dry_run_path}/appliquer",
        data={"csrf_token": csrf_token(client, dry_run_path), "empreinte": fingerprint},
    )
    assert applied.status_code == 302
    db.expire_all()
    loaded = db.scalar(
        select(BusRoute).where(BusRoute.is_demo.is_(True), BusRoute.name.like("Exemple fictif%"))
    )
    assert loaded is not None and len(loaded.stops) == 4
    assert audit_of(db, loaded)[0].action == "bus-import"


def test_a_proposed_month_is_published_as_dated_visits_of_a_new_route(
    scenario: Scenario, db: Session
) -> None:
    client = scenario.client_for("coordinateur-bus")
    query = "epci=200033579&threshold_min=10&month=2027-02&stops=2&half_days=2"
    page = client.get(f"/admin/bus/publier?{query}")
    assert page.status_code == 200 and "Publier les passages" in page.text
    published = post(
        client,
        f"/admin/bus/publier?{query}",
        {"route_code": "test-plan", "route_name": "[Test] Bus planifié", "example": "1"},
    )
    assert published.status_code == 302  # type: ignore[attr-defined]
    db.expire_all()
    created = db.scalar(select(BusRoute).where(BusRoute.code == "test-plan"))
    assert created is not None and created.is_demo
    days = {v.starts_at.astimezone(PARIS).date() for s in created.stops for v in s.visits}
    assert days and all(day.strftime("%Y-%m") == "2027-02" for day in days)
