"""Application factory (the composition root)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from web.config import load_config
from web.database import init_database
from web.json_provider import IsoJSONProvider
from web.request_log import configure_logging, init_request_log
from web.url_converters import AsciiIntegerConverter

UPLOAD_FORM_MARGIN = 200_000  # bytes of an import form besides its file


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.url_map.converters["int"] = AsciiIntegerConverter  # before any route is added
    app.json = IsoJSONProvider(app)
    instance_path = Path(app.instance_path)
    instance_path.mkdir(parents=True, exist_ok=True)
    app.config.update(load_config(instance_path, config))
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(instance_path)
    # No request body may be larger than the largest the application accepts (an import
    # file and its form): werkzeug otherwise reads any form and spools any uploaded file to
    # disk, for anyone who POSTs. Beyond it, 413 (web/errors.py, in French).
    if app.config.get("MAX_CONTENT_LENGTH") is None:
        limit = int(app.config["ADMIN_IMPORT_MAX_BYTES"]) + UPLOAD_FORM_MARGIN
        app.config["MAX_CONTENT_LENGTH"] = limit
    configure_logging(str(app.config["LOG_FORMAT"]))
    logging.getLogger("alembic").setLevel(logging.WARNING)
    init_request_log(app)  # first: every later hook logs with the request id

    init_database(app)

    from web.compression import init_compression

    init_compression(app)  # registered early: its after_request step runs after the others

    from web.cli import register_cli
    from web.directory_follow import init_directory_follow
    from web.errors import register_error_handlers
    from web.pages_setup import init_pages
    from web.views import register_views

    register_error_handlers(app)
    init_directory_follow(app)  # before the answer cache, which reads its generation
    init_pages(app)
    register_views(app)
    register_cli(app)

    from admin import init_admin

    init_admin(app)
    return app


def _instance_secret(instance_path: Path) -> str:
    """A per-installation secret kept in the instance folder (shared by the app's workers)."""
    import secrets

    path = instance_path / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()
