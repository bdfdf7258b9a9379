"""JSON API, version 1: flask-smorest blueprints, OpenAPI document, HTTP behaviour.

Errors are answered by ``web/errors.py`` (problem+json); flask-smorest's own error handler
is switched off so that the whole application keeps one error vocabulary.
"""

from __future__ import annotations

import http
from collections.abc import Callable
from typing import Any, NoReturn, TypeVar, cast

import marshmallow as ma
from flask import Flask, Request, Response, request
from flask_smorest import Api, Blueprint
from flask_smorest.spec.plugins import integerconverter2paramschema
from flask_smorest.utils import prepare_response
from webargs.flaskparser import FlaskParser, is_json_request
from webargs.flaskparser import abort as webargs_abort
from werkzeug.exceptions import UnsupportedMediaType

from web.errors import FRENCH_TITLES, problem
from web.schemas.problem import PROBLEM_CONTENT_TYPE, ProblemSchema
from web.url_converters import AsciiIntegerConverter

View = TypeVar("View", bound=Callable[..., Any])
API_PREFIX = "/api/v1"
API_CONFIG: dict[str, Any] = {
    "API_TITLE": "Aiguillage",
    "API_VERSION": "1.0",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": API_PREFIX,
    "OPENAPI_JSON_PATH": "openapi.json",
    "API_SPEC_OPTIONS": {
        "info": {
            "description": (
                "Annuaire des lieux qui aident à obtenir ses droits sociaux et orientation "
                "vers le partenaire compétent. Lecture seule, sans authentification. "
                "Erreurs au format application/problem+json (RFC 9457). "
                "Coordonnées en WGS 84, ordre longitude, latitude."
            ),
            "license": {"name": "AGPL-3.0-or-later"},
        },
        "servers": [{"url": "/", "description": "Ce serveur"}],
    },
}


class StrictParser(FlaskParser):
    """An unknown query parameter is an error (422), never silently ignored; a request body
    must be JSON (415 otherwise, rather than read as empty) and readable (400, in French)."""

    DEFAULT_UNKNOWN_BY_LOCATION = {  # noqa: RUF012 (webargs reads this class attribute)
        **FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION,
        "query": ma.RAISE,
        "querystring": ma.RAISE,
    }

    def _raw_load_json(self, req: Request) -> Any:
        if req.get_data(cache=True) and not is_json_request(req):
            raise UnsupportedMediaType("Envoyez un corps JSON (Content-Type: application/json).")
        return super()._raw_load_json(req)

    def _handle_invalid_json_error(
        self, error: Exception, req: Request, *args: Any, **kwargs: Any
    ) -> NoReturn:
        webargs_abort(400, exc=error, messages={"json": ["Corps JSON illisible."]})


class ApiBlueprint(Blueprint):  # type: ignore[misc]
    """flask-smorest's Blueprint with a strict parser and typed decorators."""

    ARGUMENTS_PARSER = StrictParser()

    def get(self, rule: str, **options: Any) -> Callable[[View], View]:
        return cast(Callable[[View], View], super().get(rule, **options))

    def post(self, rule: str, **options: Any) -> Callable[[View], View]:
        return cast(Callable[[View], View], super().post(rule, **options))

    def arguments(self, schema: Any, **options: Any) -> Callable[[View], View]:
        return cast(Callable[[View], View], super().arguments(schema, **options))

    def response(
        self, status_code: int, schema: Any = None, **options: Any
    ) -> Callable[[View], View]:
        return cast(Callable[[View], View], super().response(status_code, schema, **options))

    def alt_response(
        self, status_code: int, response: str | None = None, **options: Any
    ) -> Callable[[View], View]:
        return cast(Callable[[View], View], super().alt_response(status_code, response, **options))


class AiguillageApi(Api):  # type: ignore[misc]
    """flask-smorest's Api, with problem+json error documents and without its error handler."""

    ERROR_SCHEMA = ProblemSchema

    def _register_error_handlers(self) -> None:
        """Errors are handled by web.errors for the whole application."""

    def _register_responses(self) -> None:
        for status in http.HTTPStatus:
            response: dict[str, Any] = {
                "description": FRENCH_TITLES.get(status.value, status.phrase)
            }
            content_type = self.DEFAULT_RESPONSE_CONTENT_TYPE
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
                content_type = PROBLEM_CONTENT_TYPE
            prepare_response(response, self.spec, content_type)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Erreur", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_CONTENT_TYPE)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)


NUL = "\x00"


def refuse_nul_characters() -> Response | None:
    """A NUL character can reach no data (PostgreSQL even refuses it): answer 404/422 early."""
    if not request.path.startswith(API_PREFIX):
        return None
    if NUL in request.path:
        return problem(404, "L'adresse demandée n'existe pas.")
    errors = {
        name: ["Caractère nul (U+0000) interdit."]
        for name, values in request.args.lists()
        if any(NUL in value for value in values) or NUL in name
    }
    if errors:
        return problem(422, "Certains paramètres sont invalides : voir « errors ».", errors=errors)
    return None


def init_api(app: Flask) -> AiguillageApi:
    """Register the API blueprints and its HTTP behaviour (cache, CORS, rate limit)."""
    from web.api import (
        bilan,
        bus,
        communes,
        coverage,
        docs,
        exports,
        meta,
        orientation,
        partners,
        rights,
    )
    from web.cors import init_cors
    from web.http_cache import init_http_cache
    from web.rate_limit import init_rate_limit
    from web.response_cache import init_response_cache

    for key, value in API_CONFIG.items():
        app.config.setdefault(key, value)
    api = AiguillageApi(app)
    api.register_converter(AsciiIntegerConverter, integerconverter2paramschema)
    for module in (partners, orientation, bilan, rights, communes, bus, coverage, exports, meta):
        api.register_blueprint(module.blp)
    app.register_blueprint(docs.docs_pages)
    app.before_request(refuse_nul_characters)
    init_rate_limit(app, API_PREFIX)
    init_http_cache(app, API_PREFIX)
    init_cors(app, API_PREFIX)
    cached = ("/partners", "/partners.geojson", "/orientation")
    init_response_cache(app, tuple(API_PREFIX + path for path in cached))  # runs first after
    return api
