"""GET /partners.geojson answers for the whole directory: pages with a `next` link and, on
the last page, the honest number of places (it used to stop silently at 2 000)."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from directory.models import Partner

API = "/api/v1"
FRANCE = "-5.5,41.0,10.0,51.5"


def test_every_located_partner_comes_through_the_next_links(
    client: FlaskClient, loaded_engine: Engine
) -> None:
    with Session(loaded_engine) as session:
        located = session.scalar(
            select(func.count()).select_from(Partner).where(Partner.location.is_not(None))
        )
    # Every place, « à confirmer » included (the France services list is of 2024-08).
    url: str | None = f"{API}/partners.geojson?bbox={FRANCE}&limit=1000&include_unconfirmed=1"
    ids: list[int] = []
    pages = 0
    last: dict = {}
    while url is not None:
        response = client.get(url)
        assert response.status_code == 200, response.text[:300]
        last = response.get_json()
        pages += 1
        assert last["numberReturned"] == len(last["features"])
        ids.extend(feature["id"] for feature in last["features"])
        following = [link["href"] for link in last["links"] if link["rel"] == "next"]
        url = following[0] if following else None
    assert pages >= 4 and located is not None and located > 3000
    assert len(ids) == len(set(ids))  # no place twice
    metropolitan = last["numberMatched"]
    assert metropolitan == len(ids) >= 3000


def test_a_bbox_larger_than_the_biggest_circle_is_answered(client: FlaskClient) -> None:
    response = client.get(f"{API}/partners.geojson?bbox=-179,-80,179,80&limit=10")
    assert response.status_code == 200
    assert len(response.get_json()["features"]) == 10


def test_the_next_link_keeps_the_filters(client: FlaskClient) -> None:
    body = client.get(f"{API}/partners.geojson?kind=mairie&limit=5").get_json()
    link = next(link["href"] for link in body["links"] if link["rel"] == "next")
    assert "kind=mairie" in link and "page=2" in link and "limit=5" in link


def test_a_page_past_the_end_is_empty_and_gives_the_true_total(client: FlaskClient) -> None:
    everything = client.get(f"{API}/partners.geojson?bbox={FRANCE}&limit=5000").get_json()
    total = everything["numberMatched"]
    past = client.get(f"{API}/partners.geojson?bbox={FRANCE}&limit=1000&page=5").get_json()
    assert total < 4000 or past["numberReturned"] > 0
    if total < 4000:
        assert past["features"] == [] and past["numberMatched"] == total
