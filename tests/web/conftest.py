"""The API on the whole real dataset, on SpatiaLite and PostGIS, with a real search index."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine
from werkzeug.serving import make_server

from directory.search import forget_search_index, rebuild_index
from geodata.database import make_session_factory
from web.app import create_app

API = "/api/v1"


def engine_url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def api_index_dir(loaded_engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real whoosh index of the loaded database (one per backend)."""
    index_dir = tmp_path_factory.mktemp(f"api-index-{loaded_engine.dialect.name}")
    with make_session_factory(loaded_engine)() as session:
        rebuild_index(session, index_dir)
    forget_search_index(index_dir)
    return index_dir


def make_api_app(engine: Engine, index_dir: Path, **config: Any) -> Flask:
    settings = {
        "DATABASE_URL": engine_url(engine),
        "SEARCH_INDEX_DIR": str(index_dir),
        "SECRET_KEY": "tests",
        "TESTING": True,
        "RATE_LIMIT_PER_MINUTE": 0,
        "RESPONSE_CACHE_SIZE": 0,
        **config,
    }
    return create_app(settings)


AppFactory = Callable[..., Flask]


@pytest.fixture(scope="session")
def make_app(loaded_engine: Engine, api_index_dir: Path) -> AppFactory:
    """Build another app on the loaded database with some settings changed."""

    def build(**config: Any) -> Flask:
        return make_api_app(loaded_engine, api_index_dir, **config)

    return build


@pytest.fixture(scope="session")
def api_app(loaded_engine: Engine, api_index_dir: Path) -> Flask:
    """The app on the loaded database, without rate limit nor answer cache (read-only use)."""
    return make_api_app(loaded_engine, api_index_dir)


@pytest.fixture
def client(api_app: Flask) -> FlaskClient:
    return api_app.test_client()


@pytest.fixture(scope="session")
def api_url(api_app: Flask) -> Iterator[str]:
    """Base URL of ``api_app`` served over real HTTP on 127.0.0.1 (a free port)."""
    server = make_server("127.0.0.1", 0, api_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="api-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
