"""The visits of a bus route in the back office, one by one: cancel with a public reason,
move (date, times, stop), restore to its rule, add or delete an extra visit. Visits that
have started are never changed. Same guards and audit as `admin.bus_views`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, cast

from flask import flash, redirect, render_template, request
from flask_babel import gettext as _
from werkzeug.wrappers import Response as BaseResponse

from admin.blueprint import admin
from admin.bus_audit import (
    visit_snapshot,
)
from admin.bus_views import (
    Errors,
    read_clock,
    read_day,
    route_context,
    route_for,
    route_page,
    write_audited,
)
from routing.bus.editing import delete_extra_visit
from routing.bus.models import BusRoute, BusVisit
from routing.bus.recurrence import local_window
from routing.bus.schedule import (
    add_extra_visit,
    cancel_visit,
    check_visit_to_come,
    generate_visits,
    get_bus_visit,
    move_visit,
    restore_visit,
    stop_place,
)
from routing.errors import InvalidBusSchedule
from web.database import db_session
from web.schemas.instants import now

# -- visits ----------------------------------------------------------------------------------


def _visit_for(visit_id: int) -> tuple[BusVisit, BusRoute]:
    visit = get_bus_visit(db_session(), visit_id)
    return visit, route_for(visit.stop.route_id)


def _visit_page(
    visit: BusVisit,
    route: BusRoute,
    errors: Errors,
    move: Mapping[str, Any] | None,
    reason: str = "",
) -> tuple[str, int]:
    session = db_session()
    zone = stop_place(session, visit.stop.insee_code).zone
    starts, ends = visit.starts_at.astimezone(zone), visit.ends_at.astimezone(zone)
    move = move or {
        "day": starts.date().isoformat(),
        "starts_at": f"{starts:%H:%M}",
        "ends_at": f"{ends:%H:%M}",
        "stop_id": visit.stop_id,
        "move_reason": "",
    }
    return render_template(
        "admin/bus_visit.html",
        visit=visit,
        route=route,
        starts=starts,
        ends=ends,
        errors=errors,
        move=move,
        reason=reason,
        is_past=visit.starts_at <= now(),
        snapshot=visit_snapshot(session, visit),
    ), (422 if errors else 200)


@admin.get("/bus/passages/<int(max=2147483647):visit_id>")
def bus_visit(visit_id: int) -> tuple[str, int]:
    visit, route = _visit_for(visit_id)
    return _visit_page(visit, route, {}, None)


def _visitwrite_audited(
    visit: BusVisit, route: BusRoute, change: Callable[[], object], summary: str
) -> Errors | None:
    session = db_session()
    try:
        check_visit_to_come(visit, now())
    except InvalidBusSchedule as exc:
        return exc.field_errors
    return write_audited(
        route,
        change,
        action="bus-visit",
        summary=summary,
        screen="passage",
        before=lambda: visit_snapshot(session, visit),
        after=lambda _: visit_snapshot(session, visit),
    )


@admin.post("/bus/passages/<int(max=2147483647):visit_id>/annuler")
def bus_visit_cancel(visit_id: int) -> BaseResponse | tuple[str, int]:
    visit, route = _visit_for(visit_id)
    reason = request.form.get("reason", "")[:400]
    errors = _visitwrite_audited(
        visit,
        route,
        lambda: cancel_visit(db_session(), visit.id, reason, now=now()),
        f"Passage annulé : {visit.stop.name}",
    )
    if errors is None:
        flash(_("Le passage est annulé ; le motif est affiché au public."))
        return redirect(route_page(route))
    return _visit_page(visit, route, errors, None, reason)


@admin.post("/bus/passages/<int(max=2147483647):visit_id>/deplacer")
def bus_visit_move(visit_id: int) -> BaseResponse | tuple[str, int]:
    visit, route = _visit_for(visit_id)
    move = {
        name: request.form.get(name, "").strip()[:400]
        for name in ("day", "starts_at", "ends_at", "stop_id", "move_reason")
    }
    errors: Errors = {}
    window = _window(move, errors, route)
    if window is not None:
        stop_id, starts_at, ends_at = window
        found = _visitwrite_audited(
            visit,
            route,
            lambda: move_visit(
                db_session(),
                visit.id,
                starts_at=starts_at,
                ends_at=ends_at,
                reason=move["move_reason"],
                now=now(),
                stop_id=stop_id,
            ),
            f"Passage déplacé : {visit.stop.name}",
        )
        if found is None:
            flash(_("Le passage est déplacé ; le motif est affiché au public."))
            return redirect(route_page(route))
        errors = {("move_reason" if key == "reason" else key): v for key, v in found.items()}
    return _visit_page(visit, route, errors, move)


def _window(
    form: Mapping[str, str], errors: Errors, route: BusRoute
) -> tuple[int, datetime, datetime] | None:
    """(stop, start, end in UTC) of a visit form, times read in the stop's time zone."""
    stops = {str(stop.id): stop for stop in route.stops}
    stop = stops.get(form["stop_id"])
    if stop is None:
        errors["stop_id"] = [_("Choisissez un arrêt de la tournée.")]
    day = read_day(form["day"], "day", errors)
    start = read_clock(form["starts_at"], "starts_at", errors)
    end = read_clock(form["ends_at"], "ends_at", errors)
    if stop is None or day is None or start is None or end is None:
        return None
    zone = stop_place(db_session(), stop.insee_code).zone
    starts_at, ends_at = local_window(day, start, end, zone)
    if starts_at <= now():
        errors["day"] = [_("Un passage se place dans le futur.")]
        return None
    return stop.id, starts_at, ends_at


