"""POST /api/v1/bilan on the real catalogue and directory (both backends) with the real
OpenFisca-France, loaded once for the test session; the instant is frozen."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine
from flask.testing import FlaskClient

from routing.bilan.openfisca import france_system

API = "/api/v1"
DECEMBER_3_2026 = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
TOULOUSE = "31555"


@pytest.fixture(scope="module", autouse=True)
def openfisca_loaded() -> None:
    france_system()  # once per process: the app's engine shares it


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(DECEMBER_3_2026, tick=False):
        yield


def bilan(client: FlaskClient, situation: Any) -> dict[str, Any]:
    response = client.post(f"{API}/bilan", json=situation)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    body: dict[str, Any] = response.get_json()
    return body


def rights_of(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {right["slug"]: right for right in body["rights"]}


def problem(client: FlaskClient, situation: Any, status: int = 422) -> dict[str, Any]:
    response = client.post(f"{API}/bilan", json=situation)
    assert response.status_code == status
    assert response.content_type.startswith("application/problem+json")
    body: dict[str, Any] = response.get_json()
    assert body["status"] == status
    return body


def test_a_single_person_earning_3000_net_in_toulouse_gets_no_housing_aid(
    client: FlaskClient,
) -> None:
    body = bilan(
        client,
        {
            "age": 35,
            "couple": False,
            "children_ages": [],
            "monthly_earnings_eur": 3000,
            "other_monthly_income_eur": 0,
            "housing": "locataire",
            "rent_eur": 800,
            "insee_code": TOULOUSE,
        },
    )
    housing = rights_of(body)["aides-logement"]
    assert (housing["likely"], housing["amount_eur"], housing["basis"]) == (False, 0, "engine")
    assert housing["orientation"] is None
    assert body["place"]["commune_name"] == "Toulouse"
    assert body["legislation_date"] == "2026-12-01"
    assert body["engine"] == {"name": "OpenFisca-France", "version": "176.1.8"}
    assert body["disclaimer"] == (
        "Calcul indicatif, basé sur la législation au 1er décembre 2026 (OpenFisca-France 176.1.8)."
    )


def test_a_70_year_old_with_an_800_euro_pension_gets_the_aspa_difference_and_where_to_go(
    client: FlaskClient,
) -> None:
    body = bilan(
        client,
        {"age": 70, "monthly_earnings_eur": 0, "other_monthly_income_eur": 800, "address": "Arras"},
    )
    aspa = rights_of(body)["aspa"]
    assert aspa["likely"] is True
    assert aspa["amount_eur"] == pytest.approx(1043.60 - 800, abs=0.01)
    assert any("1 043,60 €" in reason for reason in aspa["reasons"])
    assert aspa["documents"] and aspa["uncertain"]
    orientation = aspa["orientation"]
    assert orientation is not None and 1 <= len(orientation["partners"]) <= 3
    assert all(p["right"] == "aspa" and p["reasons"] for p in orientation["partners"])
    assert {d["decider"] for d in orientation["deciders"]} >= {"carsat"}
    assert body["rights"][0]["slug"] in {"aspa", "c2s"}  # likely rights first


def test_every_right_of_the_catalogue_is_answered_even_without_answers(
    client: FlaskClient,
) -> None:
    body = bilan(client, {})
    rights = body["rights"]
    assert len(rights) == len({r["slug"] for r in rights}) == 15
    assert all(r["likely"] is None and r["amount_eur"] is None for r in rights)
    assert {r["basis"] for r in rights} == {"missing-answers", "catalogue"}
    are = rights_of(body)["are"]
    assert are["basis_label"] == "Non calculé : conditions à vérifier"
    assert are["reasons"] and are["uncertain"][0].startswith("OpenFisca-France ne calcule pas")
    assert body["place"] is None and body["notices"]
    assert bilan(client, dict.fromkeys(["age", "couple", "housing", "address"])) == body


def test_bad_answers_get_a_french_problem_with_field_errors(client: FlaskClient) -> None:
    body = problem(client, {"age": "vieux", "housing": "chateau", "revenu": 3, "rent_eur": -1})
    assert body["title"] == "Données invalides"
    assert set(body["errors"]) == {"age", "housing", "revenu", "rent_eur"}
    assert body["errors"]["age"] == ["Nombre entier attendu."]
    assert body["errors"]["revenu"] == ["Paramètre inconnu."]


def test_answers_that_do_not_fit_together_are_refused_by_the_domain(
    client: FlaskClient,
) -> None:
    body = problem(
        client, {"couple": False, "partner_age": 40, "housing": "heberge", "rent_eur": 3}
    )
    assert body["code"] == "invalid_situation"
    assert set(body["errors"]) == {"partner_age", "rent_eur"}
    assert problem(client, {"insee_code": "31555", "address": "Toulouse"})["errors"] == {
        "address": ["Indiquez une adresse ou un code INSEE, pas les deux."]
    }


def test_an_unknown_commune_is_said_plainly(client: FlaskClient) -> None:
    body = problem(client, {"insee_code": "99999"})
    assert body["code"] == "place_not_found"
    assert "99999" in body["detail"]


def test_the_situation_must_be_a_json_object_in_the_body(client: FlaskClient) -> None:
    form = client.post(f"{API}/bilan", data={"age": "35"})
    assert form.status_code == 415
    assert form.get_json()["detail"] == "Envoyez un corps JSON (Content-Type: application/json)."
    broken = client.post(f"{API}/bilan", data="{", content_type="application/json")
    assert broken.status_code == 400
    assert broken.get_json()["errors"] == {"_schema": ["Corps JSON illisible."]}
    assert problem(client, [35])["errors"] == {"_schema": ["Type de données invalide."]}
    assert client.get(f"{API}/bilan").status_code == 405


def test_nothing_of_the_situation_reaches_the_logs(
    client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    address = "17 rue des Augustins, Toulouse"
    bilan(
        client,
        {
            "age": 41,
            "monthly_earnings_eur": 1234.56,
            "other_monthly_income_eur": 0,
            "housing": "locataire",
            "rent_eur": 654.32,
            "address": address,
        },
    )
    problem(client, {"address": address, "insee_code": "31555", "rent_eur": 987.65})
    logged = caplog.text
    for secret in ("Augustins", "1234.56", "654.32", "987.65"):
        assert secret not in logged
