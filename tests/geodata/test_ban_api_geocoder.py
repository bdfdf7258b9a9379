"""HTTP geocoder (BAN / Géoplateforme / addok) over real loopback HTTP, with offline fallback."""

from __future__ import annotations

import socket
import time

import pytest
from sqlalchemy.orm import Session

from geodata.errors import GeodataError
from geodata.geocoding.ban_api import FALLBACK_NOTE, BanApiGeocoder, parse_feature_collection
from geodata.geocoding.offline import OfflineGeocoder
from geodata.geocoding.results import BAN_API_SOURCE, Precision
from geodata.providers import make_geocoder
from tests.geodata.http_stub import Query, Reply, StubServer


def ban_feature(
    kind: str, label: str, lon: float, lat: float, **extra: object
) -> dict[str, object]:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {
            "label": label,
            "score": 0.97,
            "type": kind,
            "citycode": "62041",
            "postcode": "62000",
            "city": "Arras",
            "context": "62, Pas-de-Calais, Hauts-de-France",
            **extra,
        },
    }


def collection(*features: dict[str, object]) -> dict[str, object]:
    return {"type": "FeatureCollection", "version": "draft", "features": list(features)}


DOUAI = ban_feature("housenumber", "2 Rue de Douai 62000 Arras", 2.78429, 50.288445)
QUERY = "12 rue des Capucins 62000 Arras"


def http_geocoder(
    server: StubServer, fallback: OfflineGeocoder, timeout_s: float = 1.0
) -> BanApiGeocoder:
    return BanApiGeocoder(server.base_url, fallback, timeout_s=timeout_s, retries=1, cooldown_s=0.0)


def test_ban_answer_becomes_results_with_their_precision(
    session: Session, geocoder: OfflineGeocoder, stub_server: StubServer
) -> None:
    street = ban_feature("street", "Rue de Douai 62000 Arras", 2.7835, 50.2880, score=0.61)
    town = ban_feature("municipality", "Arras", 2.7658, 50.2900, score=0.3)
    stub_server.answer(Reply(200, collection(street, DOUAI, town)))
    results = http_geocoder(stub_server, geocoder).geocode(session, "2 rue de Douai Arras", limit=4)
    path, query = stub_server.requests[0]
    assert path == "/search/"
    assert query == {"q": ["2 rue de Douai Arras"], "limit": ["4"], "autocomplete": ["0"]}
    assert [r.precision for r in results] == [
        Precision.HOUSENUMBER,
        Precision.STREET,
        Precision.COMMUNE,
    ]
    best = results[0]
    assert (best.label, best.lon, best.lat, best.insee_code) == (
        "2 Rue de Douai 62000 Arras",
        2.78429,
        50.288445,
        "62041",
    )
    assert best.source == BAN_API_SOURCE and not best.is_approximate
    assert results[2].is_approximate


def test_server_error_falls_back_to_offline_and_precision_tells_the_truth(
    session: Session, geocoder: OfflineGeocoder, stub_server: StubServer
) -> None:
    stub_server.always(Reply(500, {"code": 500, "message": "Internal Server Error"}))
    results = http_geocoder(stub_server, geocoder).geocode(session, QUERY)
    assert len(stub_server.requests) == 2  # one retry after a 5xx
    [best, *_] = results
    assert (best.insee_code, best.source) == ("62041", "offline")
    assert best.precision is Precision.COMMUNE and best.is_approximate
    assert FALLBACK_NOTE in best.notes
    assert "position approximative (centre de la commune)" in best.notes


def test_timeout_falls_back_to_offline_within_the_time_budget(
    session: Session, geocoder: OfflineGeocoder, stub_server: StubServer
) -> None:
    stub_server.always(Reply(200, collection(DOUAI), delay_s=1.5))
    started = time.monotonic()
    results = http_geocoder(stub_server, geocoder, timeout_s=0.3).geocode(session, QUERY)
    elapsed_s = time.monotonic() - started
    assert elapsed_s < 1.4  # two attempts of 0.3 s and a short pause, not the server's 1.5 s
    assert results[0].source == "offline" and FALLBACK_NOTE in results[0].notes
    assert results[0].precision is Precision.COMMUNE