@admin.post("/bus/passages/<int(max=2147483647):visit_id>/retablir")
def bus_visit_restore(visit_id: int) -> BaseResponse | tuple[str, int]:
    visit, route = _visit_for(visit_id)
    session = db_session()

    def change() -> object:
        at = now()
        restore_visit(session, visit.id, now=at)
        return generate_visits(session, now=at, route_ids=[route.id])

    errors = _visitwrite_audited(
        visit, route, change, f"Passage rendu à sa règle : {visit.stop.name}"
    )
    if errors is None:
        flash(_("Le passage suit de nouveau sa règle."))
        return redirect(route_page(route))
    return _visit_page(visit, route, errors, None)


@admin.post("/bus/passages/<int(max=2147483647):visit_id>/supprimer")
def bus_visit_delete(visit_id: int) -> BaseResponse | tuple[str, int]:
    visit, route = _visit_for(visit_id)
    session = db_session()
    name = visit.stop.name
    errors = write_audited(
        route,
        lambda: delete_extra_visit(session, visit.id, now=now()),
        action="bus-visit",
        summary=f"Passage supplémentaire supprimé : {name}",
        screen="passage",
        before=lambda: visit_snapshot(session, visit),
        after=lambda _: {},
    )
    if errors is None:
        flash(_("Le passage supplémentaire est supprimé."))
        return redirect(route_page(route))
    return _visit_page(visit, route, errors, None)


@admin.post("/bus/tournees/<int(max=2147483647):route_id>/passages")
def bus_visit_add(route_id: int) -> BaseResponse | tuple[str, int]:
    route = route_for(route_id)
    extra = {
        name: request.form.get(name, "").strip()[:400]
        for name in ("day", "starts_at", "ends_at", "stop_id", "note")
    }
    rights = request.form.getlist("rights")[:50]
    errors: Errors = {}
    window = _window(extra, errors, route)
    if window is not None:
        stop_id, starts_at, ends_at = window
        found = write_audited(
            route,
            lambda: add_extra_visit(
                db_session(),
                stop_id,
                starts_at=starts_at,
                ends_at=ends_at,
                note=extra["note"],
                right_slugs=rights,
            ),
            action="bus-visit",
            summary="Passage supplémentaire ajouté",
            screen="passage supplémentaire",
            before=dict,
            after=lambda added: visit_snapshot(db_session(), cast(BusVisit, added)),
        )
        if found is None:
            flash(_("Le passage supplémentaire est ajouté."))
            return redirect(route_page(route))
        errors = found
    fields = {
        "name": route.name,
        "description": route.description or "",
        "holiday_rule": route.holiday_rule,
    }
    context = route_context(route, fields, {})
    context["extra"] = {**extra, "rights": rights}
    context["extra_errors"] = errors
    return render_template("admin/bus_route.html", **context), 422
