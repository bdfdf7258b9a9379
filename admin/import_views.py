"""Imports in the back office: upload → dry run (row by row) → apply, in one transaction.

The uploaded file is kept (`ImportUpload`) between its dry run and its application, so
that both read the same bytes; the dry run is computed again at application time and
must not have changed.
"""

from __future__ import annotations

import csv
import hashlib
import io
import unicodedata
from collections.abc import Collection
from datetime import datetime
from pathlib import Path

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response as BaseResponse

from admin.audit import Actor, Origin
from admin.blueprint import admin, current_user, partner_index
from admin.errors import ImportRefused
from admin.imports.csv_rows import REQUIRED_COLUMNS
from admin.imports.datainclusion import apply_datainclusion, plan_datainclusion, read_document
from admin.imports.plan import (
    STATUS_LABELS,
    ApplyChoices,
    ImportPlan,
    PlanChanged,
    RowOutcome,
    RowStatus,
    apply_csv,
    plan_csv,
)
from admin.models import ImportUpload
from admin.partner_views import require_action
from admin.roles import Action, Role
from directory.models import Partner
from directory.search import forget_search_index, rebuild_index
from directory.search.sync import stage_index_changes
from geodata.data_files import DATA_DIR
from geodata.import_report import ImportReport
from web.api.providers import search_index_dir
from web.database import db_session
from web.schemas.instants import now

FORMATS = {"csv": "CSV (modèle du back-office)", "datainclusion": "data·inclusion (JSON)"}
SHOWN_ROWS = 1000
STAGED_INDEX_LIMIT = 2000
"""Above this many changed partners, the search index is rebuilt rather than updated."""
EXAMPLES_DIR = DATA_DIR / "examples"


def _max_bytes() -> int:
    return int(current_app.config["ADMIN_IMPORT_MAX_BYTES"])


def _max_rows() -> int:
    return int(current_app.config["ADMIN_IMPORT_MAX_ROWS"])


@admin.get("/imports")
def imports() -> str:
    require_action(Action.IMPORT)
    session = db_session()
    query = (
        select(ImportUpload)
        .where(ImportUpload.file_format.in_(list(FORMATS)))
        .order_by(ImportUpload.created_at.desc())
        .limit(20)
    )
    if current_user().role != Role.ADMINISTRATEUR:
        query = query.where(ImportUpload.user_id == current_user().id)
    uploads = [
        (u.id, u.file_name, u.file_format, u.created_at, u.applied_at, u.purged_at)
        for u in session.execute(query.with_only_columns(
            ImportUpload.id, ImportUpload.file_name, ImportUpload.file_format,
            ImportUpload.created_at, ImportUpload.applied_at, ImportUpload.purged_at))
    ]  # fmt: skip
    return render_template(
        "admin/imports.html",
        uploads=uploads,
        formats=FORMATS,
        max_mb=_max_bytes() / 1_000_000,
        max_rows=_max_rows(),
        required=REQUIRED_COLUMNS,
    )


@admin.get("/imports/modele/<name>")
def import_example(name: str) -> Response:
    require_action(Action.IMPORT)
    if name not in {"partenaires-modele.csv", "partenaires-exemple.csv"}:
        abort(404)
    return send_file(Path(EXAMPLES_DIR / name), mimetype="text/csv", as_attachment=True)


@admin.post("/imports")
def import_upload() -> BaseResponse | tuple[str, int]:
    require_action(Action.IMPORT)
    limit = _max_bytes()
    if (request.content_length or 0) > limit + 100_000:
        return refused(_("Fichier trop gros : %(mb).0f Mo au plus. Découpez-le.",
                          mb=limit / 1_000_000), 413)  # fmt: skip
    file = request.files.get("file")
    file_format = request.form.get("format", "csv")
    if file is None or not file.filename:
        return refused(_("Choisissez un fichier."), 422)
    if file_format not in FORMATS:
        return refused(_("Format inconnu."), 422)
    if file_format == "datainclusion" and current_user().role != Role.ADMINISTRATEUR:
        abort(403, description=_("Seul un administrateur importe un document data·inclusion."))
    content = file.read(limit + 1)
    if len(content) > limit:
        return refused(_("Fichier trop gros : %(mb).0f Mo au plus. Découpez-le.",
                          mb=limit / 1_000_000), 413)  # fmt: skip
    upload = store_upload(file.filename, file_format, content)
    return redirect(url_for("admin.import_dry_run", upload_id=upload.id))


