"""The back office's home: the account's scope and the freshness dashboard."""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from admin.blueprint import admin, current_user
from admin.models import User
from directory.models import Partner
from geodata.models import Departement, Epci
from web.database import db_session


def scope_lines(session: Session, user: User) -> list[str]:
    """The account's territory or partners, in words."""
    lines = []
    for area in user.areas:
        if area.level == "departement":
            name = session.scalar(select(Departement.name).where(Departement.code == area.code))
            lines.append(_("Département %(code)s — %(name)s", code=area.code, name=name or "?"))
        else:
            name = session.scalar(select(Epci.name).where(Epci.siren == area.code))
            lines.append(_("Intercommunalité %(name)s (SIREN %(code)s)", name=name or "?",
                           code=area.code))  # fmt: skip
    if user.partner_ids:
        query = select(Partner.id, Partner.name).where(Partner.id.in_(user.partner_ids))
        lines.extend(f"{name} (n° {pid})" for pid, name in session.execute(query))
    return lines


@admin.get("/")
def home() -> str:
    session = db_session()
    return render_template("admin/home.html", scope_lines=scope_lines(session, current_user()))