def test_a_transient_error_is_retried(
    session: Session, geocoder: OfflineGeocoder, stub_server: StubServer
) -> None:
    stub_server.answer(Reply(503, {"message": "busy"}))
    stub_server.answer(Reply(200, collection(DOUAI)))
    [result] = http_geocoder(stub_server, geocoder).geocode(session, "2 rue de Douai Arras")
    assert result.source == BAN_API_SOURCE and result.precision is Precision.HOUSENUMBER


@pytest.mark.parametrize(
    "reply",
    [
        Reply(200, b"<html>maintenance</html>", content_type="text/html"),
        Reply(200, {"type": "FeatureCollection"}),
        Reply(200, {"features": []}),
        Reply(200, collection({"type": "Feature", "geometry": None, "properties": {}})),
        Reply(200, collection(ban_feature("housenumber", "x", float("nan"), 50.0))),
        Reply(200, collection(ban_feature("unknown-type", "x", 2.7, 50.2))),
        Reply(400, {"code": 400, "message": "q must contain between 3 and 200 chars"}),
    ],
)
def test_malformed_or_refused_answers_fall_back_to_offline(
    session: Session, geocoder: OfflineGeocoder, stub_server: StubServer, reply: Reply
) -> None:
    stub_server.answer(reply)
    [best, *_] = http_geocoder(stub_server, geocoder).geocode(session, "Cadours")
    assert (best.insee_code, best.source) == ("31098", "offline")
    assert FALLBACK_NOTE in best.notes


def test_unreachable_server_falls_back(session: Session, geocoder: OfflineGeocoder) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed as soon as the block ends: nobody listens
    geocoder_http = BanApiGeocoder(f"http://127.0.0.1:{port}", geocoder, timeout_s=0.5)
    [best, *_] = geocoder_http.geocode(session, "Cadours")
    assert best.source == "offline" and FALLBACK_NOTE in best.notes


def test_after_a_failure_the_service_is_left_alone_for_a_while(
    session: Session, geocoder: OfflineGeocoder, stub_server: StubServer
) -> None:
    stub_server.always(Reply(500, {}))
    http = BanApiGeocoder(stub_server.base_url, geocoder, retries=0, cooldown_s=60.0)
    http.geocode(session, "Cadours")
    http.geocode(session, "Muret")
    assert len(stub_server.requests) == 1


def test_autocomplete_asks_for_completion_and_at_most_ten(
    session: Session, geocoder: OfflineGeocoder, stub_server: StubServer
) -> None:
    def echo(_path: str, query: Query) -> Reply:
        features = [
            ban_feature("municipality", f"Ville {i}", 2.0 + i / 100, 50.0) for i in range(15)
        ]
        return Reply(200, collection(*features))

    stub_server.answer(echo)
    suggestions = http_geocoder(stub_server, geocoder).autocomplete(session, "Arr", limit=50)
    assert stub_server.requests[0][1]["autocomplete"] == ["1"]
    assert stub_server.requests[0][1]["limit"] == ["10"]
    assert len(suggestions) == 10


def test_too_short_queries_are_answered_locally(
    session: Session, geocoder: OfflineGeocoder, stub_server: StubServer
) -> None:
    results = http_geocoder(stub_server, geocoder).autocomplete(session, "Eu")
    assert stub_server.requests == []
    assert all(FALLBACK_NOTE not in r.notes for r in results)


def test_parser_refuses_what_is_not_a_feature_collection() -> None:
    with pytest.raises(ValueError, match="FeatureCollection"):
        parse_feature_collection([1, 2], 5)
    assert parse_feature_collection(collection(), 5) == []


def test_geocoder_is_chosen_by_configuration(stub_server: StubServer) -> None:
    assert isinstance(make_geocoder({}), OfflineGeocoder)
    http = make_geocoder({"GEOCODER_URL": stub_server.base_url, "GEOCODER_TIMEOUT_S": "0.5"})
    assert isinstance(http, BanApiGeocoder) and http.timeout_s == 0.5
    territory = make_geocoder({"GEOCODER_PREFERRED_DEPARTEMENTS": "62, 31"})
    assert isinstance(territory, OfflineGeocoder)
    assert territory.preferred_departements == {"62", "31"}
    with pytest.raises(GeodataError, match="http"):
        make_geocoder({"GEOCODER_URL": "ftp://example"})
