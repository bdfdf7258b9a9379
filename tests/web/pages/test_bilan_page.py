"""/bilan: ten plain questions, each « je ne sais pas » by default; a POSTed form with a CSRF
token; results with why, an amount, what is uncertain, the documents and where to go; nothing
of the situation in a URL or a cache. Real catalogue, directory and OpenFisca-France."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from html import unescape

import pytest
import time_machine
from flask.testing import FlaskClient

from routing.bilan.openfisca import france_system

ANSWERS = {
    "age": "70",
    "couple": "non",
    "children": "aucun",
    "monthly_earnings_eur": "0",
    "other_monthly_income_eur": "800 €",
    "housing": "heberge",
    "address": "Arras",
    "disability": "non",
    "is_student": "non",
    "is_agricultural": "",
}


@pytest.fixture(scope="module", autouse=True)
def openfisca_loaded() -> None:
    france_system()


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(datetime(2026, 12, 3, 10, 0, tzinfo=UTC), tick=False):
        yield


def token(client: FlaskClient) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/bilan").text)
    assert found is not None
    return found.group(1)


def post(client: FlaskClient, **answers: str) -> tuple[int, str]:
    response = client.post("/bilan", data={"csrf_token": token(client), **answers})
    assert response.headers["Cache-Control"] == "no-store"
    return response.status_code, unescape(response.text)


def test_the_questionnaire_has_at_most_12_plain_questions_all_optional(
    client: FlaskClient,
) -> None:
    response = client.get("/bilan")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = unescape(response.text)
    questions = re.findall(r">(\d+)\. [^<]+\?<", page) + re.findall(r">(\d+)\. Votre [^<]+<", page)
    assert sorted(int(n) for n in questions) == list(range(1, 11))
    assert re.search(r'<form[^>]+method="post"', page)
    assert 'name="csrf_token"' in page
    for group in ("couple", "children", "housing", "disability", "is_student", "is_agricultural"):
        checked = re.search(rf'name="{group}" value="" checked> Je ne sais pas', page)
        assert checked, group
    assert "Rien de ce que vous répondez n'est enregistré" in page


def test_a_pensioner_sees_the_aspa_with_its_amount_why_papers_and_where_to_go(
    client: FlaskClient,
) -> None:
    status, page = post(client, **ANSWERS)
    assert status == 200
    assert "Votre bilan des droits" in page
    assert (
        "Calcul indicatif, basé sur la législation au 1er décembre 2026 "
        "(OpenFisca-France 176.1.8)." in page
    )
    aspa = page[page.index('id="droit-aspa"') :]
    aspa = aspa[: aspa.index("</article>")]
    assert "Environ 243,60 € par mois" in aspa
    assert "Pourquoi" in aspa and "1 043,60 €" in aspa
    assert "Ce qui reste incertain" in aspa and "Papiers à apporter" in aspa
    assert re.search(r'href="/partenaires/\d+"', aspa)
    assert 'href="/orienter?right=aspa"' in aspa and 'href="/droits/aspa"' in aspa
    assert "Peu probables aujourd'hui" in page  # e.g. the RSA, with an ASPA counted
    assert 'value="800 €"' in page  # the answers stay in the form, to change them


def test_no_link_of_the_result_carries_the_situation(client: FlaskClient) -> None:
    _, page = post(client, **{**ANSWERS, "address": "12 rue Gambetta, Arras"})
    for link in re.findall(r'(?:href|src|action)="([^"]*)"', page):
        assert "Gambetta" not in link and "800" not in link and "age=" not in link, link


def test_a_form_without_its_token_is_refused(client: FlaskClient) -> None:
    response = client.post("/bilan", data={**ANSWERS, "csrf_token": "faux"})
    assert response.status_code == 400
    assert "Le formulaire a expiré" in unescape(response.text)


@pytest.mark.parametrize(
    ("answers", "field", "message"),
    [
        ({"age": "deux ans"}, "age", "Nombre entier attendu."),
        ({"age": "8"}, "age", "Doit être compris entre 16 et 120."),
        ({"children": "oui", "children_ages": ""}, "children_ages", "Indiquez l'âge de chaque"),
        ({"children": "oui", "children_ages": "3, 40"}, "children_ages", "compris entre 0 et 24"),
        ({"housing": "locataire", "rent_eur": "-5"}, "rent_eur", "Entre 0 et 20000 €."),
        ({"address": "Zzyzx-sur-Mer 99"}, "address", "introuvable"),
    ],
)
def test_answers_that_cannot_be_read_come_back_with_their_message(
    client: FlaskClient, answers: dict[str, str], field: str, message: str
) -> None:
    status, page = post(client, **answers)
    assert status == 422
    assert "Le bilan n'a pas pu être fait" in page
    error = re.search(rf'<span class="field-error" id="{field}-error">([^<]+)</span>', page)
    assert error is not None and message in error.group(1), page[:2000]


def test_answers_written_the_french_way_are_understood(client: FlaskClient) -> None:
    status, page = post(
        client,
        age="34",
        couple="non",
        children="oui",
        children_ages="3 ans et 7",
        monthly_earnings_eur="1 200,50",
        other_monthly_income_eur="0",
        housing="locataire",
        rent_eur="600",
        address="Arras",
    )
    assert status == 200
    family = page[page.index('id="droit-allocations-familiales"') :]
    assert "Enfants comptés pour les allocations familiales : 2." in family


def test_the_bilan_is_in_the_navigation_on_the_home_page_and_printable(
    client: FlaskClient,
) -> None:
    home = client.get("/").text
    assert home.count('href="/bilan"') == 2  # the menu and the home page's list
    css = client.get("/static/aiguillage.css").text
    assert re.search(r"@media print \{\s*\.bilan-form, \.error-summary \{ display: none", css)
