"""Security headers of every answer: a per-response CSP nonce for the pages' own inline
scripts (folium writes some), and no origin but the app's own and the configured tiles."""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, g, request

API_PATH_PREFIX = "/api/"


def csp_nonce() -> str:
    """The nonce of this response, made on first use (templates call it as ``csp_nonce()``)."""
    nonce: str | None = g.get("csp_nonce")
    if nonce is None:
        nonce = secrets.token_urlsafe(18)
        g.csp_nonce = nonce
    return nonce


def tile_origin(tile_url: str) -> str | None:
    """``https://tile.openstreetmap.org`` from a tile URL template (None if it has none)."""
    parts = urlsplit(tile_url.replace("{s}.", ""))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    host = parts.netloc
    wildcard = "*." if "{s}" in tile_url else ""
    return f"{parts.scheme}://{wildcard}{host}"


def page_policy(nonce: str, tiles: str | None) -> str:
    images = "'self' data:" + (f" {tiles}" if tiles else "")
    return "; ".join(
        (
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            f"style-src 'self' 'nonce-{nonce}'",
            f"img-src {images}",
            "connect-src 'self'",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        )
    )


API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"


def _secure(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    if request.path.startswith(API_PATH_PREFIX) and not request.path.endswith("/docs"):
        headers.setdefault("Content-Security-Policy", API_POLICY)
    else:
        tiles = tile_origin(str(current_app.config["MAP_TILE_URL"]))
        headers.setdefault("Content-Security-Policy", page_policy(csp_nonce(), tiles))
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def init_security_headers(app: Flask) -> None:
    app.after_request(_secure)
    app.jinja_env.globals["csp_nonce"] = csp_nonce
