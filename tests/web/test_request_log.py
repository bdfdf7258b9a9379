"""One log line per request, with its id, the path and never the query string; the id
comes from X-Request-ID when sane, is echoed, and is the reference of an unexpected error."""

from __future__ import annotations

import json
import logging

import pytest
from flask import Flask

from directory.errors import DirectoryError
from web.errors import register_error_handlers
from web.request_log import HEADER, JsonLineFormatter, init_request_log


class NeverMapped(DirectoryError):
    code = "never_mapped"


@pytest.fixture
def app() -> Flask:
    app = Flask(__name__)
    init_request_log(app)
    register_error_handlers(app)

    @app.get("/api/v1/partners")
    def _partners() -> str:
        return "{}"

    @app.get("/api/v1/broken")
    def _broken() -> str:
        raise NeverMapped("Jamais vue.")

    return app


def request_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "aiguillage.requests"]


def test_a_sane_request_id_is_kept_echoed_and_logged_with_the_path_only(
    app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    response = app.test_client().get(
        "/api/v1/partners?q=Madame+Dupont+12+rue+des+Lilas&near=2.77,50.29",
        headers={HEADER: "req-7f3a.b2:c9_1"},
    )
    assert response.headers[HEADER] == "req-7f3a.b2:c9_1"
    (record,) = request_lines(caplog)
    line = json.loads(JsonLineFormatter().format(record))
    assert line["request_id"] == "req-7f3a.b2:c9_1"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/api/v1/partners", 200)
    assert line["duration_ms"] >= 0 and line["level"] == "info"
    # Neither the words nor the point asked leak (the time stamp is left out of the check:
    # « 20:27:50.295 » once contained « 50.29 »).
    logged = json.dumps({key: value for key, value in line.items() if key != "time"})
    assert "Dupont" not in logged and "50.29" not in logged


@pytest.mark.parametrize(
    "sent", ["", "a" * 65, "deux mots", "<script>", "id\u202eevil", "-commence-par-un-tiret"]
)
def test_an_insane_request_id_is_replaced(app: Flask, sent: str) -> None:
    response = app.test_client().get("/api/v1/partners", headers={HEADER: sent})
    drawn = response.headers[HEADER]
    assert drawn != sent and len(drawn) == 12 and int(drawn, 16) >= 0


def test_without_a_request_id_each_request_gets_its_own(app: Flask) -> None:
    client = app.test_client()
    first, second = client.get("/api/v1/partners"), client.get("/api/v1/partners")
    assert first.headers[HEADER] != second.headers[HEADER]


def test_an_unexpected_error_is_referenced_by_the_request_id(
    app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    response = app.test_client().get("/api/v1/broken", headers={HEADER: "incident-42"})
    body = response.get_json()
    assert response.status_code == 500 and response.headers[HEADER] == "incident-42"
    assert body["request_id"] == "incident-42" and "incident-42" in body["detail"]
    logged = [r for r in caplog.records if r.name == "web.errors"]
    assert logged and "incident-42" in logged[0].getMessage()
