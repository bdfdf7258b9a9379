"""Partners in the back office: the list of those in the account's scope, one partner's
page with its history, the full edit form, creation, deletion and « still accurate ».

Every view reads its partner through `admin.scope.get_partner_in_scope` and every write
goes through the directory's operations, then the audit log, then one commit.
"""

from __future__ import annotations

from datetime import date

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from werkzeug.wrappers import Response as BaseResponse

from admin.audit import field_label, list_partner_history, partner_snapshot, record
from admin.blueprint import admin, current_user, partner_index, screen_actor
from admin.freshness import has_no_hours, is_to_confirm, is_unverified, stale_before
from admin.partner_form import (
    BACK_OFFICE_SOURCE,
    ParsedForm,
    form_fields,
    parse_partner_form,
    service_rows,
)
from admin.roles import Action, Role
from admin.scope import (
    OutOfScope,
    get_partner_in_scope,
    is_commune_in_scope,
    partner_scope,
    require,
)
from directory.confirmation import ConfirmationPolicy
from directory.errors import InvalidPartner
from directory.models import Partner
from directory.operations import create_partner, delete_partner, partner_values, update_partner
from directory.queries import list_rights
from directory.upkeep import confirm_partner
from directory.values import PartnerValues
from directory.vocabulary import (
    ACCESSIBILITY_LABELS,
    APPOINTMENT_LABELS,
    HELP_LEVEL_LABELS,
    PARTNER_KIND_LABELS,
)
from web.database import db_session
from web.schemas.instants import now

PAGE_SIZE = 50
LIST_FILTERS = {
    "": "Toutes les fiches",
    "douteuses": "Position douteuse",
    "sans-horaires": "Sans horaires",
    "a-verifier": "Non vérifiées depuis longtemps",
    "a-confirmer": "À confirmer (informations trop anciennes)",
}


def partner_for(partner_id: int, action: Action) -> Partner:
    """The partner if the signed-in account may do ``action`` on it, else a 403 page."""
    try:
        return get_partner_in_scope(db_session(), current_user(), partner_id, action)
    except OutOfScope as exc:
        abort(403, description=exc.message)


def require_action(action: Action) -> None:
    try:
        require(current_user(), action)
    except OutOfScope as exc:
        abort(403, description=exc.message)


def today() -> date:
    return now().date()


