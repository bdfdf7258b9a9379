"""/partenaires/<id>: one place, in plain French, with a small map."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import validate_csrf
from wtforms import ValidationError

from directory.error_reports import (
    MAX_MESSAGE_LENGTH,
    REPORT_TOPICS,
    ErrorReportValues,
    record_error_report,
)
from directory.errors import InvalidErrorReport
from directory.hours import coming_days
from directory.partner_cards import card_of
from directory.queries import get_partner, list_rights
from directory.vocabulary import PARTNER_KIND_LABELS
from web.database import db_session
from web.maps import PageMap, build_map, legend, point_features, settings_from
from web.presentation.partners import partner_detail_document, schedule_of
from web.rate_limit import RateLimiter, client_address
from web.schemas.instants import now
from web.security_headers import csp_nonce

partner_pages = Blueprint("partner_pages", __name__)


def partner_map(document: dict[str, Any]) -> PageMap | None:
    location = document.get("location")
    if not location:
        return None
    return build_map(
        settings_from(current_app.config),
        centre=(location["lon"], location["lat"]),
        zoom=16,
        data={"points": point_features([document]), "legend": legend(), "keep_view": True},
        nonce=csp_nonce(),
        css_class="map map-small",
        label=_("Plan : où se trouve %(name)s", name=document["name"]),
    )


@partner_pages.get("/partenaires/<int(max=2147483647):partner_id>")
def partner(partner_id: int) -> str:
    session = db_session()
    names = {right.slug: right.name for right in list_rights(session)}
    at = now()
    found = get_partner(session, partner_id)
    document = partner_detail_document(found, at, names)
    schedule = schedule_of(card_of(found))
    return render_template(
        "pages/partner.html",
        p=document,
        page_map=partner_map(document),
        days=coming_days(schedule, at) if schedule is not None else [],
    )


MAX_REPORT_BYTES = 16_384


def _report_limiter() -> RateLimiter | None:
    """Per process, like the API's limiter (0: no limit)."""
    per_minute = int(current_app.config["ERROR_REPORTS_PER_MINUTE"])
    if per_minute <= 0:
        return None
    extensions = current_app.extensions
    if "aiguillage.report_limiter" not in extensions:
        extensions["aiguillage.report_limiter"] = RateLimiter(per_minute)
    limiter: RateLimiter = extensions["aiguillage.report_limiter"]
    return limiter


def _render_report_form(
    document: dict[str, Any],
    values: dict[str, str],
    errors: dict[str, list[str]],
    status: int = 200,
) -> tuple[str, int]:
    page = render_template(
        "pages/report.html",
        p=document,
        values=values,
        errors=errors,
        topics=REPORT_TOPICS,
        max_message=MAX_MESSAGE_LENGTH,
    )
    return page, status


def _partner_summary(partner_id: int) -> dict[str, Any]:
    session = db_session()
    found = get_partner(session, partner_id)
    return {"id": found.id, "name": found.name, "kind_label": PARTNER_KIND_LABELS[found.kind]}


@partner_pages.get("/partenaires/<int(max=2147483647):partner_id>/signaler")
def report_form(partner_id: int) -> tuple[str, int]:
    return _render_report_form(_partner_summary(partner_id), {}, {})


@partner_pages.post("/partenaires/<int(max=2147483647):partner_id>/signaler")
def report(partner_id: int) -> tuple[str, int]:
    document = _partner_summary(partner_id)
    if (request.content_length or 0) > MAX_REPORT_BYTES:
        errors = {"message": [_("Votre message est trop long : raccourcissez-le.")]}
        return _render_report_form(document, {}, errors, 413)
    form = request.form
    values = {name: form.get(name, "") for name in ("topic", "message", "contact")}
    try:
        validate_csrf(form.get("csrf_token", ""))
    except ValidationError:
        errors = {
            "form": [_("Le formulaire a expiré. Vérifiez votre message et envoyez-le à nouveau.")]
        }
        return _render_report_form(document, values, errors, 400)
    if form.get("website", ""):  # the honeypot: hidden from people, filled in by robots
        errors = {"form": [_("Votre signalement n'a pas pu être enregistré.")]}
        return _render_report_form(document, values, errors, 400)
    limiter = _report_limiter()
    if (
        limiter is not None
        and not limiter.hit(client_address(int(current_app.config["RATE_LIMIT_PROXY_HOPS"])))[0]
    ):
        errors = {
            "form": [
                _("Trop de signalements envoyés depuis cet appareil : réessayez dans une minute.")
            ]
        }
        return _render_report_form(document, values, errors, 429)
    report_values = ErrorReportValues(
        partner_id=partner_id,
        topic=values["topic"],
        message=values["message"],
        contact=values["contact"] or None,
    )
    try:
        record_error_report(db_session(), report_values)
    except InvalidErrorReport as error:
        return _render_report_form(document, values, error.field_errors, 422)
    db_session().commit()
    return render_template("pages/report_sent.html", p=document), 200
