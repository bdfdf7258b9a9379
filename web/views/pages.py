"""Public pages for residents and professionals."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, render_template

from directory.queries import count_partners_by_kind
from directory.vocabulary import PARTNER_KIND_LABELS
from geodata.queries import count_communes
from web.database import db_session

DATA_SOURCES_FILE = Path(__file__).resolve().parents[2] / "data" / "DATA_SOURCES.md"

pages = Blueprint("pages", __name__)


@pages.get("/")
def home() -> str:
    session = db_session()
    counts = count_partners_by_kind(session)
    kinds = [(PARTNER_KIND_LABELS.get(kind, kind), count) for kind, count in sorted(counts.items())]
    return render_template(
        "home.html",
        kinds=kinds,
        partner_total=sum(counts.values()),
        communes=count_communes(session),
    )


@pages.get("/sources")
def sources() -> str:
    text = DATA_SOURCES_FILE.read_text(encoding="utf-8")
    return render_template("sources.html", text=text)
