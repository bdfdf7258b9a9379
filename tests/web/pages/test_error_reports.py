"""« Signaler une erreur »: stored when valid, refused with the form back otherwise, and
nothing is stored on a refusal."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from directory.models import ErrorReport, Partner


@pytest.fixture
def client(loaded_app: Flask) -> FlaskClient:
    return loaded_app.test_client()


@pytest.fixture
def partner_id(loaded_engine: Engine) -> int:
    with Session(loaded_engine) as session:
        found = session.scalar(select(Partner.id).order_by(Partner.id).limit(1))
    assert found is not None
    return found


def _reports(engine: Engine) -> int:
    with Session(engine) as session:
        return int(session.scalar(select(func.count()).select_from(ErrorReport)) or 0)


def _form(client: FlaskClient, partner_id: int) -> dict[str, str]:
    page = client.get(f"/partenaires/{partner_id}/signaler").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token is not None
    return {"csrf_token": token.group(1), "topic": "horaires", "message": "Fermé le mardi."}


def test_a_valid_report_is_stored_and_confirmed(
    client: FlaskClient, partner_id: int, loaded_engine: Engine
) -> None:
    before = _reports(loaded_engine)
    response = client.post(f"/partenaires/{partner_id}/signaler", data=_form(client, partner_id))
    assert response.status_code == 200
    assert "Merci, votre signalement a été envoyé" in response.text
    assert _reports(loaded_engine) == before + 1


@pytest.mark.parametrize(
    ("change", "status", "message"),
    [
        ({"csrf_token": "faux"}, 400, "Le formulaire a expiré"),
        ({"website": "http://spam.example"}, 400, "n&#39;a pas pu être enregistré"),
        ({"message": "   "}, 422, "Décrivez l&#39;erreur"),
        ({"topic": "inconnu"}, 422, "Choisissez ce qui est faux"),
        ({"message": "x" * 2001}, 422, "ne doit pas dépasser 2000 caractères"),
        ({"contact": "a\x00b"}, 422, "caractères invisibles"),
    ],
)
def test_a_bad_report_gets_the_form_back_and_nothing_is_stored(
    client: FlaskClient,
    partner_id: int,
    loaded_engine: Engine,
    change: dict[str, str],
    status: int,
    message: str,
) -> None:
    before = _reports(loaded_engine)
    data = {**_form(client, partner_id), **change}
    response = client.post(f"/partenaires/{partner_id}/signaler", data=data)
    assert response.status_code == status
    assert message in response.text
    assert 'name="message"' in response.text  # the form comes back
    assert _reports(loaded_engine) == before


def test_a_huge_report_is_refused_before_reading_it(
    client: FlaskClient, partner_id: int, loaded_engine: Engine
) -> None:
    before = _reports(loaded_engine)
    data = {**_form(client, partner_id), "message": "x" * 50_000}
    response = client.post(f"/partenaires/{partner_id}/signaler", data=data)
    assert response.status_code == 413
    assert _reports(loaded_engine) == before


def test_reports_are_rate_limited_per_address(
    make_app,
    partner_id: int,
    loaded_engine: Engine,  # type: ignore[no-untyped-def]
) -> None:
    client = make_app(ERROR_REPORTS_PER_MINUTE=1).test_client()
    first = client.post(f"/partenaires/{partner_id}/signaler", data=_form(client, partner_id))
    assert first.status_code == 200
    before = _reports(loaded_engine)
    second = client.post(f"/partenaires/{partner_id}/signaler", data=_form(client, partner_id))
    assert second.status_code == 429
    assert _reports(loaded_engine) == before
