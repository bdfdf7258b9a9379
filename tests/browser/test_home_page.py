"""The home page renders in a real headless Chromium, in French, with the real counts."""

from __future__ import annotations

import re

import pytest

from tests.browser.chromium import dump_dom, screenshot

pytestmark = pytest.mark.browser


def test_home_page_shows_the_directory_counts_in_french(live_url: str) -> None:
    dom = dump_dom(f"{live_url}/")
    assert '<html lang="fr">' in dom
    assert "Trouver un lieu qui vous aide à obtenir vos droits" in dom
    counts = re.search(r"(\d+) lieux d'accueil et (\d+) communes", dom)
    assert counts is not None
    assert int(counts.group(1)) >= 4_000
    assert int(counts.group(2)) >= 34_000


def test_home_page_screenshot_is_kept_as_an_artifact(live_url: str) -> None:
    path = screenshot(f"{live_url}/", "home")
    assert path.stat().st_size > 5_000
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_unknown_page_gets_a_french_error_page(live_url: str) -> None:
    dom = dump_dom(f"{live_url}/cette-page-n-existe-pas")
    assert "Page ou ressource introuvable" in dom
