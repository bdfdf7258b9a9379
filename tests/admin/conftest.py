"""The back office on the loaded database, on both backends, each test rolled back.

The app's sessions are bound to one connection whose outer transaction is rolled back
after each test (a view's commit releases a savepoint), and the app writes to its own copy
of the search index: the shared loaded database and index stay as they were.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from admin import passwords
from admin.accounts import create_user, set_password
from admin.models import User
from tests.conftest import make_test_app
from web.database import EXTENSION_KEY

PASSWORD = "une phrase de passe assez longue"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2id with small costs: the same code path, a hundred times faster."""
    monkeypatch.setattr(
        passwords, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )


@pytest.fixture(scope="session")
def admin_index_dir(search_index_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("admin-index") / "index"
    shutil.copytree(search_index_dir, copy)
    return copy


@pytest.fixture(scope="session")
def admin_app(loaded_engine: Engine, admin_index_dir: Path) -> Flask:
    return make_test_app(loaded_engine, admin_index_dir, ADMIN_LOGIN_ATTEMPTS_PER_MINUTE=0)


@pytest.fixture
def db(admin_app: Flask, loaded_engine: Engine) -> Iterator[Session]:
    """The test's session; the app's requests share its connection and its rollback."""
    connection = loaded_engine.connect()
    outer = connection.begin()
    factory = sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    saved = admin_app.extensions[EXTENSION_KEY]
    admin_app.extensions[EXTENSION_KEY] = factory
    session = factory()
    try:
        yield session
    finally:
        session.close()
        admin_app.extensions[EXTENSION_KEY] = saved
        outer.rollback()
        connection.close()


@pytest.fixture
def client(admin_app: Flask, db: Session) -> FlaskClient:
    return admin_app.test_client()


def make_user(
    session: Session, role: str, email: str | None = None, password: str = PASSWORD, **scope: Any
) -> User:
    user = create_user(session, email or f"{role}@exemple.test", role, **scope)
    set_password(session, user, password)
    session.commit()
    return user


def csrf_token(client: FlaskClient, path: str = "/admin/login") -> str:
    found = CSRF.search(client.get(path).text)
    assert found is not None, f"pas de jeton CSRF sur {path}"
    return found.group(1)


def log_in(client: FlaskClient, email: str, password: str = PASSWORD) -> Any:
    token = csrf_token(client)
    return client.post(
        "/admin/login", data={"csrf_token": token, "email": email, "password": password}
    )


def post_form(
    client: FlaskClient, path: str, data: dict[str, Any], form_path: str | None = None
) -> Any:
    """POST ``data`` with a CSRF token taken from the page ``form_path`` (default: ``path``)."""
    return client.post(path, data={"csrf_token": csrf_token(client, form_path or path), **data})
