"""JSON API, version 1."""

from __future__ import annotations

from flask import Blueprint

api_v1 = Blueprint("api_v1", __name__, url_prefix="/api/v1")

from web.api import health  # noqa: E402,F401  (registers the views)
