"""The back-office blueprint and what guards every one of its views.

Before any view: a POST must carry a valid CSRF token, and every page but the login and
the password link needs a live login session (`admin.accounts.find_login_session`);
the account and its login session are then in ``g``. After: answers are never cached.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import Blueprint, Response, current_app, g, redirect, render_template, request, session
from flask_babel import gettext as _
from flask_wtf.csrf import validate_csrf
from werkzeug.wrappers import Response as BaseResponse
from wtforms import ValidationError

from admin.accounts import SessionLimits, find_login_session
from admin.audit import Actor, Origin
from admin.models import User
from admin.roles import Action, is_allowed, role_label
from directory.search import SearchIndex
from web.api.providers import search_index
from web.database import db_session
from web.schemas.instants import now

admin = Blueprint("admin", __name__, url_prefix="/admin")

SESSION_KEY = "admin_session"
OPEN_ENDPOINTS = frozenset({"admin.login", "admin.login_submit", "admin.choose_password"})
LAST_SEEN_STEP = timedelta(minutes=1)


def current_user() -> User:
    user: User = g.admin_user
    return user


def screen_actor(screen: str) -> Actor:
    """The signed-in account, acting from a screen of the back office."""
    user = current_user()
    return Actor(user.id, user.email, Origin.SCREEN, screen)


def partner_index() -> SearchIndex:
    return search_index()


def session_limits() -> SessionLimits:
    config = current_app.config
    return SessionLimits(
        idle=timedelta(minutes=int(config["ADMIN_SESSION_IDLE_MINUTES"])),
        lifetime=timedelta(hours=int(config["ADMIN_SESSION_MAX_HOURS"])),
    )


def _csrf_refused() -> tuple[str, int]:
    message = _(
        "Le formulaire a expiré ou ne vient pas de ce site : rechargez la page et recommencez."
    )
    return render_template("admin/error.html", status=400, message=message), 400


def _login_redirect() -> BaseResponse:
    target = request.full_path if request.method == "GET" else request.path
    return redirect(f"/admin/login?next={_safe_next(target)}")


def _safe_next(target: str) -> str:
    """Only a path of the back office (never another site) is kept as a destination."""
    from urllib.parse import quote

    target = target.rstrip("?")
    if not target.startswith("/admin") or target.startswith("//"):
        return quote("/admin/")
    return quote(target, safe="/")


@admin.before_request
def _guard() -> Response | BaseResponse | tuple[str, int] | None:
    if request.method == "POST":
        try:
            validate_csrf(request.form.get("csrf_token", ""))
        except ValidationError:
            return _csrf_refused()
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    token = session.get(SESSION_KEY)
    if not isinstance(token, str):
        return _login_redirect()
    db = db_session()
    instant = now()
    found = find_login_session(db, token, instant, session_limits())
    if found is None:
        db.commit()  # an expired session is deleted
        session.pop(SESSION_KEY, None)
        return _login_redirect()
    if instant - found.last_seen_at >= LAST_SEEN_STEP:
        found.last_seen_at = instant
        db.commit()
    g.admin_user = found.user
    g.admin_session_id = found.id
    return None


def guard_unrouted() -> Response | BaseResponse | tuple[str, int] | None:
    """An unknown address under /admin is a 404 only for someone signed in."""
    if request.blueprint is None and (request.path + "/").startswith("/admin/"):
        return _guard()
    return None


@admin.after_request
def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


@admin.context_processor
def _admin_globals() -> dict[str, object]:
    user = g.get("admin_user")

    def can(action: str) -> bool:
        return user is not None and is_allowed(user.role, Action(action))

    return {"admin_user": user, "can": can, "role_label": role_label}


def local_time(instant: datetime) -> str:
    from zoneinfo import ZoneInfo

    return instant.astimezone(ZoneInfo("Europe/Paris")).strftime("%d/%m/%Y %H:%M")


@admin.app_template_filter("admin_time")
def admin_time(instant: datetime | None) -> str:
    return local_time(instant) if instant is not None else ""


@admin.app_template_filter("origin_label")
def origin_label(origin: str) -> str:
    from admin.audit import ORIGIN_LABELS, Origin

    try:
        return ORIGIN_LABELS[Origin(origin)]
    except ValueError:
        return origin


@admin.app_template_filter("audit_value")
def audit_value(value: object) -> str:
    """A value of the audit log in words (lists joined, booleans in French)."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, list):
        return " ; ".join(str(item) for item in value)
    return str(value)
