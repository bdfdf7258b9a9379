"""The OpenAPI document is a contract: docs/openapi.json must match what the app generates.

When an endpoint or a schema changes on purpose, regenerate the file and commit it:

    .venv/bin/flask --app wsgi openapi write docs/openapi.json
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qsl

import pytest
from flask import Flask
from flask.testing import FlaskClient
from jsonschema import Draft4Validator

CHECKED_IN = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"
REGENERATE = ".venv/bin/flask --app wsgi openapi write docs/openapi.json"


def generated(app: Flask) -> dict[str, object]:
    api = app.extensions["flask-smorest"]["apis"][""]["ext_obj"]
    spec: dict[str, object] = json.loads(json.dumps(api.spec.to_dict()))
    return spec


def test_checked_in_openapi_document_is_up_to_date(api_app: Flask) -> None:
    checked_in = json.loads(CHECKED_IN.read_text(encoding="utf-8"))
    assert generated(api_app) == checked_in, f"docs/openapi.json est périmé : {REGENERATE}"


def test_served_document_is_the_generated_one(api_app: Flask) -> None:
    response = api_app.test_client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.get_json() == generated(api_app)


def test_every_operation_is_documented_in_french(api_app: Flask) -> None:
    spec = generated(api_app)
    paths = spec["paths"]
    assert isinstance(paths, dict)
    for path, item in paths.items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            assert operation.get("summary"), f"{method.upper()} {path} sans résumé"
            assert "default" in operation["responses"], f"{method.upper()} {path}"


def allowed_by_document(path: str, query: str) -> bool:
    """Whether the checked-in document accepts this query string for ``GET path``: every
    parameter known, given once unless it is a list, of its type and within its schema,
    and every required one present."""
    spec = json.loads(CHECKED_IN.read_text(encoding="utf-8"))
    parameters = {p["name"]: p for p in spec["paths"][path]["get"].get("parameters", [])}
    given: dict[str, list[str]] = {}
    for name, value in parse_qsl(query, keep_blank_values=True):
        given.setdefault(name, []).append(value)
    if any(p.get("required") and name not in given for name, p in parameters.items()):
        return False
    for name, values in given.items():
        if name not in parameters:
            return False
        schema = parameters[name]["schema"]
        if schema.get("type") == "array":
            items = [typed(value, schema["items"]) for value in values]
            document: object = items
        elif len(values) == 1:
            document = typed(values[0], schema)
        else:
            return False
        if not Draft4Validator(schema).is_valid(document):
            return False
    return True


def typed(value: str, schema: dict[str, object]) -> object:
    """A query-string value read as its schema's type (None when it is not of that type)."""
    kind = schema.get("type")
    if kind == "integer":
        return int(value) if re.fullmatch(r"-?[0-9]+", value) else None
    if kind == "number":
        return float(value) if re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", value) else None
    if kind == "boolean":
        return {"true": True, "false": False}.get(value)
    return value


AGREEMENT = [
    # Refused by both.
    ("/api/v1/partners", "q=rsa%00"),
    ("/api/v1/geocode", "q=Arras%00"),
    ("/api/v1/partners", "open_at=demain"),
    ("/api/v1/partners", "open_at=2026-02-30T10:00"),
    ("/api/v1/partners", "open_at=2026-W47-1"),
    ("/api/v1/partners", "open_at=20261123T1000"),
    ("/api/v1/orientation", "right=rsa&insee_code=62041&at=2026-11-23+10:00"),
    ("/api/v1/bus/visits", "from=1999-12-31T10:00"),
    ("/api/v1/partners", "page=%EF%BC%91"),
    # Accepted by both.
    ("/api/v1/partners", "open_at=2026-11-23T10:00:00%2B01:00"),
    ("/api/v1/partners", "open_at=2026-11-23T10:00"),
    ("/api/v1/partners", "open_at=2028-02-29"),
    ("/api/v1/partners", "open_at=now"),
    ("/api/v1/partners", "near=2.7772,50.2910&radius_m=1"),
    ("/api/v1/bus/visits", "from=2026-12-01T10:00&to=2026-12-01T10:00"),  # an empty period
]


@pytest.mark.parametrize(("path", "query"), AGREEMENT)
def test_the_document_and_the_server_agree(client: FlaskClient, path: str, query: str) -> None:
    response = client.get(f"{path}?{query}")
    assert response.status_code in (200, 404, 422), response.get_data(as_text=True)
    assert allowed_by_document(path, query) is (response.status_code == 200), response.get_data(
        as_text=True
    )[:500]


RULES_BETWEEN_PARAMETERS = [
    # (path, query, the parameter blamed, words of the rule in the document)
    ("/api/v1/partners", "radius_m=1", "radius_m", "sans near ni commune dans q"),
    ("/api/v1/partners.geojson", "radius_m=1", "radius_m", "sans near ni commune dans q"),
    ("/api/v1/bus/visits", "radius_m=1", "radius_m", "seulement avec near"),
    ("/api/v1/orientation", "right=rsa&insee_code=62041&address=Arras", "place", "un seul lieu"),
    ("/api/v1/orientation", "right=rsa", "place", "un seul lieu"),
]


@pytest.mark.parametrize(("path", "query", "field", "rule"), RULES_BETWEEN_PARAMETERS)
def test_rules_between_parameters_are_stated_by_the_document_and_kept_by_the_server(
    client: FlaskClient, path: str, query: str, field: str, rule: str
) -> None:
    """OpenAPI 3.0 cannot tie one query parameter to another: these requests match the
    parameters' schemas, so the document states the rule in words, lists the 422 answer,
    and the server refuses them with a French message on the parameter at fault."""
    operation = json.loads(CHECKED_IN.read_text(encoding="utf-8"))["paths"][path]["get"]
    stated = [operation.get("description", "")] + [
        p.get("description", "") for p in operation["parameters"]
    ]
    assert any(rule in text for text in stated), rule
    assert "422" in operation["responses"]
    response = client.get(f"{path}?{query}")
    assert response.status_code == 422
    assert list(response.get_json()["errors"]) == [field]
