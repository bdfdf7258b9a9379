"""Blueprint registration."""

from __future__ import annotations

from flask import Flask


def register_views(app: Flask) -> None:
    from web.api import api_v1
    from web.views.pages import pages

    app.register_blueprint(pages)
    app.register_blueprint(api_v1)
