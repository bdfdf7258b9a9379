"""Editing through the directory's operations: the full form, hours with their live
check, closures, a position moved on the map, « still accurate », creation and deletion;
each change reaches the API and the search index, and is written to the audit log."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask
from geoalchemy2.shape import to_shape
from sqlalchemy import select
from sqlalchemy.orm import Session

from admin.models import AuditEntry
from directory.models import Partner
from directory.queries import get_partner
from tests.admin.conftest import csrf_token
from tests.admin.scenario import Scenario, build_scenario, edit_form


@pytest.fixture
def scenario(admin_app: Flask, db: Session) -> Scenario:
    return build_scenario(admin_app, db)


def _entries(session: Session, partner_id: int) -> list[AuditEntry]:
    return list(
        session.scalars(
            select(AuditEntry).where(AuditEntry.partner_id == partner_id).order_by(AuditEntry.id)
        )
    )


def test_a_referent_edits_the_hours_of_their_partner_and_everything_follows(
    scenario: Scenario,
) -> None:
    own = scenario.in_62
    client = scenario.client_for("referent")
    url = f"/admin/partenaires/{own.id}/horaires"
    hours = "Mo-Fr 09:00-12:00; PH off"
    checked = client.post(url, data={"csrf_token": csrf_token(client, url),
                                     "opening_hours": hours, "action": "verifier"})  # fmt: skip
    assert checked.status_code == 200
    assert "Ce texte signifie" in checked.text and "9 h – 12 h" in checked.text
    scenario.session.expire_all()
    assert get_partner(scenario.session, own.id).opening_hours != hours  # not saved yet
    saved = client.post(url, data={"csrf_token": csrf_token(client, url), "opening_hours": hours,
                                   "opening_hours_source": "Appel à l'accueil",
                                   "action": "enregistrer"})  # fmt: skip
    assert saved.status_code == 302
    scenario.session.expire_all()
    partner = get_partner(scenario.session, own.id)
    assert partner.opening_hours == hours
    assert partner.opening_hours_source == "Appel à l'accueil"
    document = client.get(f"/api/v1/partners/{own.id}").get_json()
    assert document["opening_hours"] == hours
    assert "9 h" in document["opening_hours_text"]
    [entry] = _entries(scenario.session, own.id)
    assert entry.actor == "referent@exemple.test" and entry.origin == "ecran"
    assert entry.origin_detail == "horaires" and entry.action == "partner-hours"
    assert entry.changes["opening_hours"][1] == hours


def test_hours_that_cannot_be_read_are_explained_and_not_saved(scenario: Scenario) -> None:
    own = scenario.in_62
    client = scenario.client_for("administrateur")
    url = f"/admin/partenaires/{own.id}/horaires"
    preview = client.get(f"{url}/apercu?texte=lundi+9h-12h").get_json()
    assert preview["error"] and preview["meaning"] is None
    good = client.get(f"{url}/apercu?texte=Mo-Fr+08:30-12:00").get_json()
    assert good["error"] is None and "8 h 30" in good["meaning"] and good["status"]
    data = {"opening_hours": "lundi 9h-12h", "action": "enregistrer"}
    refused = client.post(url, data={"csrf_token": csrf_token(client, url), **data})
    assert refused.status_code == 422
    assert _entries(scenario.session, own.id) == []


def test_the_full_form_saves_through_the_rules_and_refuses_a_bad_postcode(
    scenario: Scenario,
) -> None:
    own = scenario.in_62
    client = scenario.client_for("gestionnaire")
    url = f"/admin/partenaires/{own.id}/modifier"
    bad = client.post(url, data={"csrf_token": csrf_token(client, url),
                                 **edit_form(scenario.session, own, postcode="620")})  # fmt: skip
    assert bad.status_code == 422 and "5 chiffres" in bad.text
    good = client.post(url, data={"csrf_token": csrf_token(client, url),
                                  **edit_form(scenario.session, own, phone="03 21 00 00 00",
                                              siret="12345678901234")})  # fmt: skip
    assert good.status_code == 302
    scenario.session.expire_all()
    partner = get_partner(scenario.session, own.id)
    assert (partner.phone, partner.siret) == ("03 21 00 00 00", "12345678901234")
    [entry] = _entries(scenario.session, own.id)
    assert set(entry.changes) == {"phone", "siret"}


def test_closures_are_saved_and_a_bad_one_is_refused(scenario: Scenario) -> None:
    own = scenario.in_62
    client = scenario.client_for("referent")
    url = f"/admin/partenaires/{own.id}/fermetures"
    bad = client.post(url, data={"csrf_token": csrf_token(client, url), "rows": "1",
                                 "starts_on-0": "2027-01-10", "ends_on-0": "2027-01-03",
                                 "reason-0": "Congés"})  # fmt: skip
    assert bad.status_code == 422 and "précède son début" in bad.text
    good = client.post(url, data={"csrf_token": csrf_token(client, url), "rows": "1",
                                  "starts_on-0": "2027-01-04", "ends_on-0": "2027-01-08",
                                  "reason-0": "Congés d'hiver",
                                  "replacement_hours-0": "Mo 09:00-12:00"})  # fmt: skip
    assert good.status_code == 302
    scenario.session.expire_all()
    closures = get_partner(scenario.session, own.id).closures
    assert [(c.starts_on, c.ends_on, c.reason) for c in closures][-1:] == [
        (date(2027, 1, 4), date(2027, 1, 8), "Congés d'hiver")
    ]
    [entry] = _entries(scenario.session, own.id)
    assert entry.action == "partner-closures" and "closures" in entry.changes


def test_moving_the_point_clears_the_doubt_with_a_trace(scenario: Scenario) -> None:
    own = scenario.in_62
    own.is_location_doubtful = True
    scenario.session.commit()
    client = scenario.client_for("gestionnaire")
    url = f"/admin/partenaires/{own.id}/position"
    page = client.get(url)
    assert page.status_code == 200 and "admin-map.js" in page.text and "douteuse" in page.text
    moved = client.post(url, data={"csrf_token": csrf_token(client, url), "lon": "2,7774",
                                   "lat": "50.2910", "note": "Entrée rue de la Gare."})  # fmt: skip
    assert moved.status_code == 302
    scenario.session.expire_all()
    partner = get_partner(scenario.session, own.id)
    point = to_shape(partner.location)
    assert (round(point.x, 4), round(point.y, 4)) == (2.7774, 50.291)
    assert not partner.is_location_doubtful
    assert partner.location_note and "placée à la main" in partner.location_note
    assert partner.location_note.endswith("Entrée rue de la Gare.")
    [entry] = _entries(scenario.session, own.id)
    assert entry.changes["is_location_doubtful"] == [True, False]
    refused = client.post(url, data={"csrf_token": csrf_token(client, url), "lon": "200",
                                     "lat": "50"})  # fmt: skip
    assert refused.status_code == 422


def test_still_accurate_dates_the_check_in_one_click(scenario: Scenario) -> None:
    own = scenario.in_62
    client = scenario.client_for("referent")
    response = client.post(
        f"/admin/partenaires/{own.id}/confirmer", data={"csrf_token": csrf_token(client, "/admin/")}
    )
    assert response.status_code == 302
    scenario.session.expire_all()
    assert get_partner(scenario.session, own.id).verified_at == date.today()
    [entry] = _entries(scenario.session, own.id)
    assert entry.action == "partner-confirm"
    assert entry.changes["verified_at"][1] == date.today().isoformat()


def test_a_partner_created_then_deleted_keeps_its_history(scenario: Scenario) -> None:
    client = scenario.client_for("gestionnaire")
    url = "/admin/partenaires/nouveau"
    created = client.post(url, data={
        "csrf_token": csrf_token(client, url), "name": "[Test] CCAS inventé", "kind": "ccas",
        "insee_code": "62041", "city": "Arras", "postcode": "62000", "areas": "commune:62041",
        "service-rsa": "1", "level-rsa": "accompagnement", "publics-rsa": "seniors; familles",
    })  # fmt: skip
    assert created.status_code == 302, created.text
    partner_id = int(created.headers["Location"].rsplit("/", 1)[1])
    partner = get_partner(scenario.session, partner_id)
    assert partner.source == "Saisie par l'équipe du territoire"
    assert [(s.right_slug, s.help_level, s.public_list) for s in partner.services] == [
        ("rsa", "accompagnement", ["seniors", "familles"])
    ]
    hits = client.get("/api/v1/partners?q=CCAS+inventé&insee_code=62041").get_json()
    assert partner_id in [hit["id"] for hit in hits["items"]]
    token = csrf_token(client, "/admin/")
    deleted = client.post(
        f"/admin/partenaires/{partner_id}/supprimer",
        data={"csrf_token": token, "confirmation": "1"},
    )
    assert deleted.status_code == 302
    scenario.session.expire_all()
    assert scenario.session.get(Partner, partner_id) is None
    assert [e.action for e in _entries(scenario.session, partner_id)] == [
        "partner-create",
        "partner-delete",
    ]
    history = scenario.client_for("administrateur").get("/admin/")
    assert history.status_code == 200
