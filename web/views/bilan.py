"""/bilan: a short questionnaire (10 questions, each « je ne sais pas » by default) → the
rights the household may be entitled to, why, an estimated amount, what is uncertain, the
documents to bring and where to go. Printable.

The answers are personal: the form is POSTed (never put in a URL), read for the time of the
request, and the answer is neither stored nor cached (``Cache-Control: no-store``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import marshmallow as ma
from flask import Blueprint, make_response, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_wtf.csrf import validate_csrf
from wtforms import ValidationError

from routing.bilan import HOUSING_LABELS, Housing, draw_up_bilan
from routing.errors import RoutingError
from web.api.providers import benefit_engine, geocoder, travel_times
from web.database import db_session
from web.presentation.bilan import amount_text, bilan_document, situation_from
from web.schemas.bilan import BilanSituationSchema
from web.schemas.instants import now

bilan_pages = Blueprint("bilan_pages", __name__)

MAX_FORM_BYTES = 8_192
TEXT_FIELDS = (
    "age",
    "couple",
    "partner_age",
    "partner_monthly_earnings_eur",
    "children",
    "children_ages",
    "monthly_earnings_eur",
    "other_monthly_income_eur",
    "housing",
    "rent_eur",
    "address",
    "disability",
    "disability_rate",
    "is_student",
    "is_agricultural",
)
YES_NO = {"oui": True, "non": False}
NUMBER_NOISE = re.compile(r"[\s\u00a0\u202f€]")
AGE_TOKENS = re.compile(r"[0-9]+|[^0-9\s,;/]+")  # « 3 ans, 7 et 12 » → 3, ans, 7, et, 12
AGE_WORDS = frozenset({"an", "ans", "et"})


class FormProblems(Exception):
    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("form problems")
        self.errors = errors


def _number(text: str) -> str | None:
    """« 1 200,50 € » → « 1200.50 » (the schema says if it is not a number); empty → None."""
    cleaned = NUMBER_NOISE.sub("", text).replace(",", ".")
    return cleaned or None


def _answers(form: Mapping[str, str]) -> dict[str, Any]:
    """The form's texts as the API's answers; what was not answered is left out."""
    answers: dict[str, Any] = {}
    for name in ("age", "monthly_earnings_eur", "other_monthly_income_eur"):
        answers[name] = _number(form[name])
    for name in ("couple", "is_student", "is_agricultural"):
        answers[name] = YES_NO.get(form[name])
    if answers["couple"]:
        answers["partner_age"] = _number(form["partner_age"])
        answers["partner_monthly_earnings_eur"] = _number(form["partner_monthly_earnings_eur"])
    if form["children"] == "aucun":
        answers["children_ages"] = []
    elif form["children"] == "oui":
        ages = [age for age in AGE_TOKENS.findall(form["children_ages"]) if age not in AGE_WORDS]
        if not ages:
            raise FormProblems({"children_ages": [_("Indiquez l'âge de chaque enfant.")]})
        answers["children_ages"] = ages
    if form["housing"] in {housing.value for housing in Housing}:
        answers["housing"] = form["housing"]
        if form["housing"] == Housing.TENANT:
            answers["rent_eur"] = _number(form["rent_eur"])
    if form["disability"] == "non":
        answers["disability_rate"] = 0
    elif form["disability"] == "oui":
        answers["disability_rate"] = _number(form["disability_rate"].removesuffix("%"))
    answers["address"] = form["address"].strip() or None
    return {name: value for name, value in answers.items() if value is not None}


def _flat(messages: Any) -> list[str]:
    if isinstance(messages, Mapping):
        return [text for value in messages.values() for text in _flat(value)]
    if isinstance(messages, list | tuple):
        return [text for value in messages for text in _flat(value)]
    return [str(messages)]


def _render(
    values: Mapping[str, str],
    errors: Mapping[str, list[str]],
    bilan: dict[str, Any] | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    page = render_template(
        "pages/bilan.html",
        values=values,
        errors=errors,
        bilan=bilan,
        housing_labels=HOUSING_LABELS,
        amount_text=amount_text,
    )
    response = make_response(page, status)
    response.cache_control.no_store = True
    return response


@bilan_pages.get("/bilan")
def form() -> ResponseReturnValue:
    return _render(dict.fromkeys(TEXT_FIELDS, ""), {})


@bilan_pages.post("/bilan")
def results() -> ResponseReturnValue:
    if (request.content_length or 0) > MAX_FORM_BYTES:
        return _render(
            dict.fromkeys(TEXT_FIELDS, ""), {"form": [_("Réponses trop longues.")]}, None, 413
        )
    values = {name: request.form.get(name, "").strip() for name in TEXT_FIELDS}
    try:
        validate_csrf(request.form.get("csrf_token", ""))
    except ValidationError:
        problem = _("Le formulaire a expiré. Vérifiez vos réponses et envoyez-les à nouveau.")
        return _render(values, {"form": [problem]}, None, 400)
    try:
        answers = BilanSituationSchema().load(_answers(values))
        situation = situation_from(answers)
        bilan = draw_up_bilan(
            db_session(),
            situation,
            now(),
            engine=benefit_engine(),
            geocoder=geocoder(),
            travel_times=travel_times(),
        )
    except FormProblems as problems:
        return _render(values, problems.errors, None, 422)
    except ma.ValidationError as invalid:
        messages = invalid.messages if isinstance(invalid.messages, Mapping) else {}
        return _render(values, {k: _flat(v) for k, v in messages.items()}, None, 422)
    except RoutingError as error:
        errors = getattr(error, "field_errors", None) or {"address": [error.message]}
        return _render(values, {k: _flat(v) for k, v in errors.items()}, None, 422)
    return _render(values, {}, bilan_document(db_session(), bilan))
