"""The bus des droits in the back office: routes (name, public notes, holiday rule), their
stops (name, address, commune, a point moved on a map), recurrence rules, and the dated
visits one by one (cancel with a public reason, move, restore, add or delete an extra one).

Every view reads its route through `admin.scope.get_route_in_scope` (coordinateur du bus
and administrateur: every route; gestionnaire: the routes of their territory; référent:
none), every write goes through `routing.bus.editing` / `routing.bus.schedule`, then the
audit log, then one commit. The public pages read the database on each request and the
answer caches follow `routing.bus.editing.bus_fingerprint`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, time, timedelta
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as BaseResponse

from admin.audit import list_subject_history, record
from admin.blueprint import admin, current_user, screen_actor
from admin.bus_audit import (
    BUS_FIELD_LABELS,
    route_snapshot,
    route_subject,
    stop_point,
)
from admin.partner_views import require_action
from admin.roles import Action
from admin.scope import (
    OutOfScope,
    get_route_in_scope,
    is_route_in_scope,
    is_stop_commune_in_scope,
)
from directory.queries import list_rights
from routing.bus.editing import (
    RouteValues,
    RuleValues,
    StopValues,
    create_rule,
    create_stop,
    delete_rule,
    get_bus_schedule,
    update_route,
    update_rule,
    update_stop,
)
from routing.bus.imports import commune_points
from routing.bus.models import HOLIDAY_RULE_LABELS, BusRoute, BusStop
from routing.bus.routes import list_bus_routes
from routing.bus.schedule import (
    get_bus_stop,
)
from routing.bus.visits import list_bus_visits
from routing.errors import InvalidBusSchedule
from web.database import db_session
from web.maps import build_map, settings_from
from web.schemas.instants import now
from web.security_headers import csp_nonce
from web.views.bus import visit_row

UPCOMING = timedelta(days=183)
Errors = dict[str, list[str]]


def route_for(route_id: int, action: Action = Action.EDIT_BUS) -> BusRoute:
    """The route if the signed-in account may act on it, else a 403 page."""
    try:
        return get_route_in_scope(db_session(), current_user(), route_id, action)
    except OutOfScope as exc:
        abort(403, description=exc.message)


def route_page(route: BusRoute) -> str:
    return url_for("admin.bus_route", route_id=route.id)


def write_audited(
    route: BusRoute,
    change: Callable[[], object],
    *,
    action: str,
    summary: str,
    screen: str,
    before: Callable[[], dict[str, Any]] | None = None,
    after: Callable[[object], dict[str, Any]] | None = None,
) -> Errors | None:
    """Run a domain write, audit it (snapshots before and after, the route's by default),
    commit once; or the domain's French errors, with nothing written."""
    session = db_session()
    before_values = before() if before else route_snapshot(session, route)
    try:
        result = change()
    except InvalidBusSchedule as exc:
        session.rollback()
        return exc.field_errors or {"form": [exc.message]}
    session.expire_all()
    after_values = after(result) if after else route_snapshot(session, route)
    record(
        session,
        screen_actor(screen),
        action,
        summary,
        subject=route_subject(route.id),
        before=before_values,
        after=after_values,
    )
    session.commit()
    return None


# -- routes ----------------------------------------------------------------------------------


@admin.get("/bus")
def bus() -> str:
    require_action(Action.VIEW_BUS)
    user = current_user()
    session = db_session()
    routes = list_bus_routes(session, now())
    editable = {r.route_id for r in routes if is_route_in_scope(session, user, r.route_id)}
    return render_template("admin/bus.html", routes=routes, editable=editable)


def route_context(route: BusRoute, fields: Mapping[str, Any], errors: Errors) -> dict[str, Any]:
    session = db_session()
    at = now()
    visits = list_bus_visits(session, after=at, before=at + UPCOMING, route_id=route.id)
    return {
        "route": route,
        "fields": fields,
        "errors": errors,
        "holiday_rules": HOLIDAY_RULE_LABELS,
        "visits": [(v, visit_row(v)) for v in visits],
        "history": list_subject_history(session, route_subject(route.id), limit=20),
        "field_label": lambda name: BUS_FIELD_LABELS.get(name, name),
        "extra": _blank_extra(route),
        "rights": list_rights(session),
    }


def _blank_extra(route: BusRoute) -> dict[str, Any]:
    first = route.stops[0].id if route.stops else ""
    return {"stop_id": first, "day": "", "starts_at": "", "ends_at": "", "note": "", "rights": []}


@admin.route("/bus/tournees/<int(max=2147483647):route_id>", methods=["GET", "POST"])
def bus_route(route_id: int) -> BaseResponse | tuple[str, int]:
    route = route_for(route_id)
    fields = {
        "name": route.name,
        "description": route.description or "",
        "holiday_rule": route.holiday_rule,
    }
    errors: Errors = {}
    if request.method == "POST":
        fields = {name: request.form.get(name, "").strip() for name in fields}
        values = RouteValues(fields["name"], fields["description"], fields["holiday_rule"])
        found = write_audited(
            route,
            lambda: update_route(db_session(), route.id, values, now=now()),
            action="bus-route",
            summary=f"Tournée modifiée : {values.name}",
            screen="tournée",
        )
        if found is None:
            flash(_("La tournée est enregistrée ; les passages à venir suivent."))
            return redirect(route_page(route))
        errors = found
    return render_template("admin/bus_route.html", **route_context(route, fields, errors)), (
        422 if errors else 200
    )


@admin.get("/bus/tournees/<int(max=2147483647):route_id>/historique")
def bus_route_history(route_id: int) -> str:
    route = route_for(route_id)
    history = list_subject_history(db_session(), route_subject(route.id))
    return render_template(
        "admin/bus_history.html",
        route=route,
        history=history,
        field_label=lambda name: BUS_FIELD_LABELS.get(name, name),
    )


# -- stops -----------------------------------------------------------------------------------


def _degrees(text: str) -> float | None:
    try:
        return float(text.strip().replace(",", "."))
    except ValueError:
        return None


def _stop_form(route: BusRoute, stop: BusStop | None) -> BaseResponse | tuple[str, int]:
    session = db_session()
    point = stop_point(session, stop) if stop is not None else None
    fields = {
        "name": stop.name if stop else "",
        "street": (stop.street or "") if stop else "",
        "insee_code": stop.insee_code if stop else "",
        "lon": f"{point[0]:.6f}" if point else "",
        "lat": f"{point[1]:.6f}" if point else "",
    }
    errors: Errors = {}
    if request.method == "POST":
        fields = {name: request.form.get(name, "").strip()[:250] for name in fields}
        lon, lat = _degrees(fields["lon"]), _degrees(fields["lat"])
        if lon is None or lat is None:
            errors["location"] = [_("Donnez la longitude et la latitude en degrés décimaux.")]
        elif not is_stop_commune_in_scope(session, current_user(), fields["insee_code"].upper()):
            errors["insee_code"] = [_("Cette commune est hors de votre territoire.")]
        else:
            values = StopValues(fields["name"], fields["street"], fields["insee_code"], (lon, lat))
            if stop is None:

                def change() -> object:
                    return create_stop(session, route.id, values)

                summary = f"Arrêt ajouté : {values.name}"
            else:
                stop_id = stop.id

                def change() -> object:
                    return update_stop(session, stop_id, values, now=now())

                summary = f"Arrêt modifié : {values.name}"
            found = write_audited(route, change, action="bus-stop", summary=summary, screen="arrêt")
            if found is None:
                flash(_("L'arrêt est enregistré."))
                return redirect(route_page(route))
            errors = found
        point = (lon, lat) if lon is not None and lat is not None else point
    page_map = None
    centre = point or _commune_point(fields["insee_code"])
    if centre is not None:
        page_map = build_map(
            settings_from(current_app.config),
            centre=centre,
            zoom=16,
            data={"edit": {"lon": centre[0], "lat": centre[1], "name": fields["name"] or "arrêt"}},
            nonce=csp_nonce(),
            css_class="map map-edit",
            label=_("Carte : déplacez le repère à l'endroit où le bus s'arrête"),
        )
    return render_template(
        "admin/bus_stop.html",
        route=route,
        stop=stop,
        fields=fields,
        errors=errors,
        page_map=page_map,
    ), (422 if errors else 200)


def _commune_point(insee_code: str) -> tuple[float, float] | None:
    return commune_points(db_session(), {insee_code.upper()}).get(insee_code.upper())


@admin.route("/bus/tournees/<int(max=2147483647):route_id>/arrets/nouveau", methods=["GET", "POST"])
def bus_stop_new(route_id: int) -> BaseResponse | tuple[str, int]:
    return _stop_form(route_for(route_id), None)


@admin.route("/bus/arrets/<int(max=2147483647):stop_id>", methods=["GET", "POST"])
def bus_stop(stop_id: int) -> BaseResponse | tuple[str, int]:
    stop = get_bus_stop(db_session(), stop_id)
    return _stop_form(route_for(stop.route_id), stop)


# -- recurrence rules ------------------------------------------------------------------------


def read_day(text: str, field: str, errors: Errors, *, required: bool = True) -> date | None:
    if not text and not required:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors.setdefault(field, []).append(_("Date attendue au format AAAA-MM-JJ."))
        return None


def read_clock(text: str, field: str, errors: Errors) -> time | None:
    if len(text) in (4, 5) and ":" in text:
        try:
            return time.fromisoformat(text.zfill(5))
        except ValueError:
            pass
    errors.setdefault(field, []).append(_("Heure attendue au format HH:MM."))
    return None


def _partner_ids(text: str, errors: Errors) -> list[int]:
    parts = [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]
    if not all(p.isascii() and p.isdigit() and len(p) < 10 for p in parts):
        errors.setdefault("partners", []).append(
            _("Numéros de fiches Aiguillage séparés par des virgules.")
        )
        return []
    return [int(p) for p in parts]


RULE_FIELDS = ("rule", "starts_on", "ends_on", "start_time", "end_time", "note", "partners")


def _rule_values(form: Mapping[str, Any], errors: Errors) -> RuleValues | None:
    starts_on = read_day(form["starts_on"], "starts_on", errors)
    ends_on = read_day(form["ends_on"], "ends_on", errors, required=False)
    start, end = (
        read_clock(form["start_time"], "start_time", errors),
        read_clock(form["end_time"], "end_time", errors),
    )
    partner_ids = _partner_ids(form["partners"], errors)
    if errors or starts_on is None or start is None or end is None:
        return None
    return RuleValues(
        form["rule"], starts_on, ends_on, start, end, form["note"], form["rights"], partner_ids
    )


def _rule_form(
    route: BusRoute, stop: BusStop, schedule_id: int | None
) -> BaseResponse | tuple[str, int]:
    session = db_session()
    schedule = get_bus_schedule(session, schedule_id) if schedule_id is not None else None
    fields: dict[str, Any] = dict.fromkeys(RULE_FIELDS, "") | {"rights": []}
    if schedule is not None:
        fields = {
            "rule": schedule.rule,
            "starts_on": schedule.starts_on.isoformat(),
            "ends_on": schedule.ends_on.isoformat() if schedule.ends_on else "",
            "start_time": f"{schedule.start_time:%H:%M}",
            "end_time": f"{schedule.end_time:%H:%M}",
            "note": schedule.note or "",
            "partners": ", ".join(str(p.id) for p in schedule.partners),
            "rights": [r.slug for r in schedule.rights],
        }
    errors: Errors = {}
    if request.method == "POST":
        fields = {name: request.form.get(name, "").strip()[:2000] for name in RULE_FIELDS}
        fields["rights"] = request.form.getlist("rights")[:50]
        values = _rule_values(fields, errors)
        if values is not None:
            checked = values
            if schedule is None:

                def change() -> object:
                    return create_rule(session, stop.id, checked, now=now())

                summary = f"Règle ajoutée à l'arrêt {stop.name}"
            else:
                found_id = schedule.id

                def change() -> object:
                    return update_rule(session, found_id, checked, now=now())

                summary = f"Règle modifiée à l'arrêt {stop.name}"
            found = write_audited(route, change, action="bus-rule", summary=summary, screen="règle")
            if found is None:
                flash(_("La règle est enregistrée ; ses passages à venir sont générés."))
                return redirect(route_page(route))
            errors = found
    return render_template(
        "admin/bus_rule.html",
        route=route,
        stop=stop,
        schedule=schedule,
        fields=fields,
        errors=errors,
        rights=list_rights(session),
    ), (422 if errors else 200)


@admin.route("/bus/arrets/<int(max=2147483647):stop_id>/regles/nouvelle", methods=["GET", "POST"])
def bus_rule_new(stop_id: int) -> BaseResponse | tuple[str, int]:
    stop = get_bus_stop(db_session(), stop_id)
    return _rule_form(route_for(stop.route_id), stop, None)


@admin.route("/bus/regles/<int(max=2147483647):schedule_id>", methods=["GET", "POST"])
def bus_rule(schedule_id: int) -> BaseResponse | tuple[str, int]:
    schedule = get_bus_schedule(db_session(), schedule_id)
    return _rule_form(route_for(schedule.stop.route_id), schedule.stop, schedule.id)


@admin.post("/bus/regles/<int(max=2147483647):schedule_id>/supprimer")
def bus_rule_delete(schedule_id: int) -> BaseResponse:
    session = db_session()
    schedule = get_bus_schedule(session, schedule_id)
    route = route_for(schedule.stop.route_id)
    if request.form.get("confirmation") != "1":
        flash(_("Cochez la case pour confirmer la suppression de la règle."))
        return redirect(url_for("admin.bus_rule", schedule_id=schedule_id))
    summary = f"Règle supprimée à l'arrêt {schedule.stop.name}"
    write_audited(
        route,
        lambda: delete_rule(session, schedule_id, now=now()),
        action="bus-rule",
        summary=summary,
        screen="règle",
    )
    flash(_("La règle est supprimée, avec ses passages à venir."))
    return redirect(route_page(route))
