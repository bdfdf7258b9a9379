"""GET /orientation: ranked partners with readable reasons, on the real directory."""

from __future__ import annotations

from flask.testing import FlaskClient

API = "/api/v1"
AT = "2026-11-23T10:00:00%2B01:00"


def orient(client: FlaskClient, query: str) -> dict:
    response = client.get(f"{API}/orientation?{query}&at={AT}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_orientation_for_rsa_in_arras_explains_every_proposal(client: FlaskClient) -> None:
    body = orient(client, "right=rsa&insee_code=62041")
    place = body["query"]["place"]
    assert (place["insee_code"], place["precision"]) == ("62041", "commune")
    assert body["query"]["rights"] == ["rsa"]
    results = body["results"]
    assert results and [r["rank"] for r in results] == list(range(1, len(results) + 1))
    for result in results:
        assert result["right"] == "rsa"
        assert result["reasons"] and all(reason["text"] for reason in result["reasons"])
        assert result["partner"]["id"] and result["partner"]["name"]
        assert result["distance_m"] is not None and result["travel_time_s"] is not None
    scores = [r["score"] for r in results]
    assert scores == sorted(scores, reverse=True)
    assert body["rights"][0]["documents"]


def test_orientation_from_a_point_and_for_two_rights(client: FlaskClient) -> None:
    body = orient(client, "right=rsa&right=c2s&lon=2.7772&lat=50.2910&max_partners=3")
    assert body["query"]["place"]["precision"] == "point"
    assert {r["right"] for r in body["results"]} == {"rsa", "c2s"}
    assert sum(r["right"] == "rsa" for r in body["results"]) <= 3
    assert [r["slug"] for r in body["rights"]] == ["rsa", "c2s"]


def test_orientation_from_an_address(client: FlaskClient) -> None:
    body = orient(client, "right=aspa&address=Saint-Gaudens&age_band=65-et-plus&has_car=false")
    assert body["query"]["place"]["insee_code"] == "31483"
    assert body["query"]["profile"]["age_band"] == "65-et-plus"
    assert body["query"]["profile"]["has_car"] is False


def test_orientation_needs_exactly_one_place(client: FlaskClient) -> None:
    for query in ("right=rsa", "right=rsa&insee_code=62041&address=Arras", "right=rsa&lon=2.7"):
        response = client.get(f"{API}/orientation?{query}")
        assert response.status_code == 422
        assert response.mimetype == "application/problem+json"


def test_orientation_refuses_an_unknown_right_and_an_unknown_commune(client: FlaskClient) -> None:
    unknown_right = client.get(f"{API}/orientation?right=loto&insee_code=62041")
    assert unknown_right.status_code == 422
    assert "right.0" in unknown_right.get_json()["errors"]
    nowhere = client.get(f"{API}/orientation?right=rsa&insee_code=99999")
    assert nowhere.status_code == 422
    assert nowhere.get_json()["code"] == "place_not_found"
