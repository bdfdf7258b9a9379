"""Home, sources, accessibility statement and legal notice."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

from directory.queries import count_partners_by_kind, list_rights
from directory.vocabulary import PARTNER_KIND_LABELS
from geodata.data_files import DATA_DIR
from geodata.queries import count_communes
from web.database import db_session

pages = Blueprint("pages", __name__)


@pages.get("/")
def home() -> str:
    session = db_session()
    counts = count_partners_by_kind(session)
    kinds = [(PARTNER_KIND_LABELS.get(kind, kind), count) for kind, count in sorted(counts.items())]
    return render_template(
        "pages/home.html",
        kinds=kinds,
        partner_total=sum(counts.values()),
        communes=count_communes(session),
        rights=list_rights(session),
    )


@pages.get("/sources")
def sources() -> str:
    text = (DATA_DIR / "DATA_SOURCES.md").read_text(encoding="utf-8")
    return render_template("pages/sources.html", text=text)


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
