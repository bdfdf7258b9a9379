"""One error vocabulary: domain error codes → HTTP statuses; problem+json under /api/."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from directory.errors import DirectoryError
from geodata.errors import GeodataError

LOGGER = logging.getLogger(__name__)

STATUS_BY_CODE: dict[str, int] = {
    "partner_not_found": 404,
    "right_not_found": 404,
    "commune_not_found": 404,
    "epci_not_found": 404,
    "unknown_territory": 404,
    "invalid_partner": 422,
    "invalid_location": 422,
    "geocoding_error": 422,
    "import_file_rejected": 422,
}
FRENCH_TITLES: dict[int, str] = {
    400: "Requête invalide",
    401: "Authentification requise",
    403: "Accès refusé",
    404: "Page ou ressource introuvable",
    405: "Méthode non autorisée",
    409: "Conflit",
    413: "Requête trop volumineuse",
    415: "Type de contenu non pris en charge",
    422: "Données invalides",
    429: "Trop de requêtes",
    500: "Erreur interne",
    503: "Service indisponible",
}


def wants_problem_json() -> bool:
    return request.path.startswith("/api/")


def problem(
    status: int, detail: str, *, code: str | None = None, errors: dict[str, Any] | None = None
) -> Response:
    body: dict[str, Any] = {
        "type": f"about:blank#{code}" if code else "about:blank",
        "title": FRENCH_TITLES.get(status, "Erreur"),
        "status": status,
        "detail": detail,
        "instance": request.path,
    }
    if code:
        body["code"] = code
    if errors:
        body["errors"] = errors
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response


def error_response(
    status: int, detail: str, *, code: str | None = None, errors: dict[str, Any] | None = None
) -> Response | tuple[str, int]:
    if wants_problem_json():
        return problem(status, detail, code=code, errors=errors)
    title = FRENCH_TITLES.get(status, "Erreur")
    return render_template("error.html", status=status, title=title, detail=detail), status


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(DirectoryError)
    @app.errorhandler(GeodataError)
    def _domain_error(exc: DirectoryError | GeodataError) -> Any:
        status = STATUS_BY_CODE.get(exc.code, 400)
        errors = getattr(exc, "field_errors", None) or None
        return error_response(status, exc.message, code=exc.code, errors=errors)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Any:
        status = exc.code or 500
        detail = {
            404: "L'adresse demandée n'existe pas.",
            405: "Cette méthode n'est pas autorisée pour cette adresse.",
        }.get(status, FRENCH_TITLES.get(status, "Erreur"))
        data = getattr(exc, "data", None)
        errors = data.get("messages") if isinstance(data, dict) else None
        if isinstance(exc.description, str) and status not in (404, 405, 500):
            detail = exc.description
        response = error_response(status, detail, errors=errors)
        if status == 405 and exc.get_response().headers.get("Allow"):
            allow = exc.get_response().headers["Allow"]
            if isinstance(response, Response):
                response.headers["Allow"] = allow
        return response

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Any:
        request_id = uuid.uuid4().hex[:12]
        LOGGER.exception("unexpected error, request id %s", request_id)
        return error_response(
            500,
            f"Une erreur inattendue s'est produite. Référence à communiquer : {request_id}.",
            code="internal_error",
        )