@admin.get("/partenaires")
def partners() -> str:
    require_action(Action.VIEW_PARTNER)
    session = db_session()
    text = request.args.get("q", "").strip()[:100]
    chosen = request.args.get("filtre", "")
    chosen = chosen if chosen in LIST_FILTERS else ""
    page = max(1, request.args.get("page", 1, type=int) or 1)
    conditions = [partner_scope(current_user())]
    if text:
        conditions.append(or_(Partner.name.ilike(f"%{text}%"), Partner.city.ilike(f"%{text}%")))
    if chosen == "douteuses":
        conditions.append(Partner.is_location_doubtful.is_(True))
    elif chosen == "sans-horaires":
        conditions.append(has_no_hours())
    elif chosen == "a-verifier":
        months = int(current_app.config["FRESHNESS_VERIFIED_MONTHS"])
        conditions.append(is_unverified(stale_before(today(), months)))
    elif chosen == "a-confirmer":
        policy = ConfirmationPolicy(int(current_app.config["PARTNER_MAX_AGE_MONTHS"]))
        conditions.append(is_to_confirm(policy, today()))
    total = int(session.scalar(select(func.count(Partner.id)).where(*conditions)) or 0)
    rows = session.execute(
        select(Partner.id, Partner.name, Partner.kind, Partner.city, Partner.verified_at,
               Partner.is_location_doubtful)
        .where(*conditions)
        .order_by(Partner.name, Partner.id)
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()  # fmt: skip
    return render_template(
        "admin/partners.html",
        rows=rows,
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        text=text,
        chosen=chosen,
        filters=LIST_FILTERS,
        kinds=PARTNER_KIND_LABELS,
    )


@admin.get("/partenaires/<int(max=2147483647):partner_id>")
def partner(partner_id: int) -> str:
    found = partner_for(partner_id, Action.VIEW_PARTNER)
    session = db_session()
    return render_template(
        "admin/partner.html",
        p=found,
        values=partner_values(found),
        history=list_partner_history(session, partner_id, limit=30),
        field_label=field_label,
        kinds=PARTNER_KIND_LABELS,
        levels=HELP_LEVEL_LABELS,
        rights={r.slug: r.name for r in list_rights(session)},
    )


@admin.get("/partenaires/<int(max=2147483647):partner_id>/historique")
def partner_history(partner_id: int) -> str:
    found = partner_for(partner_id, Action.VIEW_PARTNER)
    history = list_partner_history(db_session(), partner_id, limit=1000)
    return render_template("admin/history.html", p=found, history=history, field_label=field_label)


def _render_form(
    values: PartnerValues, errors: dict[str, list[str]], partner: Partner | None, status: int
) -> tuple[str, int]:
    rights = list_rights(db_session())
    page = render_template(
        "admin/partner_form.html",
        p=partner,
        fields=form_fields(values),
        services=service_rows(rights, values),
        errors=errors,
        kinds=PARTNER_KIND_LABELS,
        levels=HELP_LEVEL_LABELS,
        accessibility=ACCESSIBILITY_LABELS,
        appointment=APPOINTMENT_LABELS,
        may_change_commune=current_user().role != Role.REFERENT or partner is not None,
    )
    return page, status


def _territory_errors(parsed: ParsedForm, previous_commune: str | None) -> None:
    """A gestionnaire keeps their partners inside their territory."""
    user = current_user()
    commune = parsed.values.insee_code
    if (
        user.role == Role.GESTIONNAIRE
        and commune != previous_commune
        and not is_commune_in_scope(db_session(), user, commune)
    ):
        parsed.errors.setdefault("insee_code", []).append(
            _("Cette commune est hors de votre territoire.")
        )


@admin.route("/partenaires/<int(max=2147483647):partner_id>/modifier", methods=["GET", "POST"])
def partner_edit(partner_id: int) -> BaseResponse | tuple[str, int]:
    found = partner_for(partner_id, Action.EDIT_PARTNER)
    base = partner_values(found)
    if request.method == "GET":
        return _render_form(base, {}, found, 200)
    session = db_session()
    parsed = parse_partner_form(request.form, base, list_rights(session))
    _territory_errors(parsed, found.insee_code)
    if parsed.errors:
        return _render_form(parsed.values, parsed.errors, found, 422)
    before = partner_snapshot(found)
    try:
        update_partner(session, partner_index(), partner_id, parsed.values)
    except InvalidPartner as exc:
        session.rollback()
        return _render_form(parsed.values, exc.field_errors, found, 422)
    record(session, screen_actor("fiche complète"), "partner-update",
           f"Fiche modifiée : {found.name}", partner_id=partner_id,
           before=before, after=partner_snapshot(found))  # fmt: skip
    session.commit()
    flash(_("La fiche est enregistrée."))
    return redirect(url_for("admin.partner", partner_id=partner_id))


def _new_values() -> PartnerValues:
    return PartnerValues(
        kind="other", name="", source=BACK_OFFICE_SOURCE, source_date=today(), verified_at=today()
    )


@admin.route("/partenaires/nouveau", methods=["GET", "POST"])
def partner_create() -> BaseResponse | tuple[str, int]:
    require_action(Action.CREATE_PARTNER)
    base = _new_values()
    if request.method == "GET":
        return _render_form(base, {}, None, 200)
    session = db_session()
    parsed = parse_partner_form(request.form, base, list_rights(session))
    _territory_errors(parsed, None)
    if parsed.errors:
        return _render_form(parsed.values, parsed.errors, None, 422)
    try:
        created = create_partner(session, partner_index(), parsed.values)
    except InvalidPartner as exc:
        session.rollback()
        return _render_form(parsed.values, exc.field_errors, None, 422)
    record(session, screen_actor("création"), "partner-create",
           f"Fiche créée : {created.name}", partner_id=created.id,
           after=partner_snapshot(created))  # fmt: skip
    session.commit()
    flash(_("La fiche est créée."))
    return redirect(url_for("admin.partner", partner_id=created.id))


@admin.post("/partenaires/<int(max=2147483647):partner_id>/confirmer")
def partner_confirm(partner_id: int) -> BaseResponse:
    found = partner_for(partner_id, Action.CONFIRM_PARTNER)
    session = db_session()
    before = {"verified_at": _iso(found.verified_at)}
    confirm_partner(session, partner_index(), partner_id, today())
    record(session, screen_actor("toujours exactes"), "partner-confirm",
           f"Informations confirmées : {found.name}", partner_id=partner_id,
           before=before, after={"verified_at": today().isoformat()})  # fmt: skip
    session.commit()
    flash(_("Merci : la fiche est marquée comme vérifiée aujourd'hui."))
    if request.form.get("retour") == "tableau":
        return redirect(url_for("admin.home"))
    return redirect(url_for("admin.partner", partner_id=partner_id))


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


@admin.post("/partenaires/<int(max=2147483647):partner_id>/supprimer")
def partner_delete(partner_id: int) -> BaseResponse | tuple[str, int]:
    found = partner_for(partner_id, Action.DELETE_PARTNER)
    if request.form.get("confirmation") != "1":
        flash(_("Cochez la case de confirmation pour supprimer la fiche."))
        return redirect(url_for("admin.partner", partner_id=partner_id))
    session = db_session()
    before = partner_snapshot(found)
    name = found.name
    delete_partner(session, partner_index(), partner_id)
    record(session, screen_actor("suppression"), "partner-delete", f"Fiche supprimée : {name}",
           partner_id=partner_id, before=before)  # fmt: skip
    session.commit()
    flash(_("La fiche « %(name)s » est supprimée.", name=name))
    return redirect(url_for("admin.partners"))
