"""Loading a whole bus des droits schedule in the back office, and publishing a proposed
month: the coordinateur du bus and the administrateur only (a file or a plan may name any
route, so no territory narrows them).

- **Schedule file** (the CSV of ``bus import``, docs/BUS.md): upload → dry run (the whole
  import run then rolled back: the same report as the command) → apply in one
  transaction. The upload is kept (`ImportUpload`, format ``bus-csv``) between the two;
  the application runs the import again and refuses if its report is no longer the one
  that was shown.
- **Publier** a month proposed by the planning (``/couverture/plan``, ``bus
  publish-plan``): the proposal is shown, then written with
  `routing.bus.planning.publish.publish_plan`.

Each route a write changes gets an audit entry (before → after).
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from datetime import datetime
from pathlib import Path

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response as BaseResponse

from admin.audit import Actor, Origin, import_counts, record
from admin.blueprint import admin, current_user
from admin.bus_audit import record_route_changes, route_snapshots
from admin.import_views import refused, store_upload, upload_for
from admin.models import ImportUpload
from admin.partner_views import require_action
from admin.roles import Action, Role
from geodata.errors import ImportFileRejected
from geodata.import_report import ImportReport
from routing.bus.imports import import_bus_schedule
from routing.bus.models import BusRoute
from routing.bus.planning.month import MonthPlan
from routing.bus.planning.publish import publish_plan
from routing.errors import InvalidBusSchedule
from web.database import db_session
from web.presentation.coverage import plan_document
from web.schemas.instants import now
from web.views.coverage import plan_context, plan_map, propose, read_plan_form

BUS_FORMAT = "bus-csv"
CODE_PATTERN = r"[a-z0-9_\-]{1,60}"


def _max_bytes() -> int:
    return int(current_app.config["ADMIN_IMPORT_MAX_BYTES"])


# -- the schedule file -----------------------------------------------------------------------


@admin.get("/bus/import")
def bus_import() -> str:
    require_action(Action.IMPORT_BUS)
    query = select(ImportUpload).where(ImportUpload.file_format == BUS_FORMAT)
    if current_user().role != Role.ADMINISTRATEUR:
        query = query.where(ImportUpload.user_id == current_user().id)
    uploads = db_session().scalars(query.order_by(ImportUpload.created_at.desc()).limit(20))
    return render_template(
        "admin/bus_import.html", uploads=list(uploads), max_mb=_max_bytes() / 1_000_000
    )


@admin.post("/bus/import")
def bus_import_upload() -> BaseResponse | tuple[str, int]:
    require_action(Action.IMPORT_BUS)
    limit = _max_bytes()
    file = request.files.get("file")
    if file is None or not file.filename:
        return refused(_("Choisissez un fichier."), 422)
    content = file.read(limit + 1)
    if len(content) > limit:
        return refused(_("Fichier trop gros : %(mb).0f Mo au plus.", mb=limit / 1_000_000), 413)
    upload = store_upload(file.filename, BUS_FORMAT, content)
    return redirect(url_for("admin.bus_import_dry_run", upload_id=upload.id))


def _bus_upload(upload_id: int) -> ImportUpload:
    require_action(Action.IMPORT_BUS)
    return upload_for(upload_id, {BUS_FORMAT})


def _run(
    session: Session, upload: ImportUpload, at: datetime
) -> tuple[list[ImportReport], str | None]:
    """The import in the session (not committed): its reports, or the refusal and the
    report of the bad rows."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / (Path(upload.file_name).name or "calendrier.csv")
        path.write_bytes(upload.content)
        try:
            return import_bus_schedule(session, path, at), None
        except ImportFileRejected as exc:
            reports = [exc.report] if isinstance(exc.report, ImportReport) else []
            return reports, exc.message


def _fingerprint(reports: list[ImportReport], refusal: str | None) -> str:
    text = "\n".join(line for report in reports for line in report.lines(limit=100_000))
    return hashlib.sha256(f"{refusal}\n{text}".encode()).hexdigest()


