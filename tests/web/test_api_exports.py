"""The exports over HTTP: data·inclusion JSON, CSV, GeoJSON."""

from __future__ import annotations

import csv
import io

from flask.testing import FlaskClient

from directory.exchange.schema import schema_errors

API = "/api/v1"


def test_datainclusion_export_is_downloadable_and_valid(client: FlaskClient) -> None:
    response = client.get(f"{API}/exports/datainclusion.json")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    document = response.get_json()
    assert document["schema_version"] == "1"
    partners = client.get(f"{API}/health").get_json()["partners"]
    assert len(document["structures"]) == partners
    for structure in document["structures"][:200]:
        assert schema_errors("structure", structure) == []
    for service in document["services"][:200]:
        assert schema_errors("service", service) == []


def test_csv_export_has_one_line_per_partner(client: FlaskClient) -> None:
    response = client.get(f"{API}/exports/partners.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == client.get(f"{API}/health").get_json()["partners"]
    arras = next(r for r in rows if r["city"] == "Arras" and r["kind"] == "mairie")
    assert arras["source_licence"] and arras["services"]


def test_geojson_export_is_a_feature_collection(client: FlaskClient) -> None:
    response = client.get(f"{API}/exports/partners.geojson")
    assert response.mimetype == "application/geo+json"
    collection = response.get_json()
    assert collection["type"] == "FeatureCollection"
    located = [f for f in collection["features"] if f["geometry"]]
    assert located and all(len(f["geometry"]["coordinates"]) == 2 for f in located)
