"""Read-only views: the rights catalogue (its content is kept in files, reviewed by the
documented procedure) and the bus routes (edited with `bus import`, see docs/BUS.md)."""

from __future__ import annotations

from flask import render_template

from admin.blueprint import admin
from admin.partner_views import require_action
from admin.roles import Action
from directory.queries import list_rights
from routing.bus.routes import list_bus_routes
from web.database import db_session
from web.schemas.instants import now


@admin.get("/droits")
def rights() -> str:
    require_action(Action.VIEW_RIGHTS)
    return render_template("admin/rights.html", rights=list_rights(db_session()))


@admin.get("/bus")
def bus() -> str:
    require_action(Action.VIEW_BUS)
    return render_template("admin/bus.html", routes=list_bus_routes(db_session(), now()))
