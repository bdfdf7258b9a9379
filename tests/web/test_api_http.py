"""HTTP behaviour of the read API: ETag/304, Cache-Control, CORS, rate limit, answer cache."""

from __future__ import annotations

import gzip
from collections.abc import Callable

import brotli
import pytest
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
    assert first.headers["Cache-Control"] == "public, max-age=60"

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


def test_answer_cache_keeps_at_most_its_byte_budget() -> None:
    cache = ResponseCache(100, ttl_s=60, generation=lambda: 1, max_bytes=1600)
    with Flask(__name__).app_context():
        for name in "abcdefghijklmnopqrst":  # 20 answers of 100 bytes: 2000 bytes offered
            cache.put(f"/{name}", Response(name * 100))
        assert cache.bytes <= 1600
        assert cache.get("/a") is None and cache.get("/t") is not None  # oldest evicted
        cache.put("/t", Response("t" * 100))  # the same key again: counted once
        assert cache.bytes <= 1600 and cache.bytes == 100 * len(cache._entries)
        cache.put("/big", Response("x" * 101))  # over a sixteenth of the budget: not kept
        assert cache.get("/big") is None


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


@pytest.mark.parametrize(
    ("encoding", "decode"), [("gzip", gzip.decompress), ("br", brotli.decompress)]
)
def test_answers_are_compressed_when_the_client_accepts_it(
    client: FlaskClient, encoding: str, decode: Callable[[bytes], bytes]
) -> None:
    url = f"{API}/partners.geojson?departement=62&limit=500&include_unconfirmed=1"
    plain = client.get(url)
    packed = client.get(url, headers={"Accept-Encoding": f"{encoding}, identity;q=0.5"})
    assert "Content-Encoding" not in plain.headers
    assert "Accept-Encoding" in plain.headers["Vary"]  # a cache must keep both apart
    assert packed.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert decode(packed.get_data()) == plain.get_data()
    assert len(packed.get_data()) * 5 < len(plain.get_data())
    assert packed.headers["ETag"] != plain.headers["ETag"]  # two representations
    again = client.get(
        url, headers={"Accept-Encoding": encoding, "If-None-Match": packed.headers["ETag"]}
    )
    assert again.status_code == 304


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/sources",
        "/static/aiguillage.css",
        "/static/map.js",
        f"{API}/rights",
        f"{API}/openapi.json",
    ],
)
def test_pages_scripts_and_json_are_compressed(client: FlaskClient, url: str) -> None:
    response = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.get_data())


@pytest.mark.parametrize("path", ["/", "/sources"])
def test_home_and_sources_pages_can_be_revalidated(client: FlaskClient, path: str) -> None:
    first, again = client.get(path), client.get(path)
    assert first.headers["Cache-Control"] == "public, max-age=300"
    assert first.headers["ETag"] == again.headers["ETag"]
    assert "nonce" not in first.get_data(as_text=True)  # a nonce would change every answer
    revalidated = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert revalidated.status_code == 304 and revalidated.get_data() == b""


def test_the_territory_colour_comes_from_a_cacheable_stylesheet(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    assert '<link rel="stylesheet" href="/theme.css' in page
    theme = client.get("/theme.css")
    assert theme.mimetype == "text/css"
    assert theme.get_data(as_text=True).startswith(":root { --accent: ")
    assert "max-age" in theme.headers["Cache-Control"] and theme.headers["ETag"]


@pytest.mark.parametrize(
    ("url", "status"),
    [
        (f"{API}/rights", 200),
        (f"{API}/partners?per_page=1000", 422),
        (f"{API}/nulle-part", 404),
        (f"{API}/health", 200),
        (f"{API}/openapi.json", 200),
        (f"{API}/exports/partners.csv", 200),
        (f"{API}/bus/communes/62041.ics", 200),
    ],
)
def test_api_answers_carry_the_security_headers(client: FlaskClient, url: str, status: int) -> None:
    response = client.get(url)
    assert response.status_code == status
    headers = response.headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["Content-Security-Policy"].startswith("default-src 'none'")
