"""The back office in Chromium: log in, edit a partner's hours with the live check, then
the public page and the API show the change and the search finds the place.

The shared live server serves the loaded database to other tests: this test makes its
own account and its own fictional partner, and removes both (and their history) after."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import Engine, delete
from sqlalchemy.orm import Session

from admin.accounts import create_user, set_password
from admin.models import AuditEntry, User
from directory.operations import create_partner, delete_partner
from directory.search import open_search_index
from directory.values import PartnerValues, ServiceValues
from tests.browser.chromium import ARTIFACTS_DIR

pytestmark = [
    pytest.mark.browser,
    pytest.mark.parametrize("loaded_engine", ["spatialite"], indirect=True),
]

EMAIL = "navigateur.test@exemple.test"
PASSWORD = "une phrase de passe pour le navigateur"
NAME = "[Test] Permanence Zebulon du navigateur"
HOURS = "Mo-Fr 10:00-12:15; PH off"


@pytest.fixture
def own_partner(loaded_engine: Engine, loaded_app: Flask) -> Iterator[int]:
    index = open_search_index(Path(loaded_app.config["SEARCH_INDEX_DIR"]))
    with Session(loaded_engine) as session:
        user = create_user(session, EMAIL, "administrateur")
        set_password(session, user, PASSWORD)
        values = PartnerValues(
            kind="association", name=NAME, source="tests-navigateur", is_demo=True,
            insee_code="62041", postcode="62000", city="Arras", location=(2.7760, 50.2890),
            opening_hours="Mo 09:00-10:00", verified_at=date.today(),
            services=(ServiceValues("rsa", "information"),), areas=(("commune", "62041"),),
        )  # fmt: skip
        partner_id = create_partner(session, index, values).id
        session.commit()
    try:
        yield partner_id
    finally:
        with Session(loaded_engine) as session:
            delete_partner(session, index, partner_id)
            session.execute(delete(AuditEntry).where(AuditEntry.partner_id == partner_id))
            session.execute(delete(User).where(User.email == EMAIL))
            session.commit()


def _shot(page: Page, name: str) -> None:
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS_DIR / f"{name}.png"), full_page=True)


def test_log_in_edit_hours_and_see_them_on_the_page_the_api_and_the_search(
    page: Page, live_url: str, own_partner: int
) -> None:
    page.goto(f"{live_url}/admin/partenaires/{own_partner}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion au back-office")
    page.get_by_label("Adresse électronique").fill(EMAIL)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(NAME)
    _shot(page, "admin-fiche")

    page.get_by_role("link", name="Horaires", exact=True).click()
    page.wait_for_load_state()
    page.get_by_label("Horaires au format OpenStreetMap").fill(HOURS)
    check = page.locator("#hours-check")
    expect(check).to_contain_text("10 h – 12 h 15", timeout=15_000)  # live check, while typing
    expect(check).to_contain_text("Ouvert maintenant ?")
    _shot(page, "admin-horaires")
    page.get_by_role("button", name="Enregistrer les horaires").click()
    expect(page.get_by_role("status")).to_contain_text("Les horaires sont enregistrés")

    page.goto(f"{live_url}/partenaires/{own_partner}")
    expect(page.locator("main")).to_contain_text("10 h – 12 h 15")

    document = page.request.get(f"{live_url}/api/v1/partners/{own_partner}").json()
    assert document["opening_hours"] == HOURS
    found = page.request.get(f"{live_url}/api/v1/partners?q=Zebulon").json()
    assert own_partner in [item["id"] for item in found["items"]]
    page.goto(f"{live_url}/recherche?q=Zebulon&address=Arras")
    expect(page.locator("ol.card-list")).to_contain_text(NAME)

    page.goto(f"{live_url}/admin/partenaires/{own_partner}/historique")
    expect(page.locator("main")).to_contain_text("Horaires modifiés")
    page.goto(f"{live_url}/admin/")
    page.get_by_role("button", name="Se déconnecter").click()
    page.goto(f"{live_url}/admin/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion au back-office")
