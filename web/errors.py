"""One error vocabulary: domain error classes → HTTP statuses; problem+json under /api/."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, jsonify, render_template, request
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from directory.deciders import InvalidDeciders
from directory.errors import (
    DirectoryError,
    InvalidErrorReport,
    InvalidPartner,
    PartnerNotFound,
    RightNotFound,
)
from directory.hours.errors import (
    AmbiguousTimeZone,
    HoursError,
    InvalidClosure,
    NaiveDateTime,
)
from directory.hours.errors import UnknownTerritory as UnknownHoursTerritory
from directory.offers import InvalidOffers
from directory.rights_editing import InvalidRightEdit
from directory.search.errors import IndexUnavailable, InvalidSearch, SearchError
from geodata.errors import (
    BackupFailed,
    CommuneNotFound,
    EpciNotFound,
    GeodataError,
    ImportFileRejected,
    InvalidLocation,
    SpatialBackendUnavailable,
)
from geodata.providers import InvalidGeodataSettings
from geodata.territories import UnknownTerritory
from routing.errors import (
    BusRouteNotFound,
    BusScheduleNotFound,
    BusStopNotFound,
    BusVisitNotFound,
    InvalidBusSchedule,
    InvalidCoverageRequest,
    InvalidOrientationRequest,
    InvalidSituation,
    PlaceNotFound,
    RoutingError,
)
from web.media_types import PROBLEM_JSON
from web.request_log import current_request_id, read_request_id

LOGGER = logging.getLogger(__name__)

DomainError = DirectoryError | GeodataError | RoutingError

# Keyed by class: a subclass takes the status of its nearest mapped ancestor (see
# `status_for`). The packages' base errors are deliberately absent, so that a new error
# class must be placed here (tests/web/test_error_mapping.py checks every one).
STATUS_BY_ERROR: dict[type[Exception], int] = {
    # directory
    PartnerNotFound: 404,
    RightNotFound: 404,
    InvalidPartner: 422,
    InvalidErrorReport: 422,
    InvalidRightEdit: 422,
    HoursError: 422,
    UnknownHoursTerritory: 404,
    AmbiguousTimeZone: 422,
    InvalidClosure: 422,
    NaiveDateTime: 422,
    SearchError: 422,
    InvalidSearch: 422,
    IndexUnavailable: 503,
    InvalidOffers: 500,  # a bundled data file is broken: the installation's fault
    InvalidDeciders: 500,
    # geodata
    CommuneNotFound: 404,
    EpciNotFound: 404,
    UnknownTerritory: 404,
    InvalidLocation: 422,
    ImportFileRejected: 422,
    BackupFailed: 500,  # command line only
    SpatialBackendUnavailable: 503,
    InvalidGeodataSettings: 500,  # the instance's configuration is wrong
    # routing
    InvalidOrientationRequest: 422,
    PlaceNotFound: 422,
    BusRouteNotFound: 404,
    BusScheduleNotFound: 404,
    BusStopNotFound: 404,
    BusVisitNotFound: 404,
    InvalidBusSchedule: 422,
    InvalidCoverageRequest: 422,
    InvalidSituation: 422,
}


def status_for(error: type[BaseException]) -> int | None:
    """The status of the most specific mapped class in ``error``'s MRO (None: unmapped)."""
    for cls in error.__mro__:
        status = STATUS_BY_ERROR.get(cls)
        if status is not None:
            return status
    return None


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


DATABASE_UNAVAILABLE = (
    "La base de données ne répond pas pour le moment : réessayez dans quelques instants."
)
DATABASE_RETRY_AFTER_S = 10


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


def unexpected_error_response() -> Response | tuple[str, int]:
    """500 for the error being handled: logged with a request id that the client sees."""
    request_id = current_request_id() or read_request_id(None)
    LOGGER.exception("unexpected error, request id %s", request_id)
    return error_response(
        500,
        f"Une erreur inattendue s'est produite. Référence à communiquer : {request_id}.",
        code="internal_error",
        request_id=request_id,
    )


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(DirectoryError)
    @app.errorhandler(GeodataError)
    @app.errorhandler(RoutingError)
    def _domain_error(exc: DomainError) -> Any:
        status = status_for(type(exc))
        if status is None:  # a class missing from STATUS_BY_ERROR: a programming error
            return unexpected_error_response()
        errors = getattr(exc, "field_errors", None) or None
        request_id = None
        if status >= 500:  # the installation's fault, not the request's: keep a trace
            request_id = current_request_id() or read_request_id(None)
            LOGGER.error("%s (%s), request id %s", exc.message, exc.code, request_id)
        return error_response(
            status, exc.message, code=exc.code, errors=errors, request_id=request_id
        )

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

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    @app.errorhandler(PoolTimeout)
    def _database_unavailable(exc: DBAPIError | PoolTimeout) -> Any:
        """The database is down, restarting, overloaded (statement timeout) or locked: 503,
        never a half-written answer (the request's transaction did not commit). The pool
        tests its connections before use, so the next request after a restart succeeds."""
        request_id = current_request_id() or read_request_id(None)
        LOGGER.warning(
            "database unavailable (%s), request id %s",
            type(getattr(exc, "orig", None) or exc).__name__,
            request_id,
        )
        response = error_response(
            503, DATABASE_UNAVAILABLE, code="database_unavailable", request_id=request_id
        )
        if isinstance(response, tuple):
            response = Response(response[0], status=response[1], mimetype="text/html")
        response.headers["Retry-After"] = str(DATABASE_RETRY_AFTER_S)
        return response

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Any:
        return unexpected_error_response()
