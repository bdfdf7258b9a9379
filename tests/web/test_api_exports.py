"""The exports over HTTP: data·inclusion JSON, CSV, GeoJSON."""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from directory.exchange import tabular
from directory.exchange.schema import schema_errors
from directory.models import Partner
from web.export_files import ExportFiles, export_tag, plain_chunks

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


EXPORTS = (
    f"{API}/exports/datainclusion.json",
    f"{API}/exports/partners.csv",
    f"{API}/exports/partners.geojson",
)


def test_exports_keep_their_etag_while_the_directory_is_unchanged(client: FlaskClient) -> None:
    """The data·inclusion document used to carry the microsecond of its making: a new
    ETag each time, so never a 304."""
    for url in EXPORTS:
        first, again = client.get(url), client.get(url)
        assert first.status_code == again.status_code == 200
        assert first.headers["ETag"] == again.headers["ETag"], url
        assert first.get_data() == again.get_data()
        assert first.headers["Cache-Control"] == "public, max-age=600"
        revalidated = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
        assert revalidated.status_code == 304, url
        assert revalidated.get_data() == b""


def test_datainclusion_document_is_dated_by_the_directory_not_by_the_request(
    client: FlaskClient, loaded_engine: Engine
) -> None:
    document = client.get(f"{API}/exports/datainclusion.json").get_json()
    with Session(loaded_engine) as session:
        latest = session.scalar(select(func.max(Partner.updated_at)))
    assert latest is not None
    assert datetime.fromisoformat(document["generated_at"]) == latest


def test_an_export_is_built_once_and_head_builds_nothing(
    make_app: Callable[..., Flask], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows: list[int] = []
    real_row = tabular.partner_row

    def counted_row(partner: Partner) -> dict[str, Any]:
        rows.append(partner.id)
        return real_row(partner)

    monkeypatch.setattr(tabular, "partner_row", counted_row)
    client = make_app(EXPORTS_DIR=str(tmp_path)).test_client()
    url = f"{API}/exports/partners.csv"

    head = client.head(url)
    assert head.status_code == 200 and head.get_data() == b""
    assert head.headers["Content-Type"].startswith("text/csv")
    assert rows == []  # HEAD does not make the export

    first = client.get(url)
    built = len(rows)
    assert built == client.get(f"{API}/health").get_json()["partners"]
    second = client.get(url)
    assert len(rows) == built  # served again without being rebuilt
    assert first.get_data() == second.get_data()
    assert client.head(url).headers["ETag"] == first.headers["ETag"]


def test_exports_are_sent_compressed_to_clients_that_accept_gzip(client: FlaskClient) -> None:
    for url in EXPORTS:
        plain = client.get(url)
        packed = client.get(url, headers={"Accept-Encoding": "gzip"})
        assert "Content-Encoding" not in plain.headers
        assert packed.headers["Content-Encoding"] == "gzip", url
        assert "Accept-Encoding" in packed.headers["Vary"]
        assert gzip.decompress(packed.get_data()) == plain.get_data()
        assert len(packed.get_data()) * 5 < len(plain.get_data())


def test_a_new_state_of_the_directory_replaces_the_previous_file(tmp_path: Path) -> None:
    files = ExportFiles(tmp_path)
    writes: list[str] = []

    def write(out: BinaryIO) -> None:
        writes.append("x")
        out.write(b"une ligne\n" * 1000)

    first = files.ensure("export", "generation 1", write)
    assert files.ensure("export", "generation 1", write) == first and writes == ["x"]
    second = files.ensure("export", "generation 2", write)
    assert writes == ["x", "x"] and second.exists() and not first.exists()
    assert b"".join(plain_chunks(second)) == b"une ligne\n" * 1000
    assert export_tag("export", "generation 1") != export_tag("export", "generation 2")
