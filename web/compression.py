"""Compressed answers (brotli or gzip, as the client's ``Accept-Encoding`` allows), with
``Vary: Accept-Encoding``, by flask-compress.

It runs after every other ``after_request`` step (it is registered first): the answer cache
keeps the plain body and the ETag is computed on it; flask-compress then gives the
compressed representation its own tag (``"…:br"``, ``"…:gzip"``) and answers 304 to it. The
exports come already gzipped from their files (`web.export_files`) and are left as they are.
Measured sizes and costs: docs/BENCHMARKS.md (« Compressed answers »).
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_compress import Compress

COMPRESSION_CONFIG: dict[str, Any] = {
    "COMPRESS_MIMETYPES": [
        "text/html",
        "text/css",
        "text/javascript",
        "application/javascript",
        "application/json",
        "application/geo+json",
        "application/problem+json",
        "text/csv",
        "text/calendar",
        "text/plain",
        "image/svg+xml",
    ],
    "COMPRESS_ALGORITHM": ["br", "gzip"],  # brotli when both are accepted: smaller
    "COMPRESS_ALGORITHM_STREAMING": ["br", "gzip"],
    "COMPRESS_BR_LEVEL": 4,  # brotli's quality 4 is faster than gzip 6 and smaller
    "COMPRESS_LEVEL": 6,
    "COMPRESS_MIN_SIZE": 500,
}


def init_compression(app: Flask) -> None:
    for key, value in COMPRESSION_CONFIG.items():
        app.config.setdefault(key, value)
    Compress(app)
