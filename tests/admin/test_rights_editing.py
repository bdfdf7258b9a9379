"""The rights catalogue in the back office: an administrateur edits a claim with its
source and the public page shows it at once; without a source the edit is refused in
French; every other role is refused, by URL too."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from admin.models import AuditEntry
from directory.queries import get_right
from tests.admin.conftest import csrf_token
from tests.admin.scenario import Scenario, build_scenario
from web.schemas.instants import now

SUMMARY = "[Test] Le RSA complète des ressources faibles. La CAF ou la MSA le verse."


@pytest.fixture
def scenario(admin_app: Flask, db: Session) -> Scenario:
    return build_scenario(admin_app, db)


def form(**changes: str) -> dict[str, str]:
    return {"text": SUMMARY, "source_choice": "existante", "source_id": "sp-n19775",
            "reviewed_on": now().date().isoformat(), **changes}  # fmt: skip


def test_an_administrator_edits_a_claim_with_its_source_and_the_public_page_follows(
    scenario: Scenario, db: Session
) -> None:
    client = scenario.client_for("administrateur")
    page = client.get("/admin/droits/rsa/summary")
    assert page.status_code == 200 and "La source (obligatoire)" in page.text
    token = csrf_token(client, "/admin/droits/rsa/summary")
    response = client.post("/admin/droits/rsa/summary", data={"csrf_token": token, **form()})
    assert response.status_code == 302
    public = scenario.app.test_client()
    assert SUMMARY in public.get("/droits/rsa").text
    assert public.get("/api/v1/rights/rsa").get_json()["summary"] == SUMMARY
    db.expire_all()
    entry = db.scalar(select(AuditEntry).where(AuditEntry.subject == "right:rsa"))
    assert entry is not None and entry.changes["text"][1] == SUMMARY
    assert "modifiée au back-office" in client.get("/admin/droits/rsa").text


def test_an_edit_without_source_is_refused_next_to_the_field_and_changes_nothing(
    scenario: Scenario, db: Session
) -> None:
    client = scenario.client_for("administrateur")
    token = csrf_token(client, "/admin/droits/rsa/summary")
    response = client.post(
        "/admin/droits/rsa/summary", data={"csrf_token": token, **form(source_id="")}
    )
    assert response.status_code == 422
    assert 'id="source_id-error"' in response.text and "doit citer sa source" in response.text
    db.expire_all()
    assert get_right(db, "rsa").content["summary"] != SUMMARY


@pytest.mark.parametrize("role", ["gestionnaire", "referent", "coordinateur-bus"])
def test_only_an_administrator_edits_the_catalogue(
    scenario: Scenario, db: Session, role: str
) -> None:
    client = scenario.client_for(role)
    assert client.get("/admin/droits/rsa").status_code == 200  # reading stays open
    assert client.get("/admin/droits/rsa/summary").status_code == 403
    token = csrf_token(client, "/admin/")
    response = client.post("/admin/droits/rsa/summary", data={"csrf_token": token, **form()})
    assert response.status_code == 403
    db.expire_all()
    assert get_right(db, "rsa").content["summary"] != SUMMARY
