"""The OpenAPI document is a contract: docs/openapi.json must match what the app generates.

When an endpoint or a schema changes on purpose, regenerate the file and commit it:

    .venv/bin/flask --app wsgi openapi write docs/openapi.json
"""

from __future__ import annotations

import json
from pathlib import Path

from flask import Flask

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
