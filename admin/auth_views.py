"""Login, logout and the one-time password link of the back office."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as BaseResponse

from admin.accounts import (
    LoginPolicy,
    authenticate,
    close_login_session,
    find_reset_user,
    open_login_session,
    reset_password,
)
from admin.blueprint import SESSION_KEY, _safe_next, admin, local_time
from admin.errors import InvalidResetLink, WeakPassword
from web.database import db_session
from web.rate_limit import RateLimiter, client_address
from web.schemas.instants import now

MAX_FIELD_LENGTH = 300


def _login_limiter() -> RateLimiter | None:
    per_minute = int(current_app.config["ADMIN_LOGIN_ATTEMPTS_PER_MINUTE"])
    if per_minute <= 0:
        return None
    extensions = current_app.extensions
    if "aiguillage.admin_login_limiter" not in extensions:
        extensions["aiguillage.admin_login_limiter"] = RateLimiter(per_minute)
    limiter: RateLimiter = extensions["aiguillage.admin_login_limiter"]
    return limiter


def _login_page(error: str | None = None, status: int = 200, email: str = "") -> tuple[str, int]:
    next_path = request.values.get("next", "")
    return render_template(
        "admin/login.html", error=error, email=email, next_path=next_path
    ), status


@admin.get("/login")
def login() -> tuple[str, int]:
    return _login_page()


@admin.post("/login")
def login_submit() -> BaseResponse | tuple[str, int]:
    email = request.form.get("email", "")[:MAX_FIELD_LENGTH]
    password = request.form.get("password", "")[:MAX_FIELD_LENGTH]
    limiter = _login_limiter()
    proxy_hops = int(current_app.config["RATE_LIMIT_PROXY_HOPS"])
    if limiter is not None and not limiter.hit(client_address(proxy_hops))[0]:
        return _login_page(
            _("Trop d'essais de connexion depuis cet appareil : attendez une minute."), 429, email
        )
    config = current_app.config
    policy = LoginPolicy(
        max_failures=int(config["ADMIN_LOGIN_MAX_FAILURES"]),
        lockout=timedelta(minutes=int(config["ADMIN_LOGIN_LOCKOUT_MINUTES"])),
    )
    db = db_session()
    outcome = authenticate(db, email, password, now(), policy)
    if outcome.user is None:
        db.commit()  # the failure counts
        if outcome.locked_until is not None:
            message = _(
                "Trop d'échecs : la connexion à ce compte est bloquée jusqu'à %(time)s.",
                time=local_time(outcome.locked_until),
            )
            return _login_page(message, 429, email)
        return _login_page(_("Adresse électronique ou mot de passe incorrect."), 401, email)
    old_token = session.get(SESSION_KEY)
    if isinstance(old_token, str):
        close_login_session(db, old_token)
    session.clear()  # a new session: nothing the browser brought survives the login
    session[SESSION_KEY] = open_login_session(db, outcome.user, now())
    db.commit()
    target = request.form.get("next", "")
    return redirect(_unquoted_next(target) or url_for("admin.home"))


def _unquoted_next(target: str) -> str | None:
    from urllib.parse import unquote

    path = unquote(_safe_next(target)) if target else ""
    return path or None


@admin.post("/deconnexion")
def logout() -> BaseResponse:
    token = session.get(SESSION_KEY)
    if isinstance(token, str):
        close_login_session(db_session(), token)
        db_session().commit()
    session.clear()
    flash(_("Vous êtes déconnecté."))
    return redirect(url_for("admin.login"))


@admin.route("/mot-de-passe/<token>", methods=["GET", "POST"])
def choose_password(token: str) -> BaseResponse | tuple[str, int]:
    db = db_session()
    user = find_reset_user(db, token[:100], now())
    if user is None:
        message = _("Ce lien n'est plus valable (déjà utilisé ou expiré) : demandez-en un nouveau.")
        return render_template("admin/error.html", status=404, message=message), 404
    if request.method == "GET":
        return render_template("admin/choose_password.html", email=user.email, error=None), 200
    password = request.form.get("password", "")
    if password != request.form.get("confirmation", ""):
        error = _("Les deux mots de passe ne sont pas identiques.")
        return render_template("admin/choose_password.html", email=user.email, error=error), 422
    try:
        reset_password(db, token, password, now())
    except (WeakPassword, InvalidResetLink) as exc:
        db.rollback()
        return render_template(
            "admin/choose_password.html", email=user.email, error=exc.message
        ), 422
    db.commit()
    session.clear()
    flash(_("Votre mot de passe est enregistré : connectez-vous."))
    return redirect(url_for("admin.login"))
