"""Rights, communes, geocoding, health and the documentation page."""

from __future__ import annotations

from flask.testing import FlaskClient

from directory.rights_catalogue import RIGHT_SLUGS

API = "/api/v1"


def test_rights_lists_the_catalogue(client: FlaskClient) -> None:
    body = client.get(f"{API}/rights").get_json()
    assert body["total"] == len(RIGHT_SLUGS)
    assert sorted(item["slug"] for item in body["items"]) == sorted(RIGHT_SLUGS)
    assert all(item["reviewed_at"] and item["summary"] for item in body["items"])


def test_a_right_has_its_checklist_documents_and_sources(client: FlaskClient) -> None:
    right = client.get(f"{API}/rights/rsa").get_json()
    assert right["short_name"] == "RSA"
    assert right["checklist"] and all(q.endswith("?") for q in right["checklist"])
    assert {"code": "caf", "label": "Caisse d'allocations familiales (CAF)"} in right["deciders"]
    assert right["agricultural_decider"]["code"] == "msa"
    assert right["source"] and right["source"][0]["url"].startswith("https://")


def test_a_right_shows_each_claim_with_its_dated_sources(client: FlaskClient) -> None:
    right = client.get(f"{API}/rights/rsa").get_json()
    sources = {source["id"]: source for source in right["source"]}
    assert all(source["consulted_at"] and source["url"] for source in sources.values())
    age = right["conditions"][0]
    assert age["question"] == right["checklist"][0] == "Avez-vous 25 ans ou plus ?"
    assert age["alternatives"] and age["if_not"] and age["excludes"] is False
    cited = [
        *right["summary_sources"],
        *(i for item in right["conditions"] + right["document_items"] for i in item["sources"]),
        *(i for item in right["step_items"] + right["forms"] for i in item["sources"]),
    ]
    assert cited and set(cited) <= set(sources)
    assert [item["text"] for item in right["document_items"]] == right["documents"]
    assert [item["text"] for item in right["step_items"]] == right["steps"]
    assert "RMI" in right["former_names"] and "RMI" not in right["aliases"]
    assert any(entry["term"] == "régime agricole" for entry in right["glossary"])


def test_commune_of_arras(client: FlaskClient) -> None:
    commune = client.get(f"{API}/communes/62041").get_json()
    assert commune["name"] == "Arras"
    assert commune["departement"] == {"code": "62", "name": "Pas-de-Calais"}
    assert commune["epci"]["code"] == "200033579"
    assert "62000" in commune["postal_codes"]
    assert 2.7 < commune["centre"]["lon"] < 2.8


def test_unknown_commune_is_404(client: FlaskClient) -> None:
    response = client.get(f"{API}/communes/99999")
    assert response.status_code == 404
    assert response.get_json()["code"] == "commune_not_found"


def test_communes_by_name_prefix_and_by_postcode(client: FlaskClient) -> None:
    names = [c["name"] for c in client.get(f"{API}/communes?q=Arra").get_json()["items"]]
    assert "Arras" in names
    by_postcode = client.get(f"{API}/communes?q=31800").get_json()["items"]
    assert by_postcode and all("31800" in c["postal_codes"] for c in by_postcode)


def test_geocoding_an_address_in_arras(client: FlaskClient) -> None:
    body = client.get(f"{API}/geocode?q=Arras").get_json()
    best = body["items"][0]
    assert (best["insee_code"], best["precision"]) == ("62041", "commune")
    assert best["precision_note"]


def test_geocoding_autocomplete_suggests_while_typing(client: FlaskClient) -> None:
    body = client.get(f"{API}/geocode?q=Saint-Gaud&autocomplete=true&limit=3").get_json()
    assert 1 <= len(body["items"]) <= 3
    assert any(item["city"] == "Saint-Gaudens" for item in body["items"])


def test_geocoding_needs_a_query(client: FlaskClient) -> None:
    response = client.get(f"{API}/geocode")
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"q": ["Ce champ est obligatoire."]}


def test_health_counts_the_data(client: FlaskClient) -> None:
    body = client.get(f"{API}/health").get_json()
    assert body["status"] == "ok"
    assert body["communes"] > 30000 and body["partners"] > 1000
    assert body["search_index"]["status"] == "ok"


def test_documentation_page_lists_every_operation(client: FlaskClient) -> None:
    spec = client.get(f"{API}/openapi.json").get_json()
    page = client.get(f"{API}/docs").get_data(as_text=True)
    for path, item in spec["paths"].items():
        for method in set(item) - {"parameters"}:
            assert f"{method.upper()} {path}" in page
    assert "<script" not in page  # served by the app itself, nothing from a CDN