def clean_file_name(file_name: str) -> str:
    """The name a browser sent, as it can be stored and shown: no folder, no control or
    formatting character (NUL, bidi overrides…), 200 characters at most."""
    name = "".join(
        character
        for character in Path(file_name.replace("\\", "/")).name
        if unicodedata.category(character) not in ("Cc", "Cf")
    )
    return name.strip()[:200] or "fichier"


def store_upload(file_name: str, file_format: str, content: bytes) -> ImportUpload:
    """Keep an uploaded file between its dry run and its application (committed)."""
    session = db_session()
    upload = ImportUpload(
        user_id=current_user().id,
        file_name=clean_file_name(file_name),
        file_format=file_format,
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        created_at=now(),
    )
    session.add(upload)
    session.commit()
    return upload


def refused(message: str, status: int) -> tuple[str, int]:
    return render_template("admin/error.html", status=status, message=message), status


def upload_for(upload_id: int, formats: Collection[str]) -> ImportUpload:
    """An upload of one of these formats, if the signed-in account deposited it (or is an
    administrateur): 404 for another format (partner files and bus schedules stay apart)."""
    upload = db_session().get(ImportUpload, upload_id)
    if upload is None or upload.file_format not in formats:
        abort(404)
    if upload.user_id != current_user().id and current_user().role != Role.ADMINISTRATEUR:
        abort(403, description=_("Ce fichier a été déposé par une autre personne."))
    if upload.purged_at is not None:
        abort(410, description=_(
            "Le contenu de ce fichier a été effacé au bout de sa durée de conservation : "
            "le journal des modifications garde ce que son import a changé."
        ))  # fmt: skip
    return upload


def _upload(upload_id: int) -> ImportUpload:
    require_action(Action.IMPORT)
    return upload_for(upload_id, FORMATS)


def _plan(session: Session, upload: ImportUpload, at: datetime) -> tuple[ImportPlan, str | None]:
    """The dry run of the upload and, for data·inclusion, the importer's refusal if any."""
    if upload.file_format == "csv":
        return plan_csv(session, upload.content, upload.file_name, current_user(),
                        _max_rows()), None  # fmt: skip
    document = read_document(upload.content, _max_rows())
    planned = plan_datainclusion(session, document, upload.file_name, at)
    for problem in planned.report.rejected:
        if not problem.reason.startswith("structure"):
            planned.plan.rows.append(_service_problem(problem.line, problem.reason))
    return planned.plan, planned.refusal


def _service_problem(line: int, reason: str) -> RowOutcome:
    return RowOutcome(line, _("service n° %(n)d", n=line), RowStatus.REJECTED,
                      errors=[("service", reason)])  # fmt: skip


def _render_dry_run(
    upload: ImportUpload, plan: ImportPlan, refusal: str | None, message: str | None, status: int
) -> tuple[str, int]:
    shown = request.args.get("etat", "")
    rows = [r for r in plan.rows if not shown or r.status.value == shown]
    counts = {s: plan.count(s) for s in RowStatus}
    return render_template(
        "admin/import_dry_run.html",
        upload=upload,
        plan=plan,
        rows=rows[:SHOWN_ROWS],
        hidden=max(0, len(rows) - SHOWN_ROWS),
        counts=counts,
        labels=STATUS_LABELS,
        statuses=RowStatus,
        shown=shown,
        refusal=refusal,
        message=message,
    ), status


@admin.get("/imports/<int:upload_id>")
def import_dry_run(upload_id: int) -> tuple[str, int]:
    upload = _upload(upload_id)
    try:
        plan, refusal = _plan(db_session(), upload, now())
    except ImportRefused as exc:
        return refused(exc.message, 422)
    return _render_dry_run(upload, plan, refusal, None, 200)


