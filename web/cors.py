"""CORS for the read-only API: any origin may read (GET/HEAD), nobody may write."""

from __future__ import annotations

from flask import Flask, Response, request

ALLOWED_METHODS = "GET, HEAD, OPTIONS"
ALLOWED_HEADERS = "Accept, Accept-Language, If-None-Match, If-Modified-Since"
EXPOSED_HEADERS = "ETag, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining"
PREFLIGHT_MAX_AGE_S = 86400


def init_cors(app: Flask, prefix: str) -> None:
    @app.after_request
    def _add_cors_headers(response: Response) -> Response:
        if not request.path.startswith(prefix):
            return response
        if request.method in ("GET", "HEAD"):
            response.headers["Access-Control-Allow-Origin"] = "*"
            response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
        elif request.method == "OPTIONS":
            wanted = request.headers.get("Access-Control-Request-Method", "GET").upper()
            if wanted in ("GET", "HEAD") and response.status_code < 400:
                response.headers["Access-Control-Allow-Origin"] = "*"
                response.headers["Access-Control-Allow-Methods"] = ALLOWED_METHODS
                response.headers["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
                response.headers["Access-Control-Max-Age"] = str(PREFLIGHT_MAX_AGE_S)
        return response
