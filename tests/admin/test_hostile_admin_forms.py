"""Hostile input in the back office's forms, fuzzed with hypothesis on both backends: the
login form and the import upload (CSV cells and raw bytes, invalid UTF-8, files far too
big). No 5xx, nothing of the input back unescaped, nothing written on refusal: a failed
login opens no session, a file's dry run writes no partner. (Uploads are plain CSV or JSON:
no compressed format is accepted, so there is no archive to bomb.)"""

from __future__ import annotations

import io
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from admin.import_views import clean_file_name
from admin.models import ImportUpload, LoginSession, User
from directory.models import Partner
from tests.admin.conftest import csrf_token
from tests.admin.scenario import build_scenario
from tests.web.pages.test_hostile_forms import SETTINGS, assert_safe, hostile_text

ADMIN_SETTINGS = settings(SETTINGS, max_examples=15)  # each example logs in or uploads

HEADER = "kind,name,street,postcode,city,insee_code,source,source_id,phone,email,website"


@pytest.fixture
def admin(admin_app: Flask, db: Session) -> FlaskClient:
    """An administrator logged in (accounts of `build_scenario`), shared by the examples."""
    return build_scenario(admin_app, db).client_for("administrateur")


def counts(session: Session) -> tuple[int, ...]:
    session.expire_all()
    return tuple(
        int(session.scalar(select(func.count()).select_from(model)) or 0)
        for model in (LoginSession, User, Partner)
    )


@ADMIN_SETTINGS
@given(email=hostile_text(), password=hostile_text())
def test_login(client: FlaskClient, db: Session, email: str, password: str) -> None:
    before = counts(db)
    form = {"csrf_token": csrf_token(client), "email": email, "password": password}
    response = client.post("/admin/login", data=form)
    assert_safe(response)
    assert response.status_code != 302  # no account has these credentials
    assert counts(db) == before


@ADMIN_SETTINGS
@given(
    cells=st.lists(hostile_text(), min_size=11, max_size=11),
    raw=st.one_of(st.none(), st.binary(max_size=300)),
    name=hostile_text(),
)
def test_import_upload_and_dry_run(
    admin: FlaskClient, db: Session, cells: list[str], raw: bytes | None, name: str
) -> None:
    line = ",".join('"' + cell.replace('"', '""') + '"' for cell in cells)
    content = raw if raw is not None else f"{HEADER}\n{line}\n".encode("utf-8", "replace")
    before = counts(db)
    response = admin.post(
        "/admin/imports",
        data={"csrf_token": csrf_token(admin, "/admin/imports"), "format": "csv",
              "file": (io.BytesIO(content), name or "f.csv")},
        content_type="multipart/form-data",
    )  # fmt: skip
    assert_safe(response)
    if response.status_code != 302:
        return
    dry_run = admin.get(response.headers["Location"])
    assert_safe(dry_run)
    assert counts(db)[2] == before[2]  # a dry run writes no partner


def test_an_import_file_over_the_limit_is_refused_and_not_stored(
    admin: FlaskClient, db: Session
) -> None:
    limit = int(admin.application.config["ADMIN_IMPORT_MAX_BYTES"])
    uploads = int(db.scalar(select(func.count()).select_from(ImportUpload)) or 0)
    for size in (limit + 1, limit + 10_000_000):
        response = admin.post(
            "/admin/imports",
            data={"csrf_token": csrf_token(admin, "/admin/imports"), "format": "csv",
                  "file": (io.BytesIO(b"a" * size), "gros.csv")},
            content_type="multipart/form-data",
        )  # fmt: skip
        assert response.status_code == 413
        assert re.search("trop (gros|volumineuse)", response.get_data(as_text=True))
        db.expire_all()
        assert int(db.scalar(select(func.count()).select_from(ImportUpload)) or 0) == uploads


@pytest.mark.parametrize("email", ["\x00", "agent\x00@exemple.test", "agent@exemple.test\x1b"])
def test_an_address_with_control_characters_is_an_unknown_account(
    client: FlaskClient, db: Session, email: str
) -> None:
    """PostgreSQL refuses a NUL in a string: looked up as such, it made the login fail
    with a 500 (found by the fuzzing above)."""
    before = counts(db)
    form = {"csrf_token": csrf_token(client), "email": email, "password": "x" * 12}
    response = client.post("/admin/login", data=form)
    assert response.status_code == 401
    assert "Adresse électronique ou mot de passe incorrect" in response.get_data(as_text=True)
    assert counts(db) == before


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("\x00", "fichier"),
        ("par\x00tenaires.csv", "partenaires.csv"),
        ("C:\\Users\\moi\\liste.csv", "liste.csv"),
        ("../../etc/passwd", "passwd"),
        ("liste\u202egnp.csv", "listegnp.csv"),  # a bidi override hides the real extension
    ],
)
def test_an_uploaded_file_name_is_kept_without_folders_or_control_characters(
    sent: str, kept: str
) -> None:
    assert clean_file_name(sent) == kept
