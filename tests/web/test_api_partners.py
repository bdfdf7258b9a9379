"""GET /partners, /partners/<id>, /partners.geojson on the real directory."""

from __future__ import annotations

import json
from datetime import date, datetime

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from directory.models import Partner
from directory.partner_cards import load_partner_cards
from geodata.distance import haversine_m
from web.database import db_session
from web.presentation.partners import partner_document
from web.schemas.partners import PartnerListSchema, PartnerSchema

API = "/api/v1"
ARRAS = (2.7772, 50.2910)
MONDAY_10H = "2026-11-23T10:00:00%2B01:00"  # an ordinary Monday morning in Arras
SUNDAY_10H = "2026-11-22T10:00:00%2B01:00"


# The France services list is of 2024-08-01: older than the 24 months after which a
# partner is « à confirmer », so the searches that need its sites include them.


def search(client: FlaskClient, query: str) -> dict:
    response = client.get(f"{API}/partners?{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_search_near_arras_returns_documents_with_distances(client: FlaskClient) -> None:
    page = search(client, "q=rsa&near=2.7772,50.2910&per_page=5&include_unconfirmed=1")
    assert page["page"] == 1 and page["per_page"] == 5
    assert page["total"] >= 5 and len(page["items"]) == 5
    for item in page["items"]:
        assert "rsa" in {right["slug"] for right in item["rights"]}
        lon, lat = item["location"]["lon"], item["location"]["lat"]
        assert abs(item["distance_m"] - haversine_m(*ARRAS, lon, lat)) < 5
        assert item["source"]["name"] and item["kind_label"]
        assert item["address"]["insee_code"]
    # Since the DILA offices (2017) are in the directory, the Maison Département Solidarité
    # of Arras, 3.7 km away and deciding on the RSA, can come first for « rsa »: relevance
    # and proximity are combined. The first answer still lies in the Arras area.
    assert page["items"][0]["distance_m"] < 5000


def test_distance_is_absent_without_a_starting_point(client: FlaskClient) -> None:
    page = search(client, "q=rsa&insee_code=62041&include_unconfirmed=1")
    assert page["items"]
    assert all("distance_m" not in item for item in page["items"])


def test_filters_keep_only_matching_partners(client: FlaskClient) -> None:
    page = search(client, "kind=mairie&departement=31&per_page=50")
    assert page["total"] > 50
    assert {item["kind"] for item in page["items"]} == {"mairie"}
    assert {item["address"]["insee_code"][:2] for item in page["items"]} == {"31"}

    page = search(client, "epci=200033579&right=domiciliation&help_level=information")
    assert page["items"]
    for item in page["items"]:
        levels = {r["slug"]: r["help_level"] for r in item["rights"]}
        assert levels["domiciliation"] == "information"


def test_radius_keeps_only_partners_inside_the_circle(client: FlaskClient) -> None:
    page = search(client, "near=2.7772,50.2910&radius_m=3000&per_page=100")
    assert page["total"] == len(page["items"]) > 0
    assert max(item["distance_m"] for item in page["items"]) <= 3000


def test_radius_around_the_commune_named_in_the_text(client: FlaskClient) -> None:
    page = search(client, "q=mairie+arras&radius_m=8000&per_page=100")
    assert page["place"]["insee_code"] == "62041"
    assert page["items"]
    assert max(item["distance_m"] for item in page["items"]) <= 8000


def test_pages_do_not_overlap(client: FlaskClient) -> None:
    query = "q=mairie&departement=62&per_page=10"
    one, two = search(client, query + "&page=1"), search(client, query + "&page=2")
    assert len(one["items"]) == len(two["items"]) == 10
    assert not {i["id"] for i in one["items"]} & {i["id"] for i in two["items"]}


def test_open_at_keeps_only_open_places_and_sets_open_now(client: FlaskClient) -> None:
    page = search(client, f"near=2.7772,50.2910&radius_m=20000&open_at={MONDAY_10H}")
    assert page["items"]
    assert all(item["open_now"] is True for item in page["items"])
    sunday = search(client, f"near=2.7772,50.2910&radius_m=20000&open_at={SUNDAY_10H}")
    assert all(item["open_now"] is True for item in sunday["items"])
    assert sunday["total"] < page["total"]


def test_open_now_and_next_opening_are_given_at_the_asked_instant(client: FlaskClient) -> None:
    page = search(client, "q=france+services+arras&per_page=5&include_unconfirmed=1")
    partner_id = next(i["id"] for i in page["items"] if i["opening_hours"])
    sunday = client.get(f"{API}/partners/{partner_id}?open_at={SUNDAY_10H}").get_json()
    assert sunday["open_now"] is False
    assert sunday["opening_status"].startswith("Fermé")
    opening = datetime.fromisoformat(sunday["next_opening"])
    assert opening > datetime.fromisoformat("2026-11-22T10:00:00+01:00")
    at_opening = opening.isoformat().replace("+", "%2B")
    reopened = client.get(f"{API}/partners/{partner_id}?open_at={at_opening}").get_json()
    assert reopened["open_now"] is True
    assert reopened["opening_status"].startswith("Ouvert")


def test_accessible_filter_only_keeps_accessible_places(client: FlaskClient) -> None:
    page = search(client, "accessible=true&per_page=100")
    assert all(item["accessibility"] == "accessible" for item in page["items"])


def test_partner_detail_has_services_areas_and_source(client: FlaskClient) -> None:
    first = search(client, "q=france+services+arras&per_page=1&include_unconfirmed=1")["items"][0]
    response = client.get(f"{API}/partners/{first['id']}?open_at={MONDAY_10H}")
    assert response.status_code == 200
    detail = response.get_json()
    assert detail["id"] == first["id"]
    assert detail["services"] and detail["services"][0]["right_name"]
    assert detail["service_areas"]
    assert detail["opening_hours_lines"]
    assert detail["source"]["licence"]
    assert {r["slug"] for r in detail["rights"]} == {s["right_slug"] for s in detail["services"]}


def test_geojson_lists_points_inside_the_bbox(client: FlaskClient) -> None:
    bbox = (2.70, 50.25, 2.85, 50.33)
    response = client.get(f"{API}/partners.geojson?bbox={','.join(map(str, bbox))}&limit=500")
    assert response.status_code == 200
    assert response.mimetype == "application/geo+json"
    collection = response.get_json()
    assert collection["type"] == "FeatureCollection"
    assert collection["bbox"] == list(bbox)
    features = collection["features"]
    assert len(features) > 5
    for feature in features:
        lon, lat = feature["geometry"]["coordinates"]
        assert bbox[0] <= lon <= bbox[2] and bbox[1] <= lat <= bbox[3]
        assert feature["properties"]["id"] == feature["id"]
        assert "location" not in feature["properties"]


def test_geojson_honours_filters_and_limit(client: FlaskClient) -> None:
    response = client.get(
        f"{API}/partners.geojson?kind=france-services&departement=62&limit=7&include_unconfirmed=1"
    )
    features = response.get_json()["features"]
    assert len(features) == 7
    assert {f["properties"]["kind"] for f in features} == {"france-services"}


def test_search_page_reads_exactly_as_its_schema_writes_it(client: FlaskClient) -> None:
    """The page is written without a marshmallow dump: loading it with its schema and
    dumping it again must give it back unchanged (every field, dates in ISO 8601)."""
    page = search(client, "q=france+services&near=2.7772,50.2910&include_unconfirmed=1")
    assert page["items"] and all(item["source"]["date"] for item in page["items"])
    schema = PartnerListSchema()
    assert schema.dump(schema.load(page)) == page


def test_partner_documents_are_written_as_their_schema_dumps_them(api_app: Flask) -> None:
    """Same JSON with or without the schema, including next openings with their offset."""
    sunday = datetime.fromisoformat("2026-11-22T10:00:00+01:00")
    with api_app.app_context():
        session = db_session()
        ids = list(session.scalars(select(Partner.id).where(Partner.kind == "france-services")))
        documents = [
            partner_document(card, sunday, 1234.5)
            for card in load_partner_cards(session, ids[:40]).values()
        ]
        assert any(d["next_opening"] for d in documents)
        written = json.loads(api_app.json.dumps(documents))
    assert written == PartnerSchema(many=True).dump(documents)


def test_geojson_properties_write_dates_in_iso_8601(client: FlaskClient) -> None:
    response = client.get(
        f"{API}/partners.geojson?kind=france-services&limit=20&include_unconfirmed=1"
    )
    properties = [f["properties"] for f in response.get_json()["features"]]
    openings = [p["next_opening"] for p in properties if p["next_opening"]]
    assert openings
    assert all(datetime.fromisoformat(o).tzinfo is not None for o in openings)
    dates = [p["source"]["date"] for p in properties if p["source"]["date"]]
    assert dates and all(date.fromisoformat(d) for d in dates)


def test_a_page_past_the_last_one_is_empty_and_keeps_the_true_total(client: FlaskClient) -> None:
    first = search(client, "departement=62&per_page=100")
    past = search(client, "departement=62&page=100&per_page=100")
    assert first["total_is_exact"] and first["total"] < 9900
    assert past["items"] == []
    assert (past["total"], past["total_is_exact"]) == (first["total"], True)
