"""One headless Debian Chromium for the whole session, driven by Playwright, against the
shared live server of the loaded application (SpatiaLite: the pages' database code is
tested on both backends by tests/web/pages). No request leaves 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, sync_playwright

from tests.browser.chromium import FLAGS, chromium_binary

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "[::1]"}


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=chromium_binary(),
            args=[flag for flag in FLAGS if flag != "--headless"],
            headless=True,
        )
        yield launched
        launched.close()


def _loopback_only(route: Route) -> None:
    host = urlsplit(route.request.url).hostname or ""
    if host in LOOPBACK_HOSTS or route.request.url.startswith(("data:", "blob:")):
        route.continue_()
    else:
        route.abort("blockedbyclient")  # map tiles: the page must work without them


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    created = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    created.route("**/*", _loopback_only)
    yield created
    created.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()
