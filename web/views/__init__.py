"""Blueprint registration."""

from __future__ import annotations

from flask import Flask


def register_views(app: Flask) -> None:
    from web.api import init_api
    from web.views.pages import pages

    app.register_blueprint(pages)
    init_api(app)
