"""Each role × each sensitive action, on a partner inside and outside its scope; URLs
typed by hand included. A refused write changes nothing."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from directory.queries import get_partner
from tests.admin.conftest import csrf_token
from tests.admin.scenario import Scenario, build_scenario, edit_form

ROLES = ("administrateur", "gestionnaire", "referent", "coordinateur-bus")


@pytest.fixture
def scenario(admin_app: Flask, db: Session) -> Scenario:
    return build_scenario(admin_app, db)


# (what, path template, expected status per role); {own} is the référent's partner in
# the 62, {other} a partner of the 31, outside the gestionnaire's territory.
READS = [
    ("own partner page", "/admin/partenaires/{own}", (200, 200, 200, 403)),
    ("other partner page", "/admin/partenaires/{other}", (200, 403, 403, 403)),
    ("own edit form", "/admin/partenaires/{own}/modifier", (200, 200, 200, 403)),
    ("other edit form", "/admin/partenaires/{other}/modifier", (200, 403, 403, 403)),
    ("other hours", "/admin/partenaires/{other}/horaires", (200, 403, 403, 403)),
    ("other hours check", "/admin/partenaires/{other}/horaires/apercu?texte=Mo",
     (200, 403, 403, 403)),
    ("other closures", "/admin/partenaires/{other}/fermetures", (200, 403, 403, 403)),
    ("other position", "/admin/partenaires/{other}/position", (200, 403, 403, 403)),
    ("other history", "/admin/partenaires/{other}/historique", (200, 403, 403, 403)),
    ("creation form", "/admin/partenaires/nouveau", (200, 200, 403, 403)),
    ("partner list", "/admin/partenaires", (200, 200, 200, 403)),
    ("bus routes", "/admin/bus", (200, 200, 403, 200)),
    ("rights catalogue", "/admin/droits", (200, 200, 200, 200)),
    ("unknown partner", "/admin/partenaires/2000000000", (404, 404, 404, 403)),
]  # fmt: skip


@pytest.mark.parametrize(("what", "path", "statuses"), READS, ids=[r[0] for r in READS])
def test_each_role_reads_only_what_it_may(
    scenario: Scenario, what: str, path: str, statuses: tuple[int, ...]
) -> None:
    url = path.format(own=scenario.in_62.id, other=scenario.in_31.id)
    got = tuple(scenario.client_for(role).get(url).status_code for role in ROLES)
    assert got == statuses, what


WRITES = [
    ("edit", "/admin/partenaires/{id}/modifier"),
    ("hours", "/admin/partenaires/{id}/horaires"),
    ("closures", "/admin/partenaires/{id}/fermetures"),
    ("position", "/admin/partenaires/{id}/position"),
    ("confirm", "/admin/partenaires/{id}/confirmer"),
    ("delete", "/admin/partenaires/{id}/supprimer"),
]


def _write_data(scenario: Scenario, what: str, partner_id: int) -> dict[str, str]:
    partner = get_partner(scenario.session, partner_id)
    return {
        "edit": edit_form(scenario.session, partner, name="[Test] Nom changé"),
        "hours": {"opening_hours": "Mo 10:00-11:00", "action": "enregistrer"},
        "closures": {"rows": "1", "starts_on-0": "2027-01-04", "ends_on-0": "2027-01-05",
                     "reason-0": "Test"},
        "position": {"lon": "2.0", "lat": "48.0"},
        "confirm": {},
        "delete": {"confirmation": "1"},
    }[what]  # fmt: skip


@pytest.mark.parametrize("role", ["gestionnaire", "referent", "coordinateur-bus"])
@pytest.mark.parametrize(("what", "path"), WRITES, ids=[w[0] for w in WRITES])
def test_writes_on_a_partner_outside_the_scope_are_refused_and_change_nothing(
    scenario: Scenario, role: str, what: str, path: str
) -> None:
    other = scenario.in_31
    before = (other.name, other.opening_hours, other.verified_at, len(other.closures))
    client = scenario.client_for(role)
    token = csrf_token(client, "/admin/")
    url = path.format(id=other.id)
    response = client.post(url, data={"csrf_token": token, **_write_data(scenario, what, other.id)})
    assert response.status_code == 403
    scenario.session.expire_all()
    after = get_partner(scenario.session, other.id)
    assert (after.name, after.opening_hours, after.verified_at, len(after.closures)) == before


@pytest.mark.parametrize(
    ("role", "status"),
    [("administrateur", 302), ("gestionnaire", 302), ("referent", 403)],
)
def test_only_managers_delete_a_partner_of_their_scope(
    scenario: Scenario, role: str, status: int
) -> None:
    client = scenario.client_for(role)
    own = scenario.in_62.id
    response = client.post(
        f"/admin/partenaires/{own}/supprimer",
        data={"csrf_token": csrf_token(client, "/admin/"), "confirmation": "1"},
    )
    assert response.status_code == status


def test_a_referent_lists_only_their_own_partner(scenario: Scenario) -> None:
    page = scenario.client_for("referent").get("/admin/partenaires").text
    assert scenario.in_62.name in page
    assert "1 fiches" in page


def test_a_manager_lists_only_the_partners_of_their_territory(scenario: Scenario) -> None:
    client = scenario.client_for("gestionnaire")
    page = client.get(f"/admin/partenaires?q={scenario.in_31.name[:40]}").text
    assert f'/admin/partenaires/{scenario.in_31.id}"' not in page


def test_a_manager_cannot_move_a_partner_out_of_their_territory(scenario: Scenario) -> None:
    client = scenario.client_for("gestionnaire")
    own = scenario.in_62
    data = edit_form(scenario.session, own, insee_code="31555")
    response = client.post(
        f"/admin/partenaires/{own.id}/modifier",
        data={"csrf_token": csrf_token(client, "/admin/"), **data},
    )
    assert response.status_code == 422
    assert "hors de votre territoire" in response.text


def test_a_manager_cannot_create_a_partner_outside_their_territory(scenario: Scenario) -> None:
    client = scenario.client_for("gestionnaire")
    response = client.post(
        "/admin/partenaires/nouveau",
        data={"csrf_token": csrf_token(client, "/admin/"), "name": "[Test] Ailleurs",
              "kind": "ccas", "insee_code": "31555", "areas": "commune:31555"},
    )  # fmt: skip
    assert response.status_code == 422
    assert "hors de votre territoire" in response.text


def test_every_admin_write_without_csrf_token_is_refused(scenario: Scenario) -> None:
    client = scenario.client_for("administrateur")
    own = scenario.in_62
    for what, path in WRITES:
        response = client.post(path.format(id=own.id), data=_write_data(scenario, what, own.id))
        assert response.status_code == 400, what
    scenario.session.expire_all()
    assert get_partner(scenario.session, own.id).name == own.name
