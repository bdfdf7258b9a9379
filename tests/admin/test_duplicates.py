"""Possible duplicates on demand: listed within the scope, merged only by a person's
choice, with both histories saying so."""

from __future__ import annotations

from dataclasses import replace

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from admin.models import AuditEntry
from directory.error_reports import ErrorReportValues, record_error_report
from directory.models import ErrorReport, Partner
from directory.operations import create_partner, partner_values
from directory.values import ServiceValues
from tests.admin.conftest import csrf_token
from tests.admin.scenario import Scenario, build_scenario
from web.api.providers import search_index


@pytest.fixture
def scenario(admin_app: Flask, db: Session) -> Scenario:
    return build_scenario(admin_app, db)


def test_a_twin_is_listed_then_merged_by_choice(scenario: Scenario, admin_app: Flask) -> None:
    own = scenario.in_62
    base = partner_values(own)
    offered = {s.right_slug for s in base.services}
    extra = next(slug for slug in ("aah", "c2s", "rsa", "fsl") if slug not in offered)
    with admin_app.app_context():
        twin = create_partner(scenario.session, search_index(), replace(
            base, name=own.name + " (annexe)", source="test-doublon", source_id="twin",
            services=(ServiceValues(extra, "information"),),
        ))  # fmt: skip
    record_error_report(scenario.session, ErrorReportValues(twin.id, "autre", "Doublon ?"))
    scenario.session.commit()
    twin_id = twin.id
    client = scenario.client_for("gestionnaire")
    page = client.get("/admin/doublons").text
    assert f"n° {twin_id}" in page and "nom proche" in page
    assert scenario.client_for("referent").get("/admin/doublons").status_code == 403
    token = csrf_token(client, "/admin/doublons")
    pair = {"csrf_token": token, "garder": own.id, "supprimer": twin_id}
    unconfirmed = client.post("/admin/doublons/fusionner", data=pair)
    assert unconfirmed.status_code == 302
    assert scenario.session.get(Partner, twin_id) is not None
    merged = client.post("/admin/doublons/fusionner", data={**pair, "confirmation": "1"})
    assert merged.status_code == 302
    scenario.session.expire_all()
    assert scenario.session.get(Partner, twin_id) is None
    kept = scenario.session.get(Partner, own.id)
    assert kept is not None and extra in {s.right_slug for s in kept.services}
    assert scenario.session.scalars(
        select(ErrorReport.partner_id).where(ErrorReport.message == "Doublon ?")
    ).all() == [own.id]
    actions = scenario.session.scalars(
        select(AuditEntry.action).where(AuditEntry.partner_id.in_([own.id, twin_id]))
        .order_by(AuditEntry.id)
    ).all()  # fmt: skip
    assert actions == ["partner-merge", "partner-delete"]
