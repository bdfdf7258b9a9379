"""Keeping a partner true: opening hours with a live check, dated closures, and its
position moved on a map (which clears the doubtful-position flag, with a trace)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from flask import current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as BaseResponse

from admin.audit import partner_snapshot, record
from admin.blueprint import admin, partner_index, screen_actor
from admin.partner_views import partner_for, today
from admin.roles import Action
from directory.errors import InvalidPartner
from directory.hours import Closure, HoursError, format_day, parse_error
from directory.models import Partner
from directory.operations import partner_values, update_partner
from directory.partner_cards import card_of
from directory.upkeep import move_partner, replace_closures
from geodata.models import Commune
from web.database import db_session
from web.maps import build_map, settings_from
from web.presentation.partners import hours_fields
from web.schemas.instants import now
from web.security_headers import csp_nonce

MAX_HOURS_LENGTH = 2000
NEW_CLOSURE_ROWS = 2


def hours_check(partner: Partner, text: str) -> dict[str, Any]:
    """What ``text`` means for this partner, now: « ce texte signifie … ; ouvert ? … »."""
    text = text.strip()
    if not text:
        return {"text": text, "error": None, "meaning": _("Horaires non renseignés"),
                "status": _("« Horaires à confirmer » sera affiché.")}  # fmt: skip
    problem = parse_error(text)
    if problem:
        return {"text": text, "error": problem, "meaning": None, "status": None}
    card = replace(card_of(partner), opening_hours=text)
    fields = hours_fields(card, now())
    note = (
        None
        if partner.insee_code
        else _("Commune inconnue : jours fériés et fuseau horaire non pris en compte.")
    )
    return {"text": text, "error": None, "meaning": fields["opening_hours_text"],
            "status": fields["opening_status"], "note": note}  # fmt: skip


@admin.get("/partenaires/<int(max=2147483647):partner_id>/horaires/apercu")
def hours_preview(partner_id: int) -> Any:
    """The live check, for the page's script (the page also works without it)."""
    found = partner_for(partner_id, Action.VIEW_PARTNER)
    return jsonify(hours_check(found, request.args.get("texte", "")[:MAX_HOURS_LENGTH]))


@admin.route("/partenaires/<int(max=2147483647):partner_id>/horaires", methods=["GET", "POST"])
def partner_hours(partner_id: int) -> BaseResponse | tuple[str, int]:
    found = partner_for(partner_id, Action.EDIT_PARTNER)
    text = found.opening_hours or ""
    source = found.opening_hours_source or ""
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        text = request.form.get("opening_hours", "")[:MAX_HOURS_LENGTH].strip()
        source = request.form.get("opening_hours_source", "").strip()
        if request.form.get("action") == "enregistrer":
            saved = _save_hours(found, text, source)
            if saved is None:
                flash(_("Les horaires sont enregistrés."))
                return redirect(url_for("admin.partner", partner_id=partner_id))
            errors, status = saved, 422
    suggested = _("Vérifié auprès de la structure le %(day)s", day=_long_date(today()))
    return render_template(
        "admin/hours.html",
        p=found,
        text=text,
        source=source,
        suggested_source=suggested,
        check=hours_check(found, text),
        errors=errors,
    ), status


def _long_date(day: date) -> str:
    return f"{format_day(day, with_weekday=False)} {day.year}"


def _save_hours(found: Partner, text: str, source: str) -> dict[str, list[str]] | None:
    session = db_session()
    before = partner_snapshot(found)
    values = replace(partner_values(found), opening_hours=text or None,
                     opening_hours_source=source or None)  # fmt: skip
    try:
        update_partner(session, partner_index(), found.id, values)
    except InvalidPartner as exc:
        session.rollback()
        return exc.field_errors
    record(session, screen_actor("horaires"), "partner-hours", f"Horaires modifiés : {found.name}",
           partner_id=found.id, before=before, after=partner_snapshot(found))  # fmt: skip
    session.commit()
    return None


def _closure_rows(form: Any) -> tuple[list[dict[str, str]], list[Closure], list[str]]:
    rows, closures, errors = [], [], []
    count = min(int(form.get("rows", "0") or 0), 200)
    for number in range(count):
        row = {name: form.get(f"{name}-{number}", "").strip()
               for name in ("starts_on", "ends_on", "reason", "replacement_hours")}  # fmt: skip
        row["delete"] = form.get(f"delete-{number}", "")
        rows.append(row)
        if row["delete"] or not any(row[n] for n in ("starts_on", "ends_on", "reason")):
            continue
        try:
            starts_on = date.fromisoformat(row["starts_on"])
            ends_on = date.fromisoformat(row["ends_on"] or row["starts_on"])
            closures.append(Closure(starts_on, ends_on, row["reason"], row["replacement_hours"]))
        except ValueError:
            errors.append(_("Ligne %(n)d : dates attendues au format AAAA-MM-JJ.", n=number + 1))
        except HoursError as exc:
            errors.append(_("Ligne %(n)d : %(problem)s", n=number + 1, problem=exc.message))
    return rows, closures, errors