def _dry_run(upload: ImportUpload, message: str | None, status: int) -> tuple[str, int]:
    session = db_session()
    try:
        reports, refusal = _run(session, upload, now())
    finally:
        session.rollback()
    return render_template(
        "admin/bus_import_dry_run.html",
        upload=upload,
        reports=reports,
        refusal=refusal,
        fingerprint=_fingerprint(reports, refusal),
        message=message,
    ), status


@admin.get("/bus/import/<int:upload_id>")
def bus_import_dry_run(upload_id: int) -> tuple[str, int]:
    return _dry_run(_bus_upload(upload_id), None, 200)


@admin.post("/bus/import/<int:upload_id>/appliquer")
def bus_import_apply(upload_id: int) -> BaseResponse | tuple[str, int]:
    upload = _bus_upload(upload_id)
    session = db_session()
    at = now()
    before = route_snapshots(session)
    reports, refusal = _run(session, upload, at)
    if refusal or _fingerprint(reports, refusal) != request.form.get("empreinte", ""):
        session.rollback()
        message = refusal or _("Le calendrier a changé depuis la simulation : la voici à jour.")
        return _dry_run(upload, message, 409)
    actor = Actor(current_user().id, current_user().email, Origin.IMPORT, upload.file_name)
    record_route_changes(session, actor, before, "bus-import", "Calendrier importé")
    counts = "; ".join(f"{report.dataset} : {import_counts(report)}" for report in reports)
    record(session, actor, "import", f"Import {upload.file_name} : {counts}", at=at)
    upload.applied_at = at
    session.commit()
    flash(_("Calendrier importé : les passages sont publiés."))
    return redirect(url_for("admin.bus_import_dry_run", upload_id=upload_id))


# -- publishing a proposed month --------------------------------------------------------------


@admin.route("/bus/publier", methods=["GET", "POST"])
def bus_publish() -> BaseResponse | tuple[str, int]:
    require_action(Action.IMPORT_BUS)
    plan_form = read_plan_form()
    route_fields = {
        name: request.form.get(name, "").strip()[:200] for name in ("route_code", "route_name")
    }
    route_fields["example"] = request.form.get("example", "")
    errors: dict[str, list[str]] = {}
    proposal = propose(plan_form)
    if request.method == "POST" and proposal is not None:
        published = _publish(proposal, route_fields, errors)
        if published is not None:
            return published
    document = plan_document(proposal) if proposal is not None else None
    page_map = plan_map(plan_form, proposal, document) if proposal and document else None
    routes = (
        db_session()
        .execute(
            select(BusRoute.code, BusRoute.name)
            .where(BusRoute.code.is_not(None))
            .order_by(BusRoute.name)
        )
        .all()
    )
    return render_template(
        "admin/bus_publish.html",
        plan=document,
        page_map=page_map,
        plan_params=plan_form.params(),
        route_fields=route_fields,
        errors=errors,
        routes=routes,
        code_pattern=CODE_PATTERN,
        **plan_context(plan_form),
    ), (422 if errors else 200)


def _publish(
    proposal: MonthPlan, fields: dict[str, str], errors: dict[str, list[str]]
) -> BaseResponse | None:
    code = fields["route_code"].lower()
    if not re.fullmatch(CODE_PATTERN, code):
        errors["route_code"] = [_("Code de tournée : minuscules sans accent, chiffres, - ou _.")]
        return None
    session = db_session()
    before = route_snapshots(session)
    try:
        published = publish_plan(
            session,
            proposal,
            route_code=code,
            now=now(),
            route_name=fields["route_name"] or None,
            is_demo=fields["example"] == "1",
        )
    except InvalidBusSchedule as exc:
        session.rollback()
        errors.update({"route_code" if k == "route" else k: v for k, v in exc.field_errors.items()})
        return None
    actor = Actor(current_user().id, current_user().email, Origin.SCREEN, "publier un mois")
    record_route_changes(session, actor, before, "bus-publish", "Mois proposé publié")
    session.commit()
    flash(_("Mois publié : %(n)d passages dans la tournée.", n=published.planned_visits))
    return redirect(url_for("admin.bus_route", route_id=published.route_id))
