"""axe-core (shipped by axe-playwright-python) on every public page in its main states:
no serious or critical violation."""

from __future__ import annotations

import json

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from tests.browser.chromium import ARTIFACTS_DIR
from tests.browser.test_public_journeys import PAGES

pytestmark = [
    pytest.mark.browser,
    pytest.mark.parametrize("loaded_engine", ["spatialite"], indirect=True),
]
BLOCKING = {"serious", "critical"}


@pytest.fixture(scope="module")
def axe() -> Axe:
    return Axe()


def _audit(page: Page, axe: Axe, name: str) -> list[str]:
    results = axe.run(page)
    violations = results.response["violations"]
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS_DIR / f"axe-{name}.json").write_text(
        json.dumps(violations, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return [
        f"{v['id']} ({v['impact']}) : {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
        if v["impact"] in BLOCKING
    ]


@pytest.mark.parametrize("name", sorted(PAGES))
def test_no_serious_accessibility_violation(page: Page, live_url: str, axe: Axe, name: str) -> None:
    page.goto(f"{live_url}{PAGES[name]}", wait_until="load")
    page.wait_for_timeout(300)
    assert _audit(page, axe, name) == []


def test_no_serious_violation_on_a_partner_page_and_its_report_form(
    page: Page, live_url: str, axe: Axe
) -> None:
    page.goto(f"{live_url}/recherche?address=Arras&kind=france-services")
    href = page.locator("ol.card-list h3 a").first.get_attribute("href")
    page.goto(f"{live_url}{href}", wait_until="load")
    assert _audit(page, axe, "fiche-lieu") == []
    page.goto(f"{live_url}{href}/signaler")
    page.get_by_role("button", name="Envoyer le signalement").click()
    assert _audit(page, axe, "signalement-erreur") == []


def test_no_serious_violation_on_the_printed_sheet(page: Page, live_url: str, axe: Axe) -> None:
    page.goto(f"{live_url}/orienter/fiche?right=rsa&address=Arras")
    page.emulate_media(media="print")
    assert _audit(page, axe, "fiche-imprimable-impression") == []
