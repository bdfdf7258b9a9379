"""GET /api/v1/coverage and its CSV, the /couverture page with its choropleth outlines and
the proposed month page, on the real data of the CU d'Arras (both backends)."""

from __future__ import annotations

import csv
import io

from flask.testing import FlaskClient

API = "/api/v1"
ARRAS = "epci=200033579"


def test_coverage_lists_every_commune_with_its_nearest_partner_and_totals(
    client: FlaskClient,
) -> None:
    response = client.get(f"{API}/coverage?{ARRAS}&right=rsa&threshold_min=10&mode=car")
    assert response.status_code == 200
    body = response.get_json()
    assert body["right"] == "rsa" and body["mode"] == "car" and body["threshold_min"] == 10
    assert len(body["communes"]) == body["totals"]["communes"] == 46
    assert body["totals"]["population"] == 109_884
    remote = [c for c in body["communes"] if c["is_remote"]]
    assert body["totals"]["remote_population"] == sum(c["population"] for c in remote)
    arras = next(c for c in body["communes"] if c["insee_code"] == "62041")
    assert arras["nearest_partner"]["kind"] == "france-services"
    assert arras["car_travel_time_s"] <= 10 * 60 and not arras["is_remote"]
    assert body["summary"].endswith("d'un lieu d'accompagnement permanent.")


def test_several_territories_and_communes_can_be_combined(client: FlaskClient) -> None:
    body = client.get(
        f"{API}/coverage?insee_code=62041&insee_code=31098&mode=without_car"
    ).get_json()
    assert sorted(c["insee_code"] for c in body["communes"]) == ["31098", "62041"]
    assert body["mode_label"].startswith("sans voiture")


def test_bad_coverage_requests_are_problems_in_french(client: FlaskClient) -> None:
    missing = client.get(f"{API}/coverage")
    assert missing.status_code == 422 and "territoire" in missing.get_json()["errors"]["epci"][0]
    unknown = client.get(f"{API}/coverage?epci=999999999")
    assert unknown.status_code == 422 and unknown.get_json()["code"] == "invalid_coverage_request"
    assert client.get(f"{API}/coverage?{ARRAS}&mode=bike").status_code == 422
    assert client.get(f"{API}/coverage?{ARRAS}&threshold_min=0").status_code == 422
    assert client.get(f"{API}/coverage?{ARRAS}&right=inconnu").status_code == 422


def test_the_csv_export_has_one_row_per_commune(client: FlaskClient) -> None:
    response = client.get(f"{API}/coverage.csv?{ARRAS}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][:4] == ["code_insee", "commune", "population", "zone_eloignee"]
    assert len(rows) == 47 and {r[3] for r in rows[1:]} <= {"oui", "non"}


def test_the_coverage_page_has_the_table_the_map_and_the_export(client: FlaskClient) -> None:
    body = client.get(f"/couverture?{ARRAS}&mode=without_car").text
    assert "habitent à plus de 30 minutes sans voiture" in body
    assert "Achicourt" in body and "/api/v1/coverage.csv?" in body
    assert "choropleth_url" in body
    outlines = client.get(f"/couverture/communes.geojson?{ARRAS}&mode=without_car").get_json()
    assert len(outlines["features"]) == 46
    assert all(f["properties"]["colour"].startswith("#") for f in outlines["features"])
    empty = client.get("/couverture?epci=999999999")
    assert empty.status_code == 200 and "Inconnu : 999999999." in empty.text


def test_the_plan_page_proposes_a_month_before_and_after(client: FlaskClient) -> None:
    body = client.get(
        f"/couverture/plan?{ARRAS}&threshold_min=10&month=2027-02&stops=4&half_days=4"
    ).text
    assert "Avant → après" in body and "personnes à moins de 10 minutes" in body
    assert "février 2027" in body and "bus_routes" in body


def test_the_plan_page_runs_only_on_the_territory_epcis(client: FlaskClient) -> None:
    body = client.get("/couverture/plan?departement=31&epci=200000000").text
    assert "porte sur les intercommunalités du territoire" in body
    assert "Avant → après" not in body
