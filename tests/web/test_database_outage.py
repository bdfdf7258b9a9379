"""PostgreSQL stops while the application serves, then starts again.

On a private cluster (`tests.private_postgres`: the machine's shared server is never
touched), over real HTTP on 127.0.0.1, with visitors reading and reporting errors all along:
while the database is down the API answers 503 problem+json and the pages a French 503
page, quickly (connect and statement timeouts: no request hangs); once it is back the same
application answers again by itself (the pool tests its connections); and every error
report the application acknowledged before the stop is still in the database afterwards.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Hashable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from directory.models import ErrorReport, Partner
from directory.search import forget_search_index, rebuild_index
from geodata.database import make_engine, make_session_factory
from geodata.schema import upgrade_database
from tests.conftest import make_test_app
from tests.live_server import serve
from tests.private_postgres import PrivateCluster
from tests.web.conftest import AppFactory

OUTAGE_S = 4.0
CLIENT_TIMEOUT_S = 30.0  # a request still unanswered after this has hung: the test fails
RECOVERY_LIMIT_S = 30.0


@dataclass
class Traffic:
    """What the visitors saw: statuses per kind of request, acknowledged reports."""

    statuses: dict[str, list[int]] = field(default_factory=dict)
    acknowledged: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def saw(self, kind: str, status: int) -> None:
        with self.lock:
            self.statuses.setdefault(kind, []).append(status)


@pytest.fixture(scope="module")
def cluster() -> Iterator[PrivateCluster]:
    with PrivateCluster() as private:
        yield private


@pytest.fixture(scope="module")
def outage_database(
    cluster: PrivateCluster, tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, Path]:
    """A database with one made-up partner on the private cluster, and its search index."""
    url = cluster.create_database("outage")
    engine = make_engine(url)
    upgrade_database(engine)
    with make_session_factory(engine)() as session:
        session.add(
            Partner(
                kind="mairie",
                name="[Test] Mairie fictive (panne de la base)",
                source="test-fixture",
                is_demo=True,
            )
        )
        session.commit()
        index_dir: Path = tmp_path_factory.mktemp("outage-index")
        rebuild_index(session, index_dir)
    forget_search_index(index_dir)
    engine.dispose()
    return url, index_dir


def _partner_id(url: str) -> int:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            return int(session.scalar(select(Partner.id)) or 0)
    finally:
        engine.dispose()


def _reports(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            return set(session.scalars(select(ErrorReport.message)))
    finally:
        engine.dispose()


def _visitor(base: str, partner_id: int, traffic: Traffic, stop: threading.Event) -> None:
    """Reads the API and the page, and reports an error, over and over."""
    http = requests.Session()
    form_page = http.get(f"{base}/partenaires/{partner_id}/signaler", timeout=CLIENT_TIMEOUT_S)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form_page.text)
    assert token is not None
    number = 0
    while not stop.is_set():
        number += 1
        message = f"Horaires faux, signalement n° {number}."
        try:
            api = http.get(f"{base}/api/v1/partners/{partner_id}", timeout=CLIENT_TIMEOUT_S)
            traffic.saw("api", api.status_code)
            page = http.get(f"{base}/partenaires/{partner_id}", timeout=CLIENT_TIMEOUT_S)
            traffic.saw("page", page.status_code)
            sent = http.post(
                f"{base}/partenaires/{partner_id}/signaler",
                data={"csrf_token": token.group(1), "topic": "horaires", "message": message},
                timeout=CLIENT_TIMEOUT_S,
            )
            traffic.saw("report", sent.status_code)
            if sent.status_code == 200 and "Merci, votre signalement a été envoyé" in sent.text:
                with traffic.lock:
                    traffic.acknowledged.append(message)
        except requests.RequestException as exc:  # a hung or broken request
            with traffic.lock:
                traffic.failures.append(repr(exc))
        time.sleep(0.05)


def test_the_application_answers_503_while_postgresql_is_down_and_recovers_with_nothing_lost(
    cluster: PrivateCluster, outage_database: tuple[str, Path]
) -> None:
    outage_app_url, index_dir = outage_database
    partner_id = _partner_id(outage_app_url)
    app = make_test_app(
        make_engine(outage_app_url),
        index_dir,
        DATABASE_CONNECT_TIMEOUT_S=2.0,
        DATABASE_STATEMENT_TIMEOUT_S=5.0,
    )
    traffic = Traffic()
    stop = threading.Event()
    with serve(app) as base:
        visitor = threading.Thread(target=_visitor, args=(base, partner_id, traffic, stop))
        visitor.start()
        try:
            while len(traffic.acknowledged) < 5 and visitor.is_alive():
                time.sleep(0.05)
            acknowledged_before_stop = list(traffic.acknowledged)
            cluster.stop("fast")
            stopped_at = time.monotonic()

            # While it is down, answers come quickly and say so in French.
            api = requests.get(f"{base}/api/v1/partners/{partner_id}", timeout=CLIENT_TIMEOUT_S)
            assert api.status_code == 503
            assert api.headers["Content-Type"].startswith("application/problem+json")
            assert api.json()["title"] == "Service indisponible"
            assert api.json()["code"] == "database_unavailable"
            assert "base de données ne répond pas" in api.json()["detail"]
            assert "Retry-After" in api.headers
            page = requests.get(f"{base}/partenaires/{partner_id}", timeout=CLIENT_TIMEOUT_S)
            assert page.status_code == 503
            assert page.headers["Content-Type"].startswith("text/html")
            assert "Service indisponible" in page.text
            assert "réessayez dans quelques instants" in page.text
            health = requests.get(f"{base}/api/v1/health", timeout=CLIENT_TIMEOUT_S)
            assert health.status_code == 503

            time.sleep(max(0.0, OUTAGE_S - (time.monotonic() - stopped_at)))
            acknowledged_during_outage = len(traffic.acknowledged)
            cluster.start()

            # Back by itself: the same application, no restart.
            deadline = time.monotonic() + RECOVERY_LIMIT_S
            recovered = False
            while time.monotonic() < deadline and not recovered:
                answer = requests.get(
                    f"{base}/api/v1/partners/{partner_id}", timeout=CLIENT_TIMEOUT_S
                )
                recovered = answer.status_code == 200
                time.sleep(0.1)
            assert recovered, "l'application ne s'est pas rétablie après le redémarrage"
            # The visitor acknowledges reports again.
            while len(traffic.acknowledged) < acknowledged_during_outage + 3:
                assert time.monotonic() < deadline and visitor.is_alive()
                time.sleep(0.05)
        finally:
            stop.set()
            visitor.join(timeout=CLIENT_TIMEOUT_S * 4)

    assert traffic.failures == []  # no request hung nor broke its connection
    for kind in ("api", "page", "report"):
        assert set(traffic.statuses[kind]) <= {200, 503}, (kind, set(traffic.statuses[kind]))
        assert 503 in traffic.statuses[kind], kind  # the visitor did meet the outage
    stored = _reports(outage_app_url)
    assert len(acknowledged_before_stop) >= 5
    assert set(traffic.acknowledged) <= stored  # nothing acknowledged was lost


def _lost_connection() -> OperationalError:
    return OperationalError(
        "SELECT 1", None, Exception("terminating connection due to administrator command")
    )


def test_a_connection_lost_after_the_answer_was_made_does_not_turn_it_into_a_500(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Closing the request's session rolls back on the connection; if the database went
    away meanwhile, that fails after the answer was made (seen under load when PostgreSQL
    stopped: gunicorn then answered 500)."""
    client = make_app().test_client()
    original_close = Session.close

    def close_on_a_dead_connection(session: Session) -> None:
        original_close(session)
        raise _lost_connection()

    monkeypatch.setattr(Session, "close", close_on_a_dead_connection)
    response = client.get("/api/v1/rights")
    monkeypatch.undo()
    assert response.status_code == 200


def test_a_fingerprint_lost_while_caching_an_answer_sends_it_uncached(
    make_app: AppFactory,
) -> None:
    """The answer cache reads the directory's fingerprint again when it stores an answer
    (after the view): a database lost at that moment must not turn the answer into a 500."""
    app = make_app(RESPONSE_CACHE_SIZE=16, CHANGE_LOG_POLL_S=0.0)
    cache = app.extensions["aiguillage.response_cache"]
    calls = [0]

    def fingerprint() -> Hashable:
        calls[0] += 1
        if calls[0] > 1:  # the database goes away during the request
            raise _lost_connection()
        return "avant"

    cache._generation = fingerprint
    response = app.test_client().get("/api/v1/partners?q=rsa&near=2.7772,50.2910")
    assert response.status_code == 200
    assert "X-Aiguillage-Cache" not in response.headers
    assert calls[0] == 2
