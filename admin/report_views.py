"""Public error reports: triage (nouveau, accepté, rejeté, corrigé) with the link to the
partner, within the account's scope. The optional contact is shown to the person who
triages, and erased after the retention period by ``reports purge-contacts``."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select
from werkzeug.wrappers import Response as BaseResponse

from admin.audit import record
from admin.blueprint import admin, current_user, screen_actor
from admin.partner_views import require_action
from admin.roles import Action
from admin.scope import is_partner_in_scope, partner_scope
from directory.error_reports import REPORT_STATUSES, REPORT_TOPICS, triage_error_report
from directory.models import ErrorReport, Partner
from web.database import db_session
from web.schemas.instants import now

PAGE_SIZE = 50


@admin.get("/signalements")
def reports() -> str:
    require_action(Action.TRIAGE_REPORTS)
    session = db_session()
    status = request.args.get("etat", "nouveau")
    status = status if status in REPORT_STATUSES else "nouveau"
    scope = partner_scope(current_user())
    query = (
        select(ErrorReport, Partner.name)
        .join(Partner, Partner.id == ErrorReport.partner_id)
        .where(scope, ErrorReport.status == status)
        .order_by(ErrorReport.created_at.asc(), ErrorReport.id)
        .limit(PAGE_SIZE)
    )
    counts: dict[str, int] = {
        str(state): int(count)
        for state, count in session.execute(
            select(ErrorReport.status, func.count(ErrorReport.id))
            .join(Partner, Partner.id == ErrorReport.partner_id)
            .where(scope)
            .group_by(ErrorReport.status)
        )
    }
    retention = int(current_app.config["ERROR_REPORT_CONTACT_RETENTION_DAYS"])
    return render_template(
        "admin/reports.html",
        rows=session.execute(query).all(),
        status=status,
        statuses=REPORT_STATUSES,
        topics=REPORT_TOPICS,
        counts=counts,
        retention=retention,
        erase_after=timedelta(days=retention),
    )


@admin.post("/signalements/<int:report_id>")
def report_triage(report_id: int) -> BaseResponse:
    require_action(Action.TRIAGE_REPORTS)
    session = db_session()
    report = session.get(ErrorReport, report_id)
    if report is None:
        abort(404)
    if not is_partner_in_scope(session, current_user(), report.partner_id):
        abort(
            403, description=_("Ce signalement concerne une fiche dont vous n'avez pas la charge.")
        )
    new_status = request.form.get("status", "")
    if new_status not in REPORT_STATUSES:
        abort(422, description=_("État de traitement inconnu."))
    before = {"status": report.status}
    triage_error_report(report, new_status, now())
    record(session, screen_actor("signalements"), "report-triage",
           f"Signalement n° {report.id} : {REPORT_STATUSES[new_status]}",
           partner_id=report.partner_id, before=before, after={"status": new_status})  # fmt: skip
    session.commit()
    flash(_("Signalement n° %(id)d : %(status)s.", id=report.id,
            status=REPORT_STATUSES[new_status]))  # fmt: skip
    return redirect(url_for("admin.reports", etat=request.form.get("retour", "nouveau")))
