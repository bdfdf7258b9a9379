"""HTTP caching of the read-only API: strong ``ETag`` + ``Cache-Control``, 304 on revalidation.

The ETag is a hash of the body, so every server of a farm gives the same tag for the same
answer (no server-side state). Views choose how long an answer stays fresh with
`set_max_age`; answers that depend on the clock (``open_now``) keep the default minute.
"""

from __future__ import annotations

from flask import Flask, Response, g, request

DEFAULT_MAX_AGE_S = 60
LONG_MAX_AGE_S = 3600


def set_max_age(seconds: int) -> None:
    """Freshness of the current answer, in seconds (0: ``no-store``)."""
    g.cache_max_age_s = seconds


def init_http_cache(app: Flask, prefix: str) -> None:
    @app.after_request
    def _add_cache_headers(response: Response) -> Response:
        if request.method not in ("GET", "HEAD") or not request.path.startswith(prefix):
            return response
        if response.status_code != 200 or response.is_streamed:
            if response.status_code >= 400:
                response.cache_control.no_store = True
            return response
        max_age = int(g.get("cache_max_age_s", DEFAULT_MAX_AGE_S))
        if max_age <= 0:
            response.cache_control.no_store = True
            return response
        response.cache_control.public = True
        response.cache_control.max_age = max_age
        response.add_etag()
        response.make_conditional(request)
        return response
