"""The back office's home: the account's scope and the freshness dashboard (see
`admin.freshness`)."""

from __future__ import annotations

from flask import current_app, render_template
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from admin.blueprint import admin, current_user
from admin.freshness import (
    count_attention,
    count_by_territory,
    has_no_hours,
    oldest_to_confirm,
    oldest_unverified,
    partners_where,
    stale_before,
)
from admin.models import User
from directory.confirmation import ConfirmationPolicy
from directory.models import Partner
from geodata.models import Departement, Epci
from web.database import db_session
from web.schemas.instants import now


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
    user = current_user()
    months = int(current_app.config["FRESHNESS_VERIFIED_MONTHS"])
    limit = stale_before(now().date(), months)
    by_departement, by_epci = count_by_territory(session, user, limit)
    policy = ConfirmationPolicy(int(current_app.config["PARTNER_MAX_AGE_MONTHS"]))
    to_confirm_total, to_confirm = oldest_to_confirm(session, user, policy, now().date())
    return render_template(
        "admin/home.html",
        scope_lines=scope_lines(session, user),
        months=months,
        max_age_months=policy.max_age_months,
        to_confirm=to_confirm,
        to_confirm_total=to_confirm_total,
        counts=count_attention(session, user, limit),
        unverified=oldest_unverified(session, user, limit),
        without_hours=partners_where(session, user, has_no_hours()),
        doubtful=partners_where(session, user, Partner.is_location_doubtful.is_(True)),
        by_departement=by_departement,
        by_epci=by_epci,
    )
