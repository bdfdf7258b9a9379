"""Two gunicorn app servers share one PostGIS database, each with its own search index:
a partner renamed in the back office of server A shows on server B — search, partner page,
orientation, GeoJSON, all of which B had cached — within 5 s, and both then answer the
same. The database is a restored backup of the loaded one; each server starts from a
copy of its index (reused: same position in the change log)."""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import requests
from sqlalchemy import Engine

from geodata.backup import backup_database, restore_database
from tests.conftest import backend_name
from tests.deployment.servers import AppServer, start_server, wait_until_ready

if TYPE_CHECKING:
    from tests.conftest import TestDatabases

API = "/api/v1"
VISIBLE_WITHIN_S = 5.0
AT = "2026-11-23T10:00:00%2B01:00"
ORIENTATION = f"{API}/orientation?right=rsa&insee_code=62041&at={AT}"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
PASSWORD = "une phrase de passe assez longue"


@pytest.fixture
def servers(
    loaded_engine: Engine,
    search_index_dir: Path,
    test_databases: TestDatabases,
    tmp_path: Path,
) -> Iterator[tuple[AppServer, AppServer, Engine]]:
    assert backend_name(loaded_engine) == "postgis"
    backup = tmp_path / "loaded.backup"
    backup_database(loaded_engine, backup)
    shared = test_databases.create("postgis", "two_servers")
    restore_database(shared, backup)
    url = shared.url.render_as_string(hide_password=False)
    started = []
    try:
        for name, workers in (("a", 1), ("b", 2)):
            index_dir = tmp_path / f"index-{name}"
            shutil.copytree(search_index_dir, index_dir)
            started.append(
                start_server(
                    name,
                    url,
                    index_dir,
                    tmp_path,
                    workers=workers,
                    CHANGE_LOG_POLL_S="1",
                    PARTNER_CARD_CACHE_CHECK_S="1",
                )
            )
        for server in started:
            wait_until_ready(server)
        yield started[0], started[1], shared
    finally:
        for server in started:
            server.stop()


def make_administrator(engine: Engine) -> str:
    from sqlalchemy.orm import Session

    from admin.accounts import create_user, set_password

    with Session(engine) as session:
        user = create_user(session, "admin@plusieurs-serveurs.test", "administrateur")
        set_password(session, user, PASSWORD)
        session.commit()
        return user.email


def back_office(server: AppServer, email: str) -> requests.Session:
    browser = requests.Session()
    token = CSRF.search(browser.get(f"{server.url}/admin/login", timeout=30).text)
    assert token is not None
    response = browser.post(
        f"{server.url}/admin/login",
        data={"csrf_token": token.group(1), "email": email, "password": PASSWORD},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 302, response.text
    return browser


def rename_in_back_office(
    browser: requests.Session, server: AppServer, engine: Engine, partner_id: int, name: str
) -> None:
    from sqlalchemy.orm import Session

    from directory.queries import get_partner
    from tests.admin.scenario import edit_form

    url = f"{server.url}/admin/partenaires/{partner_id}/modifier"
    token = CSRF.search(browser.get(url, timeout=30).text)
    assert token is not None
    with Session(engine) as session:
        form = edit_form(session, get_partner(session, partner_id), name=name)
    saved = browser.post(
        url, data={"csrf_token": token.group(1), **form}, allow_redirects=False, timeout=30
    )
    assert saved.status_code == 302, saved.text[-2000:]


def views(server: AppServer, partner_id: int, word: str, bbox: str) -> dict[str, Any]:
    """What the server shows of the partner through the four ways to reach it."""

    def get(path: str) -> Any:
        response = requests.get(f"{server.url}{path}", timeout=30)
        assert response.status_code == 200, (path, response.status_code)
        return response

    paths = [
        f"{API}/partners?q={word}&include_unconfirmed=1",
        f"{API}/partners.geojson?bbox={bbox}&limit=5000&include_unconfirmed=1",
        ORIENTATION,
        f"/partenaires/{partner_id}",
    ]
    with ThreadPoolExecutor(len(paths)) as pool:  # at once: one round costs the slowest
        search, geojson, orientation, page = list(pool.map(get, paths))
    search, geojson, orientation, page = (
        search.json(),
        geojson.json(),
        orientation.json(),
        page.text,
    )
    return {
        "search": [(item["id"], item["name"]) for item in search["items"]],
        "geojson": sorted(
            (f["properties"]["id"], f["properties"]["name"]) for f in geojson["features"]
        ),
        "orientation": [(r["partner"]["id"], r["partner"]["name"]) for r in orientation["results"]],
        "page_has_word": word in page,
    }


def until(condition: Callable[[], bool], deadline_s: float, explain: Callable[[], str]) -> float:
    """Seconds until ``condition`` held (polled, no fixed sleep); fails past the deadline."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > deadline_s:
            raise AssertionError(f"pas visible en {deadline_s} s : {explain()}")
        time.sleep(0.05)
    return time.monotonic() - started


pytestmark = pytest.mark.slow  # about 30 s: part of the default suite (`make test`)


@pytest.mark.parametrize("loaded_engine", ["postgis"], indirect=True)  # servers share PostGIS
def test_a_back_office_change_on_one_server_shows_on_the_other_within_5_s(
    servers: tuple[AppServer, AppServer, Engine],
) -> None:
    server_a, server_b, engine = servers
    first = requests.get(f"{server_b.url}{ORIENTATION}", timeout=30).json()["results"][0]
    partner_id, old_name = first["partner"]["id"], first["partner"]["name"]
    location = first["partner"]["location"]
    lon, lat = location["lon"], location["lat"]
    bbox = ",".join(f"{v:.4f}" for v in (lon - 0.01, lat - 0.01, lon + 0.01, lat + 0.01))
    word = "Xylophrène"
    before = views(server_b, partner_id, word, bbox)  # now in B's caches
    assert before["search"] == [] and not before["page_has_word"]
    assert (partner_id, old_name) in before["geojson"]
    browser = back_office(server_a, make_administrator(engine))

    new_name = f"{old_name} {word}"
    rename_in_back_office(browser, server_a, engine, partner_id, new_name)

    seen: dict[str, Any] = {}

    def shown_on_b() -> bool:
        seen.update(views(server_b, partner_id, word, bbox))
        return (
            seen["search"] == [(partner_id, new_name)]
            and seen["page_has_word"]
            and (partner_id, new_name) in seen["geojson"]
            and (partner_id, new_name) in seen["orientation"]
        )

    delay_s = until(shown_on_b, VISIBLE_WITHIN_S, lambda: f"{seen}\n{server_b.log()[-4000:]}")
    print(f"\nvisible sur le serveur B après {delay_s:.2f} s")  # docs/RELIABILITY.md
    assert views(server_a, partner_id, word, bbox) == views(server_b, partner_id, word, bbox)
    assert "index de recherche rattrapé" in server_b.log()
