"""The public pages on the real data, on both backends: content, links, security headers."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

PAGES = (
    "/",
    "/recherche",
    "/recherche?address=Arras&right=rsa",
    "/carte",
    "/droits",
    "/droits/rsa",
    "/orienter",
    "/orienter?right=rsa&address=Cadours",
    "/bus",
    "/sources",
    "/accessibilite",
    "/mentions-legales",
)


@pytest.fixture
def client(loaded_app: Flask) -> FlaskClient:
    return loaded_app.test_client()


@pytest.mark.parametrize("path", PAGES)
def test_every_public_page_is_french_html_with_a_strict_policy(
    client: FlaskClient, path: str
) -> None:
    response = client.get(path)
    assert response.status_code == 200, response.text[:500]
    assert response.mimetype == "text/html"
    body = response.text
    assert '<html lang="fr">' in body
    assert 'href="#contenu"' in body  # the skip link
    policy = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    nonce = re.search(r"script-src 'self' 'nonce-([^']+)'", policy)
    assert nonce is not None
    for tag in re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", body):
        assert f'nonce="{nonce.group(1)}"' in tag, tag
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "cdn" not in body.lower()


def test_each_response_gets_its_own_nonce(client: FlaskClient) -> None:
    first = client.get("/").headers["Content-Security-Policy"]
    second = client.get("/").headers["Content-Security-Policy"]
    assert first != second


def test_search_near_an_address_lists_places_with_distance_and_status(client: FlaskClient) -> None:
    # The France services list (2024-08) is « à confirmer »: the person asks to see it.
    body = client.get("/recherche?address=Arras&right=rsa&include_unconfirmed=1").text
    assert "Lieux qui peuvent vous aider près de" in body
    assert body.count('class="card"') == 10
    assert re.search(r"à \d+(,\d)? km|à \d+ m", body)
    assert re.search(r"Ouvert maintenant|Fermé|Horaires non renseignés", body)
    assert 'rel="next"' in body  # more than one page of results
    assert "Revenu de solidarité active : " in body  # help level for the chosen right


def test_result_pages_keep_the_query_in_their_links(client: FlaskClient) -> None:
    body = client.get("/recherche?address=Muret&right=rsa&accessible=1").text
    next_link = re.search(r'href="(/recherche\?[^"]*)" rel="next"', body)
    if next_link:
        link = next_link.group(1).replace("&amp;", "&")
        assert "address=Muret" in link and "right=rsa" in link and "accessible=1" in link
        assert "page=2" in link


def test_an_empty_result_explains_and_offers_a_wider_search(client: FlaskClient) -> None:
    body = client.get("/recherche?address=Cadours&kind=point-justice&open_now=1&q=zzzqqq").text
    assert "Aucun lieu ne correspond à tous vos critères" in body
    assert "voir tous les types de lieux" in body
    assert "voir aussi les lieux fermés en ce moment" in body


def test_when_only_older_places_match_they_are_shown_with_a_banner(client: FlaskClient) -> None:
    # Near Muret, only France services (2024-08, « à confirmer » since 2026-08) help with the
    # prime d'activité: the page shows them, says why, and its links keep them.
    body = client.get("/recherche?address=Muret&right=prime-activite").text
    assert "Aucun lieu aux informations récentes (moins de 24 mois)" in body
    assert body.count('class="card') >= 1
    assert "include_unconfirmed=1" in body
    town_halls = client.get("/recherche?address=Muret&kind=mairie").text
    assert "Aucun lieu aux informations récentes" not in town_halls
    assert "Voir aussi les lieux « à confirmer »" in town_halls


def test_an_unknown_address_is_said_plainly(client: FlaskClient) -> None:
    body = client.get("/recherche?address=Qqqqwwwzzz").text
    assert "Nous n&#39;avons pas trouvé « Qqqqwwwzzz »" in body


@pytest.mark.parametrize(
    "hostile",
    ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "{{7*7}}", "\u202eevil"],
)
def test_what_a_person_typed_comes_back_escaped(client: FlaskClient, hostile: str) -> None:
    for path in ("/recherche", "/orienter"):
        response = client.get(path, query_string={"address": hostile, "q": hostile, "right": "rsa"})
        assert response.status_code == 200
        assert "<script>alert(1)" not in response.text
        assert "<img src=x" not in response.text
        assert "49" not in re.findall(r"value=\"([^\"]*)\"", response.text)


def test_the_partner_page_shows_hours_source_and_a_report_link(client: FlaskClient) -> None:
    results = client.get("/recherche?address=Arras&kind=france-services&include_unconfirmed=1").text
    partner_path = re.search(r'href="(/partenaires/\d+)"', results)
    assert partner_path is not None
    body = client.get(partner_path.group(1)).text
    assert "Aujourd'hui," in body and 'class="today"' in body
    assert "Source :" in body
    assert "Signaler une erreur" in body
    assert re.search(r'href="tel:\+33\d{9}"', body)


def test_an_unknown_partner_gets_a_french_404_page(client: FlaskClient) -> None:
    response = client.get("/partenaires/999999999")
    assert response.status_code == 404
    assert "introuvable" in response.text


def test_the_right_page_shows_sources_and_an_address_box(client: FlaskClient) -> None:
    body = client.get("/droits/rsa").text
    assert "Où se faire aider près de chez vous" in body
    assert "Sources" in body and "service-public" in body
    assert 'name="right" value="rsa"' in body


def test_orientation_gives_reasons_the_decider_and_a_sheet_link(client: FlaskClient) -> None:
    body = client.get("/orienter?right=rsa&address=Arras&has_car=0").text
    assert "Pourquoi ce lieu" in body
    assert "Qui décide ?" in body
    assert "walking" not in body and "public_transport" not in body  # modes said in French
    assert "/orienter/fiche?" in body
    assert "Elle n&#39;a pas de voiture" in body or "Elle n'a pas de voiture" in body


def test_the_sheet_holds_the_place_what_to_bring_a_qr_code_and_a_short_sms(
    client: FlaskClient,
) -> None:
    body = client.get("/orienter/fiche?right=rsa&address=Arras").text
    assert "Ce qu'il faut apporter" in body or "Ce qu&#39;il faut apporter" in body
    assert "<svg" in body and 'class="qr"' in body
    sms = re.search(r'<textarea id="sms"[^>]*>([^<]*)</textarea>', body)
    assert sms is not None
    from web.presentation.sms import is_gsm, septets

    text = sms.group(1).replace("&#39;", "'").replace("&amp;", "&").replace("&#34;", '"')
    assert is_gsm(text) and 0 < septets(text) <= 306


def test_the_sheet_is_for_one_right_only(client: FlaskClient) -> None:
    response = client.get("/orienter/fiche?right=rsa&right=c2s&address=Arras")
    assert response.status_code == 400


def test_the_map_page_stays_small_and_lists_places(client: FlaskClient) -> None:
    response = client.get("/carte")
    assert len(response.data) <= 150_000
    assert "Liste des lieux" in response.text
    assert "vendor/leaflet/leaflet.js" in response.text


def test_the_map_says_how_many_older_places_it_leaves_out(client: FlaskClient) -> None:
    default = client.get("/carte?kind=france-services").text
    assert "lieux dont les informations ont plus de 24 mois ne sont pas montrés" in default
    assert "include_unconfirmed=1" in default
    everything = client.get("/carte?kind=france-services&include_unconfirmed=1").text
    assert "ne sont pas montrés" not in everything


def test_the_territory_outlines_are_served_as_geojson(client: FlaskClient) -> None:
    response = client.get("/carte/contours.geojson")
    assert response.status_code == 200
    names = {f["properties"]["name"] for f in response.get_json()["features"]}
    assert len(names) == 5


def test_the_bus_page_says_when_no_route_is_published(client: FlaskClient) -> None:
    body = client.get("/bus").text
    assert "Aucune tournée du bus des droits n'est publiée" in body or "Prochains passages" in body


def test_the_territory_identity_comes_from_configuration(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app(
        SITE_NAME="Droits Arras", TERRITORY_NAME="CU d'Arras", TERRITORY_COLOUR="#004488"
    )
    client = app.test_client()
    body = client.get("/").text
    assert "Droits Arras" in body and "CU d&#39;Arras" in body
    assert "--accent: #004488" in client.get("/theme.css").text
