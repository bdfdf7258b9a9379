"""One structured log line per request, and a request id that follows it everywhere.

* The id: the ``X-Request-ID`` header the reverse proxy (nginx ``$request_id``) or the
  client sent, when it is sane (1 to 64 letters, digits, ``.``, ``_``, ``:``, ``-``);
  otherwise 12 hexadecimal digits drawn here. It is echoed in the ``X-Request-ID`` header
  of the answer, written on every log line of the request, and shown to the person in
  the message of an unexpected error.
* The line: method, path, status, duration, size, id. **Never the query string** (a
  search, an address, a situation typed by a person) nor the client's address: the path
  only, as docs/SECURITY.md promises.
* ``LOG_FORMAT``: ``json`` (one JSON object per line, for a log collector) or ``text``.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, g, has_request_context, request

HEADER = "X-Request-ID"
SANE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")
logger = logging.getLogger("aiguillage.requests")


def current_request_id() -> str | None:
    """The id of the request being served (None outside a request)."""
    if not has_request_context():
        return None
    found: str | None = g.get("request_id")
    return found


def read_request_id(header: str | None) -> str:
    if header is not None and SANE_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex[:12]


class JsonLineFormatter(logging.Formatter):
    """A log record as one JSON object: time, level, logger, message, request id, and the
    ``fields`` given as ``extra``; the traceback of an exception as one more field."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None)
        if request_id:
            line["request_id"] = request_id
        line.update(getattr(record, "fields", {}))
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = current_request_id()
        return True


class _ServiceHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """The handler this module installs (standard error), told apart from others."""


def configure_logging(log_format: str) -> None:
    """Log to standard error in ``json`` lines (or ``text``), each with its request id,
    unless the process already logs somewhere (a test runner, an embedding program):
    then its handlers are left as they are."""
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    ours = [h for h in root.handlers if isinstance(h, _ServiceHandler)]
    if root.handlers and not ours:
        return
    handler = ours[0] if ours else _ServiceHandler()
    handler.setFormatter(
        JsonLineFormatter()
        if log_format == "json"
        else logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")
    )
    if not handler.filters:
        handler.addFilter(RequestIdFilter())
    if not ours:
        root.addHandler(handler)


def init_request_log(app: Flask) -> None:
    @app.before_request
    def _start() -> None:
        g.request_id = read_request_id(request.headers.get(HEADER))
        g.request_started = time.perf_counter()

    @app.after_request
    def _log(response: Response) -> Response:
        request_id = g.get("request_id") or read_request_id(None)
        response.headers[HEADER] = request_id
        started = g.get("request_started")
        duration_ms = None if started is None else (time.perf_counter() - started) * 1000
        fields = {
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": None if duration_ms is None else round(duration_ms, 1),
            "bytes": response.calculate_content_length(),
        }
        logger.info(
            "%s %s %s", request.method, request.path, response.status_code,
            extra={"fields": fields, "request_id": request_id},
        )  # fmt: skip
        return response
