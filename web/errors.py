"""One error vocabulary: domain error codes → HTTP statuses; problem+json under /api/."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from directory.errors import DirectoryError
from geodata.errors import GeodataError
from routing.errors import RoutingError
from web.media_types import PROBLEM_JSON

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
    "naive_datetime": 422,
    "ambiguous_time_zone": 422,
    "invalid_closure": 422,
    "invalid_orientation_request": 422,
    "place_not_found": 422,
    "bus_route_not_found": 404,
    "search_error": 422,
    "invalid_search": 422,
    "search_index_unavailable": 503,
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


DEFAULT_DETAILS: dict[int, str] = {
    400: "La requête est mal formée.",
    404: "L'adresse demandée n'existe pas.",
    405: "Cette méthode n'est pas autorisée pour cette adresse.",
    413: "La requête est trop volumineuse.",
    422: "Certains paramètres sont invalides.",
    429: "Trop de requêtes : réessayez plus tard.",
}


def is_custom_description(exc: HTTPException) -> bool:
    """False when the description is werkzeug's English default for this status."""
    return isinstance(exc.description, str) and exc.description != type(exc).description


def field_errors(messages: Any, prefix: str = "") -> dict[str, list[str]] | None:
    """webargs' ``{"query": {"per_page": [...]}}`` → ``{"per_page": [...]}`` (dotted paths)."""
    if not isinstance(messages, dict):
        return None
    flat: dict[str, list[str]] = {}
    locations = {"query", "querystring", "json", "form", "path", "view_args", "headers", "files"}
    for key, value in messages.items():
        name = f"{prefix}.{key}" if prefix else ("" if key in locations else str(key))
        if isinstance(value, dict):
            flat.update(field_errors(value, name) or {})
        elif isinstance(value, list | tuple):
            flat.setdefault(name or "_schema", []).extend(str(item) for item in value)
        else:
            flat.setdefault(name or "_schema", []).append(str(value))
    return flat or None


def wants_problem_json() -> bool:
    return request.path.startswith("/api/")


def problem(
    status: int,
    detail: str,
    *,
    code: str | None = None,
    errors: dict[str, Any] | None = None,
    request_id: str | None = None,
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
    if request_id:
        body["request_id"] = request_id
    response = jsonify(body)
    response.status_code = status
    response.content_type = PROBLEM_JSON
    return response


def error_response(
    status: int,
    detail: str,
    *,
    code: str | None = None,
    errors: dict[str, Any] | None = None,
    request_id: str | None = None,
) -> Response | tuple[str, int]:
    if wants_problem_json():
        return problem(status, detail, code=code, errors=errors, request_id=request_id)
    title = FRENCH_TITLES.get(status, "Erreur")
    return render_template("error.html", status=status, title=title, detail=detail), status


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(DirectoryError)
    @app.errorhandler(GeodataError)
    @app.errorhandler(RoutingError)
    def _domain_error(exc: DirectoryError | GeodataError | RoutingError) -> Any:
        status = STATUS_BY_CODE.get(exc.code, 400)
        errors = getattr(exc, "field_errors", None) or None
        return error_response(status, exc.message, code=exc.code, errors=errors)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Any:
        status = exc.code or 500
        detail = DEFAULT_DETAILS.get(status, FRENCH_TITLES.get(status, "Erreur"))
        data = getattr(exc, "data", None)
        errors = field_errors(data.get("messages")) if isinstance(data, dict) else None
        if errors:
            detail = "Certains paramètres sont invalides : voir « errors »."
        elif is_custom_description(exc) and status not in (404, 405, 500):
            detail = str(exc.description)
        response = error_response(status, detail, errors=errors)
        if isinstance(response, Response):
            passed_on = exc.get_response().headers
            for header in ("Allow", "Retry-After"):
                if header in passed_on:
                    response.headers[header] = passed_on[header]
        return response

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Any:
        request_id = uuid.uuid4().hex[:12]
        LOGGER.exception("unexpected error, request id %s", request_id)
        return error_response(
            500,
            f"Une erreur inattendue s'est produite. Référence à communiquer : {request_id}.",
            code="internal_error",
            request_id=request_id,
        )
