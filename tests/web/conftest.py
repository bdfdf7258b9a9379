"""The API on the whole real dataset, on SpatiaLite and PostGIS, with a real search index."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine

from tests.conftest import make_test_app

API = "/api/v1"


def engine_url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def api_index_dir(search_index_dir: Path) -> Path:
    return search_index_dir


def make_api_app(engine: Engine, index_dir: Path, **config: Any) -> Flask:
    return make_test_app(engine, index_dir, **config)


AppFactory = Callable[..., Flask]


@pytest.fixture(scope="session")
def make_app(loaded_engine: Engine, api_index_dir: Path) -> AppFactory:
    """Build another app on the loaded database with some settings changed."""

    def build(**config: Any) -> Flask:
        return make_api_app(loaded_engine, api_index_dir, **config)

    return build


@pytest.fixture(scope="session")
def api_app(loaded_app: Flask) -> Flask:
    """The app on the loaded database, without rate limit nor answer cache (read-only use)."""
    return loaded_app


@pytest.fixture
def client(api_app: Flask) -> FlaskClient:
    return api_app.test_client()


@pytest.fixture(scope="session")
def api_url(live_url: str) -> str:
    """Base URL of ``api_app`` served over real HTTP on 127.0.0.1 (a free port)."""
    return live_url