@admin.get("/imports/<int:upload_id>/rapport.csv")
def import_report_csv(upload_id: int) -> Response:
    upload = _upload(upload_id)
    try:
        plan, _refusal = _plan(db_session(), upload, now())
    except ImportRefused as exc:
        abort(422, description=exc.message)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["ligne", "nom", "resultat", "fiche", "colonne", "explication"])
    for row in plan.rows:
        for column, explanation in _report_lines(row):
            writer.writerow(
                [row.line, row.label, STATUS_LABELS[row.status], row.partner_id or "", column,
                 explanation]
            )  # fmt: skip
    response = Response(buffer.getvalue(), mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="rapport-import-{upload_id}.csv"'
    )
    return response


def _report_lines(row: RowOutcome) -> list[tuple[str, str]]:
    if row.errors:
        return row.errors
    if row.status is RowStatus.DUPLICATE:
        found = " ; ".join(f"n° {c.partner_id} {c.name} ({c.reason})" for c in row.duplicates)
        return [("", f"doublon possible de {found}")]
    return [(", ".join(row.changed), "")]


def _choices() -> ApplyChoices:
    form = request.form
    create, merge = set(), {}
    for key, value in form.items():
        if not key.startswith("choix-"):
            continue
        line = int(key.removeprefix("choix-")) if key.removeprefix("choix-").isdigit() else -1
        if value == "creer":
            create.add(line)
        elif value.startswith("fusionner-") and value.removeprefix("fusionner-").isdigit():
            merge[line] = int(value.removeprefix("fusionner-"))
    return ApplyChoices(form.get("sans_erreurs") == "1", frozenset(create), merge)


@admin.post("/imports/<int:upload_id>/appliquer")
def import_apply(upload_id: int) -> BaseResponse | tuple[str, int]:
    upload = _upload(upload_id)
    if upload.applied_at is not None:
        flash(_("Ce fichier a déjà été importé."))
        return redirect(url_for("admin.import_dry_run", upload_id=upload_id))
    session = db_session()
    at = now()
    actor = Actor(current_user().id, current_user().email, Origin.IMPORT, upload.file_name)
    choices = _choices()
    try:
        plan, refusal = _plan(session, upload, at)
        if refusal:
            raise ImportRefused(refusal)
        if upload.file_format == "csv":
            report = apply_csv(session, plan, request.form.get("empreinte", ""), choices, actor,
                               at).report  # fmt: skip
        else:
            if plan.fingerprint != request.form.get("empreinte", ""):
                raise PlanChanged(_("Les données ont changé depuis la simulation : vérifiez-la."))
            if plan.count(RowStatus.REJECTED) and not choices.without_rejected:
                raise ImportRefused(_("Des lignes sont en erreur : cochez « Appliquer sans les "
                                      "lignes en erreur » ou corrigez le fichier."))  # fmt: skip
            document = read_document(upload.content, _max_rows())
            report = apply_datainclusion(session, document, plan, choices.create_lines, actor, at)
    except ImportRefused as exc:
        session.rollback()
        try:
            plan, refusal = _plan(session, upload, now())
        except ImportRefused as again:
            return refused(again.message, 422)
        return _render_dry_run(upload, plan, refusal, exc.message, 409)
    changed = list(session.scalars(select(Partner.id).where(Partner.imported_at == at)))
    rebuild = len(changed) > STAGED_INDEX_LIMIT
    if not rebuild:
        stage_index_changes(session, partner_index(), changed)
    upload.applied_at = at
    session.commit()
    if rebuild:
        index_dir = search_index_dir()
        rebuild_index(session, index_dir)
        forget_search_index(index_dir)
    flash(_summary(report))
    return redirect(url_for("admin.import_dry_run", upload_id=upload_id))


def _summary(report: ImportReport) -> str:
    return str(_("Import appliqué : %(c)d fiches créées, %(u)d mises à jour, %(n)d inchangées.",
             c=report.created, u=report.updated, n=report.unchanged))  # fmt: skip
