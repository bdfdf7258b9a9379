"""Login, logout and the back office's doors: nothing under /admin without a session,
CSRF on every form, throttling and lockout, a new session at login, headers."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from admin.models import AuditEntry, LoginSession, User
from tests.admin.conftest import PASSWORD, csrf_token, log_in, make_user, post_form
from tests.conftest import make_test_app

PROTECTED_PATHS = ["/admin/", "/admin/nimporte-quoi"]


@pytest.mark.parametrize("path", PROTECTED_PATHS)
def test_nothing_under_admin_is_reachable_without_login(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/admin/login?next=")


def test_a_forged_session_token_leads_to_the_login_page(client: FlaskClient) -> None:
    with client.session_transaction() as cookie:
        cookie["admin_session"] = "invente"
    assert client.get("/admin/").status_code == 302


def test_login_opens_the_dashboard_and_goes_back_to_the_asked_page(
    client: FlaskClient, db: Session
) -> None:
    user = make_user(db, "administrateur")
    token = csrf_token(client, "/admin/login?next=/admin/")
    response = client.post(
        "/admin/login",
        data={"csrf_token": token, "email": "ADMINISTRATEUR@exemple.test", "password": PASSWORD,
              "next": "/admin/"},
    )  # fmt: skip
    assert response.status_code == 302 and response.headers["Location"] == "/admin/"
    page = client.get("/admin/")
    assert page.status_code == 200
    assert "Tableau de bord" in page.text and user.email in page.text


def test_login_never_redirects_to_another_site(client: FlaskClient, db: Session) -> None:
    make_user(db, "administrateur")
    token = csrf_token(client)
    response = client.post(
        "/admin/login",
        data={"csrf_token": token, "email": "administrateur@exemple.test", "password": PASSWORD,
              "next": "https://evil.example/admin"},
    )  # fmt: skip
    assert response.headers["Location"].startswith("/admin/")


def test_a_wrong_password_is_refused_with_a_french_message(
    client: FlaskClient, db: Session
) -> None:
    make_user(db, "administrateur")
    response = log_in(client, "administrateur@exemple.test", "ce n'est pas le bon")
    assert response.status_code == 401
    assert "Adresse électronique ou mot de passe incorrect" in response.text
    assert client.get("/admin/").status_code == 302


def test_login_without_csrf_token_is_refused(client: FlaskClient, db: Session) -> None:
    make_user(db, "administrateur")
    client.get("/admin/login")
    response = client.post(
        "/admin/login", data={"email": "administrateur@exemple.test", "password": PASSWORD}
    )
    assert response.status_code == 400
    assert "Le formulaire a expiré" in response.text
    assert client.get("/admin/").status_code == 302


def test_logout_without_csrf_token_is_refused_and_the_session_stays(
    client: FlaskClient, db: Session
) -> None:
    make_user(db, "administrateur")
    log_in(client, "administrateur@exemple.test")
    assert client.post("/admin/deconnexion", data={}).status_code == 400
    assert client.get("/admin/").status_code == 200


def test_login_starts_a_new_session_and_ends_the_one_the_browser_brought(
    client: FlaskClient, db: Session, admin_app: Flask
) -> None:
    make_user(db, "administrateur")
    make_user(db, "gestionnaire", "g@exemple.test", areas=[("departement", "62")])
    log_in(client, "administrateur@exemple.test")
    with client.session_transaction() as cookie:
        first = cookie["admin_session"]
    log_in(client, "g@exemple.test")
    with client.session_transaction() as cookie:
        second = cookie["admin_session"]
    assert first != second
    replay = admin_app.test_client()
    with replay.session_transaction() as cookie:
        cookie["admin_session"] = first
    assert replay.get("/admin/").status_code == 302


def test_logout_really_ends_the_session(client: FlaskClient, db: Session, admin_app: Flask) -> None:
    make_user(db, "administrateur")
    log_in(client, "administrateur@exemple.test")
    with client.session_transaction() as cookie:
        token = cookie["admin_session"]
    response = post_form(client, "/admin/deconnexion", {}, form_path="/admin/")
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 302
    stolen = admin_app.test_client()
    with stolen.session_transaction() as cookie:
        cookie["admin_session"] = token  # a copy of the cookie taken before the logout
    assert stolen.get("/admin/").status_code == 302
    assert db.scalar(select(LoginSession)) is None


def test_a_disabled_account_loses_its_open_session(client: FlaskClient, db: Session) -> None:
    user = make_user(db, "administrateur")
    log_in(client, user.email)
    user.is_active = False
    db.commit()
    assert client.get("/admin/").status_code == 302


def test_the_account_is_locked_after_too_many_failures(
    client: FlaskClient, db: Session, admin_app: Flask
) -> None:
    user = make_user(db, "administrateur")
    failures = int(admin_app.config["ADMIN_LOGIN_MAX_FAILURES"])
    statuses = [log_in(client, user.email, "mauvais mot de passe").status_code
                for _ in range(failures)]  # fmt: skip
    assert statuses == [401] * (failures - 1) + [429]  # the last failure locks
    locked = log_in(client, user.email)  # the right password, too late
    assert locked.status_code == 429
    assert "bloquée jusqu" in locked.text
    assert client.get("/admin/").status_code == 302


@pytest.fixture
def throttled_app(loaded_engine: Engine, admin_index_dir, admin_app: Flask, db: Session) -> Flask:  # type: ignore[no-untyped-def]
    app = make_test_app(loaded_engine, admin_index_dir, ADMIN_LOGIN_ATTEMPTS_PER_MINUTE=3)
    app.extensions["aiguillage.sessions"] = admin_app.extensions["aiguillage.sessions"]
    return app


def test_login_attempts_are_throttled_per_address(throttled_app: Flask, db: Session) -> None:
    make_user(db, "administrateur")
    client = throttled_app.test_client()
    statuses = [
        log_in(client, f"inconnu{n}@exemple.test", "mauvais mot de passe").status_code
        for n in range(4)
    ]
    assert statuses == [401, 401, 401, 429]
    refused = log_in(client, "administrateur@exemple.test")
    assert refused.status_code == 429 and "attendez une minute" in refused.text


def test_admin_pages_carry_the_security_headers(client: FlaskClient, db: Session) -> None:
    make_user(db, "administrateur")
    log_in(client, "administrateur@exemple.test")
    for response in (client.get("/admin/"), client.get("/admin/login")):
        policy = response.headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in policy
        assert "script-src 'self' 'nonce-" in policy and "unsafe-inline" not in policy
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert response.headers["Cache-Control"] == "no-store"
        assert "Strict-Transport-Security" not in response.headers
    secure = client.get("/admin/login", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")


def test_the_session_cookie_is_http_only_and_same_site(client: FlaskClient, db: Session) -> None:
    make_user(db, "administrateur")
    response = log_in(client, "administrateur@exemple.test")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_secure_cookies_when_configured(loaded_engine: Engine, admin_index_dir) -> None:  # type: ignore[no-untyped-def]
    app = make_test_app(loaded_engine, admin_index_dir, SESSION_COOKIE_SECURE=True)
    response = app.test_client().get("/admin/login")
    assert "Secure" in response.headers["Set-Cookie"]


def test_a_one_time_link_lets_the_owner_choose_a_password(
    client: FlaskClient, db: Session, admin_app: Flask
) -> None:
    runner = admin_app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "nouvelle@exemple.test", "--role",
                                 "coordinateur-bus"])  # fmt: skip
    assert result.exit_code == 0, result.output
    path = next(line for line in result.output.splitlines() if "/admin/mot-de-passe/" in line)
    page = client.get(path)
    assert page.status_code == 200 and "nouvelle@exemple.test" in page.text
    mismatch = post_form(client, path, {"password": PASSWORD, "confirmation": "autre chose"})
    assert mismatch.status_code == 422
    short = post_form(client, path, {"password": "court", "confirmation": "court"})
    assert short.status_code == 422 and "12 caractères" in short.text
    done = post_form(client, path, {"password": PASSWORD, "confirmation": PASSWORD})
    assert done.status_code == 302
    assert client.get(path).status_code == 404  # used once
    assert log_in(client, "nouvelle@exemple.test").status_code == 302


def test_users_commands_create_list_disable_and_are_audited(admin_app: Flask, db: Session) -> None:
    runner = admin_app.test_cli_runner()
    created = runner.invoke(
        args=["users", "create", "g62@exemple.test", "--role", "gestionnaire",
              "--departement", "62", "--epci", "200033579"]
    )  # fmt: skip
    assert created.exit_code == 0, created.output
    refused = runner.invoke(args=["users", "create", "x@exemple.test", "--role", "gestionnaire"])
    assert refused.exit_code != 0 and "au moins une intercommunalité" in refused.output
    listing = runner.invoke(args=["users", "list"])
    assert "g62@exemple.test\tGestionnaire de territoire\tepci:200033579 departement:62" in (
        listing.output
    )
    assert "sans mot de passe" in listing.output
    disabled = runner.invoke(args=["users", "disable", "g62@exemple.test"])
    assert disabled.exit_code == 0
    user = db.scalar(select(User).where(User.email == "g62@exemple.test"))
    assert user is not None and not user.is_active
    link = runner.invoke(args=["users", "reset-link", "g62@exemple.test"])
    assert link.exit_code != 0 and "désactivé" in link.output
    actions = list(db.scalars(select(AuditEntry.action).where(AuditEntry.origin == "commande")))
    assert actions == ["account-create", "account-disable"]
