"""The coverage and planning pages in Chromium: axe-core without serious violations, the
choropleth drawn, a keyboard-only submission, screenshots at 320 px and at desktop width."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from tests.browser.chromium import ARTIFACTS_DIR

pytestmark = [
    pytest.mark.browser,
    pytest.mark.parametrize("loaded_engine", ["spatialite"], indirect=True),
]
PAGES = {
    "couverture": "/couverture?epci=200033579&mode=without_car",
    "couverture-plan": (
        "/couverture/plan?epci=200033579&threshold_min=10&month=2027-02&stops=4&half_days=4"
    ),
    "bus": "/bus",
}
BLOCKING = {"serious", "critical"}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_the_page_passes_axe_and_is_photographed_at_two_widths(
    page: Page, live_url: str, name: str
) -> None:
    page.goto(f"{live_url}{PAGES[name]}", wait_until="load")
    page.wait_for_timeout(500)
    violations = Axe().run(page).response["violations"]
    assert [v["id"] for v in violations if v["impact"] in BLOCKING] == []
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS_DIR / f"{name}-desktop.png"), full_page=True)
    page.set_viewport_size({"width": 320, "height": 800})
    page.wait_for_timeout(200)
    assert page.evaluate("document.documentElement.scrollWidth") <= 340
    page.screenshot(path=str(ARTIFACTS_DIR / f"{name}-320.png"), full_page=True)


def test_the_choropleth_is_drawn_and_the_form_works_from_the_keyboard(
    page: Page, live_url: str
) -> None:
    page.goto(f"{live_url}/couverture", wait_until="load")
    page.get_by_label("CU d'Arras").check()
    page.get_by_label("sans voiture", exact=False).focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Analyser").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/couverture?**")
    assert "habitent à plus de 30 minutes sans voiture" in page.content()
    page.wait_for_selector("path.leaflet-interactive", timeout=15_000)
    assert page.locator("path.leaflet-interactive").count() >= 40
