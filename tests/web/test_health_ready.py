"""/health/live answers without the database; /health/ready says whether a load balancer
may send traffic: database reachable, index present, of this database, not behind the
change log by more than READY_MAX_LAG_S. Real loaded database and index, both backends."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from directory.operations import create_partner
from directory.search import IndexStatus
from tests.conftest import make_test_app
from tests.directory.search.factories import make_partner_values
from tests.directory.search.fake_index import InMemorySearchIndex
from web.api.meta import _not_ready_because
from web.database import EXTENSION_KEY

API = "/api/v1"


def test_live_needs_neither_database_nor_index(tmp_path: Path) -> None:
    app = make_test_app_on_nothing(tmp_path)
    response = app.test_client().get(f"{API}/health/live")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}
    assert response.headers["Cache-Control"] == "no-store"
    ready = app.test_client().get(f"{API}/health/ready")
    assert ready.status_code == 503
    assert ready.get_json()["database"] == "indisponible"


def make_test_app_on_nothing(tmp_path: Path) -> Flask:
    from web.app import create_app

    return create_app(
        {
            "DATABASE_URL": "postgresql://nobody@127.0.0.1:9/nothing?connect_timeout=1",
            "SEARCH_INDEX_DIR": str(tmp_path / "index"),
            "SECRET_KEY": "tests",
            "TESTING": True,
            "CHANGE_LOG_POLL_S": 86_400.0,
        }
    )


def test_ready_with_an_index_in_step(api_app: Flask) -> None:
    body = api_app.test_client().get(f"{API}/health/ready").get_json()
    assert body["status"] == "ok" and body["database"] == "ok"
    index = body["search_index"]
    assert index["status"] == "ok" and index["sequence"] == index["database_sequence"] > 0


def test_not_ready_without_an_index_or_with_one_of_another_database() -> None:
    """(A server builds a missing index at its first request: tests/directory/search.)"""
    absent = IndexStatus(False, 0, 4_000, False, None, None, 12)
    foreign = IndexStatus(True, 4_000, 4_000, False, None, None, 12)
    assert _not_ready_because(absent, 30.0) == "index de recherche absent"
    assert "à reconstruire" in (_not_ready_because(foreign, 30.0) or "")


@pytest.fixture
def behind_app(loaded_engine: Engine, search_index_dir: Path) -> Iterator[tuple[Flask, Session]]:
    """An app whose requests share the test's connection (rolled back afterwards)."""
    app = make_test_app(loaded_engine, search_index_dir, READY_MAX_LAG_S=0.0)
    app.test_client().get(f"{API}/health/live")
    connection = loaded_engine.connect()
    outer = connection.begin()
    factory = sessionmaker(bind=connection, join_transaction_mode="create_savepoint")
    app.extensions[EXTENSION_KEY] = factory
    session = factory()
    try:
        yield app, session
    finally:
        session.close()
        outer.rollback()
        connection.close()


def test_not_ready_when_the_index_is_behind_beyond_the_bound(
    behind_app: tuple[Flask, Session],
) -> None:
    app, session = behind_app
    client = app.test_client()
    client.get(f"{API}/rights")  # the first request polls the log: in step
    assert client.get(f"{API}/health/ready").status_code == 200
    create_partner(session, InMemorySearchIndex(), make_partner_values())  # another server
    session.commit()
    response = client.get(f"{API}/health/ready")
    body = response.get_json()
    assert response.status_code == 503
    assert body["detail"].startswith("index de recherche en retard de")
    assert body["search_index"]["status"] == "en-retard"
    assert body["search_index"]["database_sequence"] > body["search_index"]["sequence"]
    assert client.get(f"{API}/health").get_json()["status"] == "degraded"  # still answers 200
