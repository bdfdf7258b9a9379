"""/droits: the rights catalogue in plain French, and where to get help for each right."""

from __future__ import annotations

from flask import Blueprint, render_template

from directory.queries import get_right, list_rights
from web.database import db_session
from web.presentation.rights import right_document, right_summary

rights_pages = Blueprint("rights_pages", __name__)


@rights_pages.get("/droits")
def catalogue() -> str:
    rights = [right_summary(right) for right in list_rights(db_session())]
    return render_template("pages/rights.html", rights=rights)


@rights_pages.get("/droits/<string:slug>")
def right(slug: str) -> str:
    return render_template("pages/right.html", r=right_document(get_right(db_session(), slug)))
