"""One error vocabulary: problem+json with French titles, field errors, never a 500."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

API = "/api/v1"
PROBLEM = "application/problem+json"


def problem(client: FlaskClient, url: str, status: int) -> dict[str, object]:
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM
    body = response.get_json()
    assert body["status"] == status
    assert body["instance"] == url.split("?")[0]
    return body


def test_unknown_api_url_is_a_french_problem(client: FlaskClient) -> None:
    body = problem(client, f"{API}/nulle-part", 404)
    assert body["title"] == "Page ou ressource introuvable"
    assert body["detail"] == "L'adresse demandée n'existe pas."


def test_wrong_method_is_405_with_allow(client: FlaskClient) -> None:
    response = client.post(f"{API}/rights")
    assert response.status_code == 405
    assert response.mimetype == PROBLEM
    assert "GET" in response.headers["Allow"]


def test_unknown_page_outside_the_api_stays_an_html_page(client: FlaskClient) -> None:
    response = client.get("/nulle-part")
    assert response.status_code == 404
    assert response.mimetype == "text/html"


def test_unknown_parameter_is_refused_by_name(client: FlaskClient) -> None:
    body = problem(client, f"{API}/partners?q=rsa&bogus=1", 422)
    assert body["errors"] == {"bogus": ["Paramètre inconnu."]}
    assert body["title"] == "Données invalides"


def test_endpoint_without_parameters_refuses_unknown_ones(client: FlaskClient) -> None:
    body = problem(client, f"{API}/rights?page=2", 422)
    assert body["errors"] == {"page": ["Paramètre inconnu."]}


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("per_page=101", "per_page", "Doit être compris entre 1 et 100."),
        ("per_page=0", "per_page", "Doit être compris entre 1 et 100."),
        ("page=abc", "page", "Nombre entier attendu."),
        ("near=2.7,50.3&radius_m=-5", "radius_m", "Doit être compris entre 1 et 1000000."),
        ("near=2.7,50.3&radius_m=1000001", "radius_m", "Doit être compris entre 1 et 1000000."),
        ("near=abc", "near", "Format attendu : « longitude,latitude », ex. 2.7772,50.2910."),
        (
            "accessible=peut-etre",
            "accessible",
            "Valeur booléenne attendue (true ou false, 1 ou 0).",
        ),
        ("open_at=demain", "open_at", None),
        ("insee_code=1234", "insee_code", "Format invalide (exemple : 62041)."),
        # Digits of other scripts are digits for Python's \d and float(), not for a code.
        ("insee_code=٦٢٠٤١", "insee_code", "Format invalide (exemple : 62041)."),
        ("insee_code=62041%0A", "insee_code", "Format invalide (exemple : 62041)."),
        ("epci=２０００３３５７９", "epci", "Format invalide (exemple : 200033579)."),
        ("departement=٦٢", "departement", "Format invalide (exemple : 62)."),
        ("near=٢.٧٧,٥٠.٢٩", "near", "Format attendu : « longitude,latitude », ex. 2.7772,50.2910."),
        ("near=2.77,%2050.29", "near", None),
        ("near=nan,50.29", "near", None),
    ],
)
def test_invalid_values_are_422_with_a_french_message_per_field(
    client: FlaskClient, query: str, field: str, message: str | None
) -> None:
    body = problem(client, f"{API}/partners?{query}", 422)
    errors = body["errors"]
    assert isinstance(errors, dict) and list(errors) == [field]
    if message is not None:
        assert errors[field] == [message]


def test_bbox_with_other_digits_is_refused(client: FlaskClient) -> None:
    body = problem(client, f"{API}/partners.geojson?bbox=٢.٦,50.2,2.9,50.4", 422)
    assert body["errors"] == {"bbox": ["Format attendu : « ouest,sud,est,nord », en degrés."]}


def test_coordinates_in_exponent_notation_are_numbers(client: FlaskClient) -> None:
    """What JavaScript writes for very small numbers, e.g. a map edge on the Greenwich
    meridian (which crosses France)."""
    response = client.get(f"{API}/partners.geojson?bbox=-1e-7,48.0,1.0,49.0&limit=1")
    assert response.status_code == 200, response.get_data(as_text=True)


def test_unknown_right_is_refused_with_the_allowed_values(client: FlaskClient) -> None:
    body = problem(client, f"{API}/partners?right=loto", 422)
    assert isinstance(body["errors"], dict)
    assert body["errors"]["right"][0].startswith("Valeur inconnue. Valeurs permises : ")
    assert "rsa" in body["errors"]["right"][0]


@pytest.mark.parametrize(
    ("near", "words"),
    [
        ("50.29,2.77", "inversées"),  # latitude first
        ("-74.0,40.7", "hors de France"),  # New York
        ("200,95", "impossibles"),
    ],
)
def test_points_outside_france_are_refused(client: FlaskClient, near: str, words: str) -> None:
    body = problem(client, f"{API}/partners?near={near}", 422)
    assert isinstance(body["errors"], dict)
    assert words in body["errors"]["near"][0]


def test_unknown_partner_is_a_404_with_its_code(client: FlaskClient) -> None:
    body = problem(client, f"{API}/partners/999999999", 404)
    assert body["code"] == "partner_not_found"
    assert body["detail"] == "Aucun partenaire n'a l'identifiant 999999999."


def test_unknown_right_slug_is_a_404(client: FlaskClient) -> None:
    body = problem(client, f"{API}/rights/loto", 404)
    assert body["code"] == "right_not_found"


def test_unexpected_error_gives_a_reference_and_no_trace(api_app: Flask) -> None:
    app = Flask(__name__)
    app.config.update(api_app.config)
    from web.errors import register_error_handlers

    register_error_handlers(app)

    @app.get("/api/v1/boom")
    def boom() -> str:
        raise RuntimeError("secret detail")

    response = app.test_client().get("/api/v1/boom")
    assert response.status_code == 500
    body = response.get_json()
    assert body["code"] == "internal_error"
    assert body["request_id"] in body["detail"]
    assert "secret" not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "url",
    [
        f"{API}/geocode?q=Arras%00",
        f"{API}/communes?q=%00",
        f"{API}/partners?q=rsa%00",
        f"{API}/orientation?right=rsa&address=%00Arras",
    ],
)
def test_nul_characters_are_refused_before_reaching_the_database(
    client: FlaskClient, url: str
) -> None:
    body = problem(client, url, 422)
    assert isinstance(body["errors"], dict)
    assert list(body["errors"].values()) == [["Caractère nul (U+0000) interdit."]]


@pytest.mark.parametrize("path", ["rights/rsa%00", "communes/62041%00", "nulle%00part"])
def test_nul_characters_in_paths_are_404(client: FlaskClient, path: str) -> None:
    response = client.get(f"{API}/{path}")
    assert response.status_code == 404
    assert response.mimetype == PROBLEM


@pytest.mark.parametrize(
    ("url", "field"),
    [
        (f"{API}/partners?page=１", "page"),  # fullwidth one
        (f"{API}/partners?per_page=٢٠", "per_page"),  # Arabic-Indic twenty
        (f"{API}/partners?near=2.7,50.3&radius_m=５００", "radius_m"),
        (f"{API}/partners.geojson?limit=１０", "limit"),
        (f"{API}/partners?page=1_0", "page"),  # int() reads « 1_0 » as 10
        (f"{API}/partners?page=%201", "page"),  # and ignores spaces
        (f"{API}/bus/visits?route_id=١", "route_id"),
        (f"{API}/communes?q=Arr&limit=５", "limit"),
        (f"{API}/orientation?right=rsa&lon=٢.٧٧&lat=50.29", "lon"),
        (f"{API}/orientation?right=rsa&insee_code=62041&max_partners=３", "max_partners"),
    ],
)
def test_numbers_written_with_other_digits_are_refused(
    client: FlaskClient, url: str, field: str
) -> None:
    body = problem(client, url, 422)
    assert body["errors"] == {field: ["Nombre écrit en chiffres ASCII (0-9) attendu."]}


@pytest.mark.parametrize("path", ["partners/１", "partners/٣", "bus/١.ics"])
def test_ids_in_paths_written_with_other_digits_are_not_found(
    client: FlaskClient, path: str
) -> None:
    body = problem(client, f"{API}/{path}", 404)
    assert body["title"] == "Page ou ressource introuvable"
    assert "code" not in body  # no such address, rather than « no partner 1 »


@pytest.mark.parametrize(
    ("url", "field"),
    [
        (f"{API}/partners?departement=62&departement=31", "departement"),
        (f"{API}/partners?q=rsa&page=1&page=2", "page"),
        (f"{API}/partners.geojson?bbox=2.6,50.2,2.9,50.4&bbox=1,43,2,44", "bbox"),
        (f"{API}/orientation?right=rsa&insee_code=62041&insee_code=31555", "insee_code"),
        (f"{API}/bus/visits?from=2026-12-01&from=2026-12-02", "from"),
        (f"{API}/coverage?insee_code=62041&right=rsa&right=c2s", "right"),
        (f"{API}/communes?q=Arr&q=Tou", "q"),
    ],
)
def test_a_single_value_parameter_given_twice_is_refused(
    client: FlaskClient, url: str, field: str
) -> None:
    body = problem(client, url, 422)
    assert body["errors"] == {field: ["Paramètre donné plusieurs fois : une seule valeur permise."]}


def test_repeatable_parameters_stay_repeatable(client: FlaskClient) -> None:
    response = client.get(f"{API}/orientation?right=rsa&right=c2s&insee_code=62041")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert {r["slug"] for r in response.get_json()["rights"]} == {"rsa", "c2s"}
