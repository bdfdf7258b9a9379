"""A resident and a professional use the pages in Chromium: search → results → place,
orientation → printed sheet, the map, keyboard only, an error report, a 320 px screen.
Screenshots of every page are kept under artifacts/screenshots/."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.chromium import ARTIFACTS_DIR

pytestmark = [
    pytest.mark.browser,
    pytest.mark.parametrize("loaded_engine", ["spatialite"], indirect=True),
]

PAGES = {
    "accueil": "/",
    "recherche-vide": "/recherche",
    "recherche-resultats": "/recherche?address=Arras&right=rsa",
    "recherche-aucun": "/recherche?address=Cadours&kind=point-justice&q=zzzqqq",
    "recherche-erreur": "/recherche?address=Qqqqwwwzzz",
    "carte": "/carte",
    "droits": "/droits",
    "droit-rsa": "/droits/rsa",
    "orienter-vide": "/orienter",
    "orienter-resultats": "/orienter?right=rsa&right=c2s&address=Cadours&has_car=0",
    "fiche-imprimable": "/orienter/fiche?right=rsa&address=Arras",
    "bus": "/bus",
    "sources": "/sources",
    "accessibilite": "/accessibilite",
    "mentions-legales": "/mentions-legales",
    "introuvable": "/cette-page-n-existe-pas",
}


def _shot(page: Page, name: str) -> Path:
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS_DIR / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def _first_partner_path(page: Page, live_url: str) -> str:
    page.goto(f"{live_url}/recherche?address=Arras&kind=france-services")
    href = page.locator("ol.card-list h3 a").first.get_attribute("href")
    assert href is not None
    return href


@pytest.mark.parametrize("name", sorted(PAGES))
def test_every_page_fits_320_px_and_is_photographed(page: Page, live_url: str, name: str) -> None:
    for width, suffix in ((1280, "bureau"), (320, "320px")):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(f"{live_url}{PAGES[name]}", wait_until="load")
        page.wait_for_timeout(300)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"{name} : défilement horizontal à {width} px"
        assert _shot(page, f"{name}-{suffix}").stat().st_size > 3_000


def test_partner_page_is_photographed_at_both_sizes(page: Page, live_url: str) -> None:
    path = _first_partner_path(page, live_url)
    for width, suffix in ((1280, "bureau"), (320, "320px")):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(f"{live_url}{path}")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        _shot(page, f"fiche-lieu-{suffix}")


def test_a_resident_searches_then_opens_a_place(page: Page, live_url: str) -> None:
    page.goto(f"{live_url}/")
    page.get_by_label("Votre adresse ou votre commune").fill("Muret")
    page.keyboard.press("Escape")  # closes the commune suggestions, as a person would
    page.get_by_label("De quoi avez-vous besoin ?").select_option("prime-activite")
    page.get_by_role("button", name="Trouver un lieu").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("près de")
    assert "right=prime-activite" in page.url and "address=Muret" in page.url
    cards = page.locator("ol.card-list li.card")
    assert cards.count() >= 1
    name = cards.first.locator("h3").inner_text()
    cards.first.locator("h3 a").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    verified = page.get_by_text("Informations vérifiées le")
    expect(verified.or_(page.get_by_text("Date de vérification"))).to_be_visible()


def test_the_map_shows_clusters_and_a_popup_opens(page: Page, live_url: str) -> None:
    page.goto(f"{live_url}/carte")
    page.wait_for_selector(".marker-cluster", timeout=30_000)
    assert page.locator(".marker-cluster").count() >= 1
    expect(page.locator("#map-status")).to_contain_text(re.compile(r"\d+ lieux (chargés|affichés)"))
    path = _first_partner_path(page, live_url)
    page.goto(f"{live_url}{path}")
    page.locator(".map-marker").first.click()
    expect(page.locator(".leaflet-popup-content")).to_contain_text("Voir la fiche")


def test_keyboard_only_search_journey(page: Page, live_url: str) -> None:
    page.goto(f"{live_url}/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "address":
            break
    page.keyboard.type("Arras")
    page.keyboard.press("Escape")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "right"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/recherche\?"))
    assert page.locator("ol.card-list li.card").count() >= 1


def test_keyboard_only_orientation_journey(page: Page, live_url: str) -> None:
    page.goto(f"{live_url}/orienter")
    page.locator("input[name=right][value=rsa]").focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    for _ in range(20):
        if page.evaluate("document.activeElement.id") == "address":
            break
        page.keyboard.press("Tab")
    page.keyboard.type("Cadours")
    page.keyboard.press("Escape")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/orienter\?"))
    expect(page.get_by_text("Pourquoi ce lieu").first).to_be_visible()


def test_the_printed_sheet_is_one_a4_page_with_what_matters(page: Page, live_url: str) -> None:
    page.goto(f"{live_url}/orienter?right=rsa&address=Arras")
    page.locator("a", has_text="Fiche à imprimer pour ce lieu").first.click()
    name = page.locator(".sheet-name").inner_text()
    address = page.locator(".sheet-address").inner_text()
    status = page.locator(".sheet-status").inner_text()
    documents = page.locator(".sheet-documents li").all_inner_texts()
    pdf = ARTIFACTS_DIR / "fiche-orientation.pdf"
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    page.emulate_media(media="print")
    page.pdf(path=str(pdf), format="A4", print_background=True)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    assert re.search(r"Pages:\s+1\n", info.stdout)
    assert "(A4)" in info.stdout
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    for expected in (name, address, status, documents[0]):
        assert " ".join(expected.split())[:40] in flat
    assert "Texte à copier" not in flat  # screen-only parts are not printed


def test_an_error_report_is_refused_then_sent(page: Page, live_url: str) -> None:
    path = _first_partner_path(page, live_url)
    page.goto(f"{live_url}{path}")
    page.get_by_role("link", name="Signaler une erreur sur cette fiche").click()
    page.get_by_role("button", name="Envoyer le signalement").click()
    expect(page.locator(".error-summary")).to_contain_text("Choisissez ce qui est faux")
    _shot(page, "signalement-erreur")
    page.get_by_label("Les horaires").check()
    page.get_by_label("Ce qui est faux, et ce qui serait juste").fill("Fermé le mardi après-midi.")
    page.get_by_role("button", name="Envoyer le signalement").click()
    thanks = "Merci, votre signalement a été envoyé"
    expect(page.get_by_role("heading", level=1)).to_have_text(thanks)


def test_the_commune_autocomplete_is_a_combobox(page: Page, live_url: str) -> None:
    page.goto(f"{live_url}/")
    field = page.get_by_label("Votre adresse ou votre commune")
    assert field.get_attribute("role") == "combobox"
    field.type("Mure", delay=30)
    page.wait_for_selector("[role=listbox] [role=option]", timeout=5_000)
    assert field.get_attribute("aria-expanded") == "true"
    field.press("ArrowDown")
    assert field.get_attribute("aria-activedescendant")
    field.press("Enter")
    assert field.input_value().startswith("Muret")
