"""Blueprint registration: the public pages and the API."""

from __future__ import annotations

from flask import Flask


def register_views(app: Flask) -> None:
    from web.api import init_api
    from web.views.bilan import bilan_pages
    from web.views.bus import bus_pages
    from web.views.coverage import coverage_pages
    from web.views.maps import maps
    from web.views.orientation import orientation_pages
    from web.views.pages import pages
    from web.views.partners import partner_pages
    from web.views.rights import rights_pages
    from web.views.search import search

    for blueprint in (
        pages,
        search,
        partner_pages,
        rights_pages,
        orientation_pages,
        bilan_pages,
        maps,
        bus_pages,
        coverage_pages,
    ):
        app.register_blueprint(blueprint)
    init_api(app)
