"""The bilan des droits in Chromium: the questionnaire by keyboard, the results at 320 px and
at desktop width, axe-core on the form, the results and their print, and the printed bilan
(PDF) without the form. Screenshots under artifacts/screenshots/ (bilan-*)."""

from __future__ import annotations

import json
import subprocess

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from routing.bilan.openfisca import france_system
from tests.browser.chromium import ARTIFACTS_DIR

pytestmark = [
    pytest.mark.browser,
    pytest.mark.parametrize("loaded_engine", ["spatialite"], indirect=True),
]
BLOCKING = {"serious", "critical"}


@pytest.fixture(scope="module", autouse=True)
def openfisca_loaded() -> None:
    france_system()  # the live server runs in this process: its first bilan is not cold


def serious_violations(page: Page, name: str) -> list[str]:
    violations = Axe().run(page).response["violations"]
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS_DIR / f"axe-bilan-{name}.json").write_text(
        json.dumps(violations, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return [
        f"{v['id']} ({v['impact']}) : {v['help']}" for v in violations if v["impact"] in BLOCKING
    ]


def answer_by_keyboard(page: Page) -> None:
    """Age, « seule », no child, incomes, housing and commune, using only the keyboard."""
    page.locator("#age").focus()
    page.keyboard.type("70")
    page.keyboard.press("Tab")  # the couple radios: « Je ne sais pas » is checked
    page.keyboard.press("ArrowDown")  # « Non »
    for field, text in (("monthly_earnings_eur", "0"), ("other_monthly_income_eur", "800")):
        for _ in range(12):
            if page.evaluate("document.activeElement.id") == field:
                break
            page.keyboard.press("Tab")
        page.keyboard.type(text)
    page.keyboard.press("Tab")  # housing radios
    for _ in range(3):
        page.keyboard.press("ArrowDown")  # Je ne sais pas → locataire → propriétaire → hébergé
    for _ in range(4):
        if page.evaluate("document.activeElement.id") == "address":
            break
        page.keyboard.press("Tab")
    page.keyboard.type("Arras")
    page.keyboard.press("Escape")  # close the suggestions
    with page.expect_navigation(timeout=90_000):  # a bilan takes seconds on a loaded machine
        page.keyboard.press("Enter")


def test_a_pensioner_fills_the_bilan_by_keyboard_and_prints_it(page: Page, live_url: str) -> None:
    page.goto(f"{live_url}/bilan")
    assert serious_violations(page, "formulaire") == []
    answer_by_keyboard(page)
    aspa = page.locator("#droit-aspa").locator("xpath=..")
    expect(aspa.get_by_text("Environ 243,60 € par mois")).to_be_visible()
    expect(page.locator("[data-print]")).to_be_visible()  # shown when JavaScript runs
    assert page.locator("input[name=couple][value=non]").is_checked()
    assert page.locator("input[name=housing][value=heberge]").is_checked()
    assert serious_violations(page, "resultats") == []
    for width, suffix in ((1280, "bureau"), (320, "320px")):
        page.set_viewport_size({"width": width, "height": 800})
        assert page.evaluate("document.documentElement.scrollWidth") <= width, suffix
        ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS_DIR / f"bilan-resultats-{suffix}.png"), full_page=True)
    page.emulate_media(media="print")
    assert serious_violations(page, "impression") == []
    pdf = ARTIFACTS_DIR / "bilan.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    assert "Environ 243,60 € par mois" in flat
    assert "Calcul indicatif, basé sur la législation au" in flat
    assert "Quel âge avez-vous" not in flat  # the form is not printed
    assert "Imprimer ce bilan" not in flat
