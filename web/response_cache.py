"""A short-lived cache of whole API answers, in the memory of each worker process.

Searches and orientations cost tens of milliseconds (full-text index, distances, opening
hours); the same questions come back often (a map panned back, a form resubmitted, the
same commune asked by many people). An answer is kept at most ``RESPONSE_CACHE_TTL_S``
(60 s, the ``Cache-Control: max-age`` clients are already told) and dropped as soon as the
directory's generation moves: the change of the log that this server's index reflects,
published by `web.directory_follow` (read from memory on every look-up; the database is
polled every ``CHANGE_LOG_POLL_S`` seconds by the follower). A change made through any
server therefore empties the caches of all of them. Each worker has its own cache, so
servers stay stateless. An orientation also shows rights and bus visits, which the log does
not record: their fingerprints (`directory.queries.rights_fingerprint`,
`routing.bus.editing.bus_fingerprint`) are read from the database at most every
``CHANGE_LOG_POLL_S`` seconds, and a change empties the cache too. Set
``RESPONSE_CACHE_SIZE`` to 0 to switch it off (settings: web/config.py).

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

from directory.queries import rights_fingerprint
from routing.bus.editing import bus_fingerprint
from web.database import db_session
from web.directory_follow import EXTENSION as FOLLOWER_EXTENSION
from web.directory_follow import DirectoryFollower

HEADER = "X-Aiguillage-Cache"


@dataclass(frozen=True)
class _Entry:
    stored_at: float
    body: bytes
    content_type: str
    headers: tuple[tuple[str, str], ...]


class ResponseCache:
    """LRU of answers by request key, emptied when the directory's generation moves."""

    def __init__(
        self,
        size: int,
        ttl_s: float,
        generation: Callable[[], Hashable],
        clock: Callable[[], float] = time.monotonic,
        max_bytes: int = 32_000_000,
    ) -> None:
        self.size, self.ttl_s = size, ttl_s
        self.max_bytes = max_bytes
        self.bytes = 0  # of the bodies kept
        self._generation = generation
        self._clock = clock
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._seen: Hashable = None
        self._lock = threading.Lock()

    def _check_data(self) -> None:
        current = self._generation()
        if current != self._seen:
            self._entries.clear()
            self.bytes = 0
            self._seen = current

    def get(self, key: str) -> _Entry | None:
        with self._lock:
            now = self._clock()
            self._check_data()
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
            self._check_data()
            self._drop(key)
            self._entries[key] = _Entry(now, body, response.content_type or "", headers)
            self.bytes += len(body)
            while len(self._entries) > self.size or self.bytes > self.max_bytes:
                self._drop(next(iter(self._entries)))

    def _drop(self, key: str) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None:
            self.bytes -= len(entry.body)


class CatalogueFingerprint:
    """The rights' and the bus schedule's fingerprints, read at most every ``every_s``
    seconds (callers hold the cache's lock)."""

    def __init__(self, every_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.every_s, self._clock = every_s, clock
        self._read_at: float | None = None
        self._value: Hashable = None

    def __call__(self) -> Hashable:
        now = self._clock()
        if self._read_at is None or now - self._read_at >= self.every_s:
            session = db_session()
            self._value = (rights_fingerprint(session), bus_fingerprint(session))
            self._read_at = now
        return self._value


def request_key() -> str:
    """The path and the query parameters, in a canonical order."""
    items = sorted((k, v) for k, values in request.args.lists() for v in values)
    return request.path + "?" + "&".join(f"{k}={v}" for k, v in items)


def init_response_cache(app: Flask, paths: tuple[str, ...]) -> None:
    size = int(app.config["RESPONSE_CACHE_SIZE"])
    if size <= 0:
        return
    follower: DirectoryFollower = app.extensions[FOLLOWER_EXTENSION]
    catalogue = CatalogueFingerprint(float(app.config["CHANGE_LOG_POLL_S"]))
    cache = ResponseCache(
        size,
        float(app.config["RESPONSE_CACHE_TTL_S"]),
        lambda: (follower.generation, catalogue()),
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
