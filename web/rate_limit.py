"""Rate limiting of the API per client IP address, in the memory of each worker process.

Scope, honestly: every worker process counts on its own (no shared state, so the servers
stay stateless). With W workers on S servers behind a load balancer, a client may get up
to W x S times ``RATE_LIMIT_PER_MINUTE`` in the worst case; the limit protects each
worker from one noisy client, it is not a quota. Set ``RATE_LIMIT_PER_MINUTE`` to 0 to
switch it off (e.g. when a reverse proxy already limits). Behind a reverse proxy, set
``RATE_LIMIT_PROXY_HOPS`` to the number of proxies that append to ``X-Forwarded-For``.

The algorithm is GCRA (a token bucket): ``limit`` requests per minute on average, and a
client who was quiet may send a whole minute's allowance at once.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

from flask import Flask, Response, g, request

from web.errors import problem

PERIOD_S = 60.0
PRUNE_EVERY = 1000
EXEMPT_SUFFIXES = ("/health", "/health/live", "/health/ready")


class RateLimiter:
    """Per-key GCRA; ``clock`` is injectable for tests."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self.interval_s = PERIOD_S / per_minute
        self._clock = clock
        self._theoretical_arrival: dict[str, float] = {}
        self._lock = threading.Lock()
        self._calls = 0

    def hit(self, key: str) -> tuple[bool, int, float]:
        """(allowed, remaining requests, seconds to wait before retrying)."""
        with self._lock:
            now = self._clock()
            self._calls += 1
            if self._calls % PRUNE_EVERY == 0:
                self._prune(now)
            arrival = max(self._theoretical_arrival.get(key, now), now)
            new_arrival = arrival + self.interval_s
            wait_s = new_arrival - now - PERIOD_S
            if wait_s > 0:
                return False, 0, wait_s
            self._theoretical_arrival[key] = new_arrival
            remaining = int((PERIOD_S - (new_arrival - now)) / self.interval_s)
            return True, max(remaining, 0), 0.0

    def _prune(self, now: float) -> None:
        for key in [k for k, t in self._theoretical_arrival.items() if t <= now]:
            del self._theoretical_arrival[key]


def client_address(proxy_hops: int) -> str:
    if proxy_hops > 0:
        forwarded = [part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxy_hops:
            return forwarded[-proxy_hops]
    return request.remote_addr or "inconnu"


def init_rate_limit(app: Flask, prefix: str) -> None:
    per_minute = int(app.config["RATE_LIMIT_PER_MINUTE"])
    if per_minute <= 0:
        return
    proxy_hops = int(app.config["RATE_LIMIT_PROXY_HOPS"])
    limiter = RateLimiter(per_minute)
    app.extensions["aiguillage.rate_limiter"] = limiter

    @app.before_request
    def _limit() -> Response | None:
        if not request.path.startswith(prefix) or request.path.endswith(EXEMPT_SUFFIXES):
            return None
        allowed, remaining, wait_s = limiter.hit(client_address(proxy_hops))
        g.rate_limit_remaining = remaining
        if allowed:
            return None
        retry_after = max(1, math.ceil(wait_s))
        response = problem(
            429,
            f"Vous avez dépassé {per_minute} requêtes par minute. Réessayez dans {retry_after} s.",
            code="rate_limited",
        )
        response.headers["Retry-After"] = str(retry_after)
        return response

    @app.after_request
    def _headers(response: Response) -> Response:
        if "rate_limit_remaining" in g:
            response.headers["X-RateLimit-Limit"] = str(per_minute)
            response.headers["X-RateLimit-Remaining"] = str(g.rate_limit_remaining)
        return response
