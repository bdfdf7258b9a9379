"""A short-lived cache of whole API answers, in the memory of each worker process.

Searches and orientations cost tens of milliseconds (full-text index, distances, opening
hours); the same questions come back often (a map panned back, a form resubmitted, the
same commune asked by many people). An answer is kept at most ``RESPONSE_CACHE_TTL_S``
(60 s, the ``Cache-Control: max-age`` clients are already told) and dropped as soon as the
data changes: a fingerprint of the partner table, the rights catalogue and the bus des
droits tables (counts, latest updates) is read at most every ``RESPONSE_CACHE_CHECK_S``
seconds (an orientation shows rights and bus visits too). Each worker has its own cache,
so servers stay stateless: the worst case is an answer up to 60 s old, as with any HTTP cache.
Set ``RESPONSE_CACHE_SIZE`` to 0 to switch it off (settings: web/config.py).

The memory it takes is bounded twice: ``RESPONSE_CACHE_SIZE`` answers at most, and
``RESPONSE_CACHE_MAX_BYTES`` of bodies at most (a GeoJSON answer of a département weighs
megabytes: 512 of them would have taken gigabytes). An answer larger than a sixteenth of
the byte budget is never kept: it would evict dozens of small ones.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from flask import Flask, Response, current_app, g, request
from sqlalchemy.exc import SQLAlchemyError

from directory.queries import directory_fingerprint, rights_fingerprint
from routing.bus.editing import bus_fingerprint
from web.database import db_session

HEADER = "X-Aiguillage-Cache"


@dataclass(frozen=True)
class _Entry:
    stored_at: float
    body: bytes
    content_type: str
    headers: tuple[tuple[str, str], ...]


class ResponseCache:
    """LRU of answers by request key, emptied when the data fingerprint changes."""

    def __init__(
        self,
        size: int,
        ttl_s: float,
        check_s: float,
        fingerprint: Callable[[], Hashable],
        clock: Callable[[], float] = time.monotonic,
        max_bytes: int = 32_000_000,
    ) -> None:
        self.size, self.ttl_s, self.check_s = size, ttl_s, check_s
        self.max_bytes = max_bytes
        self.bytes = 0  # of the bodies kept
        self._fingerprint = fingerprint
        self._clock = clock
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._seen: Hashable = None
        self._checked_at = float("-inf")
        self._lock = threading.Lock()

    def _check_data(self, now: float) -> None:
        if now - self._checked_at < self.check_s:
            return
        current = self._fingerprint()
        self._checked_at = now
        if current != self._seen:
            self._entries.clear()
            self.bytes = 0
            self._seen = current

    def get(self, key: str) -> _Entry | None:
        with self._lock:
            now = self._clock()
            self._check_data(now)
            entry = self._entries.get(key)
            if entry is None:
                return None
            if now - entry.stored_at > self.ttl_s:
                self._drop(key)
                return None
            self._entries.move_to_end(key)
            return entry

    def put(self, key: str, response: Response) -> None:
        body = response.get_data()
        if len(body) > self.max_bytes // 16:
            return
        headers = tuple(
            (name, value)
            for name, value in response.headers.items()
            if name.lower() not in ("content-length", "set-cookie", HEADER.lower())
        )
        with self._lock:
            now = self._clock()
            self._check_data(now)
            self._drop(key)
            self._entries[key] = _Entry(now, body, response.content_type or "", headers)
            self.bytes += len(body)
            while len(self._entries) > self.size or self.bytes > self.max_bytes:
                self._drop(next(iter(self._entries)))

    def _drop(self, key: str) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None:
            self.bytes -= len(entry.body)


def data_fingerprint() -> Hashable:
    """What the cached answers depend on: partners, rights, the bus schedule."""
    session = db_session()
    return (
        directory_fingerprint(session),
        rights_fingerprint(session),
        bus_fingerprint(session),
    )


def request_key() -> str:
    """The path and the query parameters, in a canonical order."""
    items = sorted((k, v) for k, values in request.args.lists() for v in values)
    return request.path + "?" + "&".join(f"{k}={v}" for k, v in items)


def init_response_cache(app: Flask, paths: tuple[str, ...]) -> None:
    size = int(app.config["RESPONSE_CACHE_SIZE"])
    if size <= 0:
        return
    cache = ResponseCache(
        size,
        float(app.config["RESPONSE_CACHE_TTL_S"]),
        float(app.config["RESPONSE_CACHE_CHECK_S"]),
        data_fingerprint,
        max_bytes=int(app.config["RESPONSE_CACHE_MAX_BYTES"]),
    )
    app.extensions["aiguillage.response_cache"] = cache

    @app.before_request
    def _serve_cached() -> Response | None:
        if request.method not in ("GET", "HEAD") or request.path not in paths:
            return None
        key = request_key()
        entry = cache.get(key)
        if entry is None:
            g.response_cache_key = key
            return None
        response = current_app.response_class(entry.body, content_type=entry.content_type)
        for name, value in entry.headers:
            if name.lower() != "content-type":
                response.headers[name] = value
        response.headers[HEADER] = "hit"
        return response

    @app.after_request
    def _store(response: Response) -> Response:
        key = g.pop("response_cache_key", None)
        if key is not None and response.status_code == 200 and not response.is_streamed:
            try:
                cache.put(key, response)
            except SQLAlchemyError:  # the directory's fingerprint could not be read: the
                return response  # answer is sent, not kept (an error here would be a 500)
            response.headers[HEADER] = "miss"
        return response
