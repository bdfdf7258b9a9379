"""Possible duplicates on demand, and the merge a person chooses: one fiche is kept, the
other's services, areas, closures and reports join it, then the other is deleted."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select, update
from werkzeug.wrappers import Response as BaseResponse

from admin.audit import partner_snapshot, record
from admin.blueprint import admin, current_user, partner_index, screen_actor
from admin.imports.duplicates import DuplicateFinder
from admin.models import UserPartner
from admin.partner_views import partner_for, require_action
from admin.roles import Action
from admin.scope import partner_scope
from directory.models import Partner
from directory.upkeep import merge_partners
from web.database import db_session

SHOWN_PAIRS = 200


@admin.get("/doublons")
def duplicates() -> str:
    require_action(Action.MERGE_PARTNERS)
    session = db_session()
    in_scope = set(session.scalars(select(Partner.id).where(partner_scope(current_user()))))
    pairs = [
        (first, candidate)
        for first, candidate in DuplicateFinder(session).pairs(in_scope)
        if first in in_scope and candidate.partner_id in in_scope
    ]
    involved = [first for first, _candidate in pairs]
    query = select(Partner.id, Partner.name).where(Partner.id.in_(involved))
    names = {row.id: row.name for row in session.execute(query)}
    return render_template(
        "admin/duplicates.html",
        pairs=pairs[:SHOWN_PAIRS],
        total=len(pairs),
        names=names,
    )


@admin.post("/doublons/fusionner")
def duplicates_merge() -> BaseResponse:
    require_action(Action.MERGE_PARTNERS)
    keep_id = request.form.get("garder", type=int) or 0
    remove_id = request.form.get("supprimer", type=int) or 0
    kept = partner_for(keep_id, Action.MERGE_PARTNERS)
    removed = partner_for(remove_id, Action.DELETE_PARTNER)
    if request.form.get("confirmation") != "1":
        flash(_("Cochez la case de confirmation pour fusionner les deux fiches."))
        return redirect(url_for("admin.duplicates"))
    session = db_session()
    before_kept, before_removed = partner_snapshot(kept), partner_snapshot(removed)
    removed_name = removed.name
    session.execute(
        update(UserPartner).where(UserPartner.partner_id == remove_id,
                                  UserPartner.user_id.not_in(select(UserPartner.user_id)
                                  .where(UserPartner.partner_id == keep_id)))
        .values(partner_id=keep_id)
    )  # fmt: skip
    merged = merge_partners(session, partner_index(), keep_id, remove_id)
    actor = screen_actor("doublons")
    record(session, actor, "partner-merge", f"Fiche n° {remove_id} ({removed_name}) fusionnée ici",
           partner_id=keep_id, before=before_kept, after=partner_snapshot(merged))  # fmt: skip
    record(session, actor, "partner-delete", f"Fusionnée dans la fiche n° {keep_id}",
           partner_id=remove_id, before=before_removed)  # fmt: skip
    session.commit()
    flash(_("Les deux fiches n'en font plus qu'une : n° %(id)d.", id=keep_id))
    return redirect(url_for("admin.partner", partner_id=keep_id))
