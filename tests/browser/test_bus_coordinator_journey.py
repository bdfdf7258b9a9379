"""The coordinateur du bus in Chromium: log in, open a route, cancel a visit by keyboard
with a public reason, and /bus shows it cancelled with that reason. The new back-office
pages (route, visit, stop with its map, rights claim) are screenshot at 320 px and at
desktop width, and audited by axe-core (no serious violation).

The shared live server serves the loaded database to other tests: this test makes its own
account and its own made-up route, and removes them (and their history) after."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import time, timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect
from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from admin.accounts import create_user, set_password
from admin.models import AuditEntry, User
from routing.bus.models import BusRoute, BusVisit
from routing.bus.schedule import generate_visits
from tests.browser.chromium import ARTIFACTS_DIR
from tests.routing.factories import make_bus_route, make_bus_schedule, make_bus_stop
from web.schemas.instants import now

pytestmark = [
    pytest.mark.browser,
    pytest.mark.parametrize("loaded_engine", ["spatialite"], indirect=True),
]

EMAIL = "coordination.navigateur@exemple.test"
ADMIN_EMAIL = "administration.navigateur@exemple.test"
PASSWORD = "une phrase de passe pour la coordination"
ROUTE = "[Test] Bus des droits du navigateur"
REASON = "[Test] Bus au contrôle technique : passage annulé"
WIDTHS = {"320": 320, "bureau": 1280}


@pytest.fixture
def own_route(loaded_engine: Engine) -> Iterator[tuple[int, int]]:
    """(route id, stop id) of a made-up route with weekday visits, removed afterwards."""
    with Session(loaded_engine) as session:
        for email, role in ((EMAIL, "coordinateur-bus"), (ADMIN_EMAIL, "administrateur")):
            set_password(session, create_user(session, email, role), PASSWORD)
        route = make_bus_route(session, name=ROUTE, code="test-navigateur")
        stop = make_bus_stop(session, route, insee_code="62041", name="[Test] Place du navigateur")
        make_bus_schedule(
            session,
            stop,
            rule="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
            starts_on=now().date(),
            start_time=time(9),
            end_time=time(12),
        )
        generate_visits(session, now=now(), route_ids=[route.id], horizon=timedelta(days=21))
        ids = (route.id, stop.id)
        session.commit()
    try:
        yield ids
    finally:
        with Session(loaded_engine) as session:
            session.execute(delete(AuditEntry).where(AuditEntry.actor.in_([EMAIL, ADMIN_EMAIL])))
            found = session.get(BusRoute, ids[0])
            if found is not None:
                session.delete(found)
            session.execute(delete(User).where(User.email.in_([EMAIL, ADMIN_EMAIL])))
            session.commit()


def _shots(page: Page, name: str) -> None:
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(ARTIFACTS_DIR / f"admin-bus-{name}-{label}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def _serious(page: Page) -> list[str]:
    violations = Axe().run(page).response["violations"]
    return [
        f"{v['id']} : {v['help']}" for v in violations if v["impact"] in {"serious", "critical"}
    ]


def _log_in(page: Page, email: str) -> None:
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def test_a_coordinator_cancels_a_visit_and_the_bus_page_shows_it_cancelled(
    page: Page, live_url: str, own_route: tuple[int, int], loaded_engine: Engine
) -> None:
    route_id, stop_id = own_route
    page.goto(f"{live_url}/admin/bus/tournees/{route_id}")
    _log_in(page, EMAIL)
    expect(page.get_by_role("heading", level=1)).to_contain_text(ROUTE)
    assert _serious(page) == []
    _shots(page, "tournee")

    page.get_by_role("link", name="Modifier le passage du").first.click()
    expect(page.get_by_role("heading", name="Annuler ce passage")).to_be_visible()
    assert _serious(page) == []
    _shots(page, "passage")
    reason = page.get_by_label("Motif, affiché au public").first
    reason.focus()
    page.keyboard.type(REASON)
    page.keyboard.press("Enter")  # the form is sent from the keyboard
    expect(page.get_by_role("status")).to_contain_text("Le passage est annulé")

    page.goto(f"{live_url}/bus?insee_code=62041")
    expect(page.locator("main")).to_contain_text(REASON)
    with Session(loaded_engine) as session:
        statuses = session.scalars(
            select(BusVisit.status).where(BusVisit.change_reason == REASON)
        ).all()
    assert statuses == ["cancelled"]

    page.goto(f"{live_url}/admin/bus/arrets/{stop_id}")
    expect(page.locator(".leaflet-marker-icon").first).to_be_visible()
    assert _serious(page) == []
    _shots(page, "arret")
    page.get_by_role("button", name="Se déconnecter").click()
    page.goto(f"{live_url}/admin/droits/rsa/summary")
    _log_in(page, ADMIN_EMAIL)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Résumé")
    assert _serious(page) == []
    _shots(page, "droit")
