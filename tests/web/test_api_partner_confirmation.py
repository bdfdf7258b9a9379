"""Partners « à confirmer » in the API and the pages: hidden by default, shown on request
with their date and a warning; an e-mail that looks personal is never rendered."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.imports.digital_help import SOURCE as DIGITAL_SOURCE
from directory.models import Partner

WARNING_2017 = "Informations de 2017, à vérifier par téléphone avant de vous déplacer"
ARLEUX_CNFS = "62a9bec08255a806e299bafc"  # « Mairie Arleux en Gohelle », bruno.potier@…


def get_json(app: Flask, url: str) -> Any:
    response = app.test_client().get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_caf_offices_of_2017_are_hidden_unless_asked(loaded_app: Flask) -> None:
    hidden = get_json(loaded_app, "/api/v1/partners?kind=caf&departement=31")
    assert hidden["total"] == 0
    shown = get_json(
        loaded_app, "/api/v1/partners?kind=caf&departement=31&include_unconfirmed=1&per_page=50"
    )
    assert shown["total"] == 18
    for item in shown["items"]:
        assert item["confirmation_state"] == "a-confirmer"
        assert item["confirmation_label"] == "À confirmer"
        assert item["staleness_warning"] == WARNING_2017
        assert item["verified_at"] == "2017-09-11"
        assert item["source"]["name"] == "dila-annuaire-2017"


def test_the_geojson_has_the_same_choice(loaded_app: Flask) -> None:
    url = "/api/v1/partners.geojson?kind=caf&departement=62"
    assert get_json(loaded_app, url)["features"] == []
    features = get_json(loaded_app, url + "&include_unconfirmed=1")["features"]
    assert len(features) == 26
    assert {f["properties"]["confirmation_state"] for f in features} == {"a-confirmer"}


def test_current_partners_carry_their_state_without_warning(loaded_app: Flask) -> None:
    found = get_json(loaded_app, "/api/v1/partners?kind=mairie&insee_code=62041")
    (arras,) = found["items"]
    assert arras["confirmation_state"] == "a-jour"
    assert arras["staleness_warning"] is None


def test_a_personal_looking_e_mail_is_never_rendered(loaded_app: Flask, session: Session) -> None:
    place = session.scalars(
        select(Partner).where(
            Partner.source == DIGITAL_SOURCE.name, Partner.source_id == ARLEUX_CNFS
        )
    ).one()
    assert place.email == "bruno.potier@cc-osartis.com"  # kept as published
    detail = get_json(loaded_app, f"/api/v1/partners/{place.id}")
    assert detail["email"] is None
    listed = get_json(
        loaded_app,
        "/api/v1/partners?kind=conseiller-numerique&insee_code=62039&include_unconfirmed=1",
    )
    assert listed["items"] and all(item["email"] is None for item in listed["items"])
    page = loaded_app.test_client().get(f"/partenaires/{place.id}").get_data(as_text=True)
    assert "bruno.potier" not in page
    assert "Informations de 2022, à vérifier par téléphone" in page


def test_the_search_page_offers_the_unconfirmed_places(loaded_app: Flask) -> None:
    client = loaded_app.test_client()
    default = client.get("/recherche?q=Muret").get_data(as_text=True)
    assert "Mairie de Muret" in default  # current: the old CAF office is left out
    assert "accueil de Muret" not in default
    assert "include_unconfirmed=1" in default
    # Nothing current matches: the old offices are shown, under a banner, with their warning.
    only_old = client.get("/recherche?kind=caf&q=Muret").get_data(as_text=True)
    assert "Aucun lieu aux informations récentes" in only_old
    assert "accueil de Muret" in only_old and WARNING_2017 in only_old
    asked = client.get("/recherche?kind=caf&q=Muret&include_unconfirmed=1").get_data(as_text=True)
    assert "accueil de Muret" in asked
    assert WARNING_2017 in asked
