"""HTTP behaviour of the read API: ETag/304, Cache-Control, CORS, rate limit, answer cache."""

from __future__ import annotations

from collections.abc import Callable

import requests
from flask import Flask, Response
from flask.testing import FlaskClient

from web.rate_limit import RateLimiter
from web.response_cache import ResponseCache

API = "/api/v1"


def test_read_answers_carry_an_etag_and_revalidate_to_304(client: FlaskClient) -> None:
    first = client.get(f"{API}/rights")
    assert first.status_code == 200
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "public, max-age=3600"

    again = client.get(f"{API}/rights", headers={"If-None-Match": etag})

    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == etag


def test_a_different_answer_has_a_different_etag(client: FlaskClient) -> None:
    rsa = client.get(f"{API}/rights/rsa").headers["ETag"]
    c2s = client.get(f"{API}/rights/c2s").headers["ETag"]
    assert rsa != c2s
    stale = client.get(f"{API}/rights/rsa", headers={"If-None-Match": c2s})
    assert stale.status_code == 200


def test_clock_dependent_answers_stay_fresh_one_minute_and_health_is_never_cached(
    client: FlaskClient,
) -> None:
    partners = client.get(f"{API}/partners?insee_code=62041")
    assert partners.headers["Cache-Control"] == "public, max-age=60"
    health = client.get(f"{API}/health")
    assert health.headers["Cache-Control"] == "no-store"
    assert "ETag" not in health.headers


def test_errors_are_not_cached(client: FlaskClient) -> None:
    response = client.get(f"{API}/partners?per_page=1000")
    assert response.headers["Cache-Control"] == "no-store"


def test_any_origin_may_read(client: FlaskClient) -> None:
    response = client.get(f"{API}/rights", headers={"Origin": "https://exemple.org"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response.headers["Access-Control-Expose-Headers"]


def test_preflight_allows_reading_only(client: FlaskClient) -> None:
    read = client.options(
        f"{API}/partners",
        headers={"Origin": "https://exemple.org", "Access-Control-Request-Method": "GET"},
    )
    assert read.status_code == 200
    assert read.headers["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    write = client.options(
        f"{API}/partners",
        headers={"Origin": "https://exemple.org", "Access-Control-Request-Method": "DELETE"},
    )
    assert "Access-Control-Allow-Origin" not in write.headers


def test_pages_outside_the_api_get_no_cors_header(client: FlaskClient) -> None:
    assert "Access-Control-Allow-Origin" not in client.get("/").headers


def test_rate_limiter_lets_a_minute_of_requests_through_then_says_when_to_retry() -> None:
    now = [1000.0]
    limiter = RateLimiter(3, clock=lambda: now[0])
    assert [limiter.hit("a")[0] for _ in range(3)] == [True, True, True]
    allowed, remaining, wait_s = limiter.hit("a")
    assert (allowed, remaining) == (False, 0)
    assert 19 < wait_s <= 20  # one request every 20 s on average
    assert limiter.hit("b")[0]  # another client is not affected
    now[0] += 20
    assert limiter.hit("a")[0]


def test_too_many_requests_get_429_with_retry_after(make_app: Callable[..., Flask]) -> None:
    app = make_app(RATE_LIMIT_PER_MINUTE=3)
    client = app.test_client()
    statuses = [client.get(f"{API}/rights").status_code for _ in range(3)]
    assert statuses == [200, 200, 200]

    response = client.get(f"{API}/rights")

    assert response.status_code == 429
    assert response.mimetype == "application/problem+json"
    assert int(response.headers["Retry-After"]) >= 1
    assert response.get_json()["title"] == "Trop de requêtes"
    assert response.headers["X-RateLimit-Limit"] == "3"
    assert client.get(f"{API}/health").status_code == 200  # monitoring is exempt


def test_answer_cache_serves_the_same_question_and_forgets_after_a_data_change() -> None:
    now = [0.0]
    version = [1]
    cache = ResponseCache(2, ttl_s=60, generation=lambda: version[0], clock=lambda: now[0])
    with Flask(__name__).app_context():
        cache.put("/a", Response("A", mimetype="application/json"))
        assert cache.get("/a") is not None
        cache.put("/b", Response("B"))
        cache.put("/c", Response("C"))
        assert cache.get("/a") is None  # least recently used, evicted
        version[0] = 2
        now[0] = 6
        assert cache.get("/c") is None  # the data changed
        cache.put("/c", Response("C"))
        now[0] = 70
        assert cache.get("/c") is None  # too old


def test_answer_cache_is_used_for_searches(make_app: Callable[..., Flask]) -> None:
    app = make_app(RESPONSE_CACHE_SIZE=16)
    client = app.test_client()
    url = f"{API}/partners?q=rsa&near=2.7772,50.2910"
    first = client.get(url)
    second = client.get(url.replace("q=rsa&near=2.7772,50.2910", "near=2.7772,50.2910&q=rsa"))
    assert first.headers["X-Aiguillage-Cache"] == "miss"
    assert second.headers["X-Aiguillage-Cache"] == "hit"
    assert first.get_data() == second.get_data()
    assert first.headers["ETag"] == second.headers["ETag"]


def test_json_answers_say_utf_8_so_http_clients_need_not_guess(api_url: str) -> None:
    """Over real HTTP with ``requests``, which assumes UTF-8 only for application/json and
    otherwise guesses from a sample of the bytes."""
    geojson = requests.get(f"{api_url}{API}/partners.geojson?q=arras&limit=5", timeout=30)
    assert geojson.headers["Content-Type"] == "application/geo+json; charset=utf-8"
    assert geojson.encoding == "utf-8"
    assert any("Arras" in f["properties"]["address"]["city"] for f in geojson.json()["features"])
    problem = requests.get(f"{api_url}{API}/partners?departement=été", timeout=30)
    assert problem.status_code == 422
    assert problem.headers["Content-Type"] == "application/problem+json; charset=utf-8"
    assert problem.json()["title"] == "Données invalides"


def test_cached_answers_keep_their_content_type(make_app: Callable[..., Flask]) -> None:
    client = make_app(RESPONSE_CACHE_SIZE=16).test_client()
    url = f"{API}/partners.geojson?q=arras&limit=5"
    first, second = client.get(url), client.get(url)
    assert second.headers["X-Aiguillage-Cache"] == "hit"
    assert second.headers["Content-Type"] == first.headers["Content-Type"]
    assert second.headers["Content-Type"] == "application/geo+json; charset=utf-8"
