"""What the pages need around them: translations (gettext), CSRF tokens, security
headers, template filters, the territory's identity and safe session cookies."""

from __future__ import annotations

from flask import Flask
from flask_babel import Babel
from flask_wtf.csrf import generate_csrf

from web.maps import marker_styles
from web.page_filters import init_page_filters
from web.security_headers import init_security_headers

DEFAULT_LOCALE = "fr"


def init_pages(app: Flask) -> None:
    # French is the only language shipped; a territory adds one with a catalogue under
    # web/translations/ (see docs/ARCHITECTURE.md, « Langues »).
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LOCALE)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", "translations")
    Babel(app, locale_selector=lambda: DEFAULT_LOCALE)
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=bool(app.config["SESSION_COOKIE_SECURE"]),
        WTF_CSRF_TIME_LIMIT=int(app.config["CSRF_TIME_LIMIT_S"]),
    )
    app.jinja_env.globals.update(csrf_token=generate_csrf, marker_styles=marker_styles)
    init_security_headers(app)
    init_page_filters(app)