def _blank_rows(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    blank = {"starts_on": "", "ends_on": "", "reason": "", "replacement_hours": "", "delete": ""}
    return rows + [dict(blank) for _ in range(NEW_CLOSURE_ROWS)]


@admin.route("/partenaires/<int(max=2147483647):partner_id>/fermetures", methods=["GET", "POST"])
def partner_closures(partner_id: int) -> BaseResponse | tuple[str, int]:
    found = partner_for(partner_id, Action.EDIT_PARTNER)
    if request.method == "GET":
        rows = [
            {"starts_on": c.starts_on.isoformat(), "ends_on": c.ends_on.isoformat(),
             "reason": c.reason, "replacement_hours": c.replacement_hours or "", "delete": ""}
            for c in found.closures
        ]  # fmt: skip
        return render_template(
            "admin/closures.html", p=found, rows=_blank_rows(rows), errors=[]
        ), 200
    rows, closures, errors = _closure_rows(request.form)
    session = db_session()
    if not errors:
        before = partner_snapshot(found)
        try:
            replace_closures(session, partner_index(), partner_id, closures)
        except InvalidPartner as exc:
            session.rollback()
            errors = [m for messages in exc.field_errors.values() for m in messages]
        else:
            record(session, screen_actor("fermetures"), "partner-closures",
                   f"Fermetures modifiées : {found.name}", partner_id=partner_id,
                   before=before, after=partner_snapshot(found))  # fmt: skip
            session.commit()
            flash(_("Les fermetures sont enregistrées."))
            return redirect(url_for("admin.partner", partner_id=partner_id))
    page = render_template("admin/closures.html", p=found, rows=_blank_rows(rows), errors=errors)
    return page, 422


def _read_degrees(text: str) -> float | None:
    try:
        return float(text.strip().replace(",", "."))
    except ValueError:
        return None


def _current_point(found: Partner) -> tuple[float, float] | None:
    card = card_of(found)
    if card.lon is not None and card.lat is not None:
        return (card.lon, card.lat)
    if found.insee_code:
        commune = db_session().get(Commune, found.insee_code)
        if commune is not None and commune.centre is not None:
            from geoalchemy2.shape import to_shape

            centre = to_shape(commune.centre)
            return (float(centre.x), float(centre.y))
    return None


@admin.route("/partenaires/<int(max=2147483647):partner_id>/position", methods=["GET", "POST"])
def partner_position(partner_id: int) -> BaseResponse | tuple[str, int]:
    found = partner_for(partner_id, Action.EDIT_PARTNER)
    point = _current_point(found)
    lon_text = f"{point[0]:.6f}" if point else ""
    lat_text = f"{point[1]:.6f}" if point else ""
    complement = ""
    errors: list[str] = []
    if request.method == "POST":
        lon_text, lat_text = request.form.get("lon", ""), request.form.get("lat", "")
        complement = request.form.get("note", "").strip()[:500]
        lon, lat = _read_degrees(lon_text), _read_degrees(lat_text)
        if lon is None or lat is None:
            errors.append(_("Donnez la longitude et la latitude en degrés décimaux."))
        else:
            if _save_position(found, (lon, lat), complement):
                flash(_("La position est enregistrée : elle n'est plus signalée comme douteuse."))
                return redirect(url_for("admin.partner", partner_id=partner_id))
            errors.append(_("Position invalide : longitude entre -180 et 180, latitude entre "
                            "-90 et 90."))  # fmt: skip
    page_map = None
    if point is not None:
        page_map = build_map(
            settings_from(current_app.config),
            centre=point,
            zoom=17,
            data={"edit": {"lon": point[0], "lat": point[1], "name": found.name}},
            nonce=csp_nonce(),
            css_class="map map-edit",
            label=_("Carte : déplacez le repère à l'entrée de %(name)s", name=found.name),
        )
    return render_template(
        "admin/position.html", p=found, lon=lon_text, lat=lat_text, note=complement,
        errors=errors, page_map=page_map,
    ), (422 if errors else 200)  # fmt: skip


def _save_position(found: Partner, location: tuple[float, float], complement: str) -> bool:
    session = db_session()
    before = partner_snapshot(found)
    note = _("Position vérifiée et placée à la main le %(day)s.", day=_long_date(today()))
    if complement:
        note = f"{note} {complement}"
    try:
        move_partner(session, partner_index(), found.id, location, note)
    except InvalidPartner:
        session.rollback()
        return False
    record(session, screen_actor("position sur la carte"), "partner-move",
           f"Position corrigée : {found.name}", partner_id=found.id,
           before=before, after=partner_snapshot(found))  # fmt: skip
    session.commit()
    return True
