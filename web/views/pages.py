"""Home, sources, accessibility statement and legal notice."""

from __future__ import annotations

import re

from flask import Blueprint, Response, current_app, make_response, render_template, request

from directory.queries import count_partners_by_kind, list_rights
from directory.vocabulary import PARTNER_KIND_LABELS
from geodata.data_files import DATA_DIR
from geodata.queries import count_communes
from web.database import db_session

pages = Blueprint("pages", __name__)

# Pages without a form nor a per-answer nonce: the same content gives the same bytes, so a
# browser or a proxy may keep them a few minutes and revalidate them with their ETag.
PAGE_MAX_AGE_S = 300
THEME_MAX_AGE_S = 3600
# A CSS colour as a territory writes it (« #005ea8 », « rgb(0, 94, 168) », « teal »): nothing
# that could close the declaration.
CSS_COLOUR = re.compile(r"#[0-9a-fA-F]{3,8}|[a-z]+|(rgb|hsl)a?\([0-9., %]+\)")


def revalidatable(body: str, max_age_s: int, mimetype: str = "text/html") -> Response:
    response = make_response(body)
    response.mimetype = mimetype
    response.cache_control.public = True
    response.cache_control.max_age = max_age_s
    response.add_etag()
    response.make_conditional(request)
    return response


@pages.get("/")
def home() -> Response:
    session = db_session()
    counts = count_partners_by_kind(session)
    kinds = [(PARTNER_KIND_LABELS.get(kind, kind), count) for kind, count in sorted(counts.items())]
    html = render_template(
        "pages/home.html",
        kinds=kinds,
        partner_total=sum(counts.values()),
        communes=count_communes(session),
        rights=list_rights(session),
    )
    return revalidatable(html, PAGE_MAX_AGE_S)


@pages.get("/sources")
def sources() -> Response:
    text = (DATA_DIR / "DATA_SOURCES.md").read_text(encoding="utf-8")
    return revalidatable(render_template("pages/sources.html", text=text), PAGE_MAX_AGE_S)


@pages.get("/theme.css")
def theme_css() -> Response:
    """The territory's colour, as a stylesheet: pages carry no inline style of their own."""
    colour = str(current_app.config["TERRITORY_COLOUR"]).strip()
    css = f":root {{ --accent: {colour}; }}\n"
    if CSS_COLOUR.fullmatch(colour) is None:  # the default of aiguillage.css stays
        css = "/* AIGUILLAGE_TERRITORY_COLOUR n'est pas une couleur CSS : ignorée. */\n"
    return revalidatable(css, THEME_MAX_AGE_S, "text/css")


@pages.get("/accessibilite")
def accessibility() -> str:
    return render_template("pages/accessibility.html")


@pages.get("/mentions-legales")
def legal() -> str:
    config = current_app.config
    return render_template(
        "pages/legal.html",
        publisher=config["LEGAL_PUBLISHER"],
        director=config["LEGAL_PUBLICATION_DIRECTOR"],
        host=config["LEGAL_HOST"],
        report_retention_days=config["ERROR_REPORT_CONTACT_RETENTION_DAYS"],
    )
