"""The dashboard (freshness, counts per territory, « still accurate » in one click) and
the triage of public error reports, whose optional contact is erased after triage and
the retention period."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from admin.models import AuditEntry
from directory.error_reports import ErrorReportValues, erase_expired_contacts, record_error_report
from directory.models import ErrorReport, Partner
from directory.queries import get_partner
from tests.admin.conftest import csrf_token
from tests.admin.scenario import Scenario, build_scenario

NOW = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)


@pytest.fixture
def scenario(admin_app: Flask, db: Session) -> Scenario:
    return build_scenario(admin_app, db)


def test_the_dashboard_puts_the_oldest_unverified_partner_first_and_confirms_it(
    scenario: Scenario,
) -> None:
    own = scenario.in_62
    own.verified_at = date(2001, 1, 1)
    scenario.session.commit()
    client = scenario.client_for("referent")
    page = client.get("/admin/").text
    assert "non vérifiées depuis plus de 6 mois" in page
    assert "vérifiée le 1 janvier 2001" in page
    queue = page[page.index('id="a-confirmer"') :]
    assert "informations de plus de 24 mois (1 fiches)" in queue
    assert "informations du 1 janvier 2001" in queue and own.name in queue
    response = client.post(
        f"/admin/partenaires/{own.id}/confirmer",
        data={"csrf_token": csrf_token(client, "/admin/"), "retour": "tableau"},
    )
    assert response.status_code == 302 and response.headers["Location"] == "/admin/"
    scenario.session.expire_all()
    assert get_partner(scenario.session, own.id).verified_at == date.today()
    assert "Aucune fiche à confirmer." in client.get("/admin/").text


def test_counts_per_territory_follow_the_scope(scenario: Scenario) -> None:
    manager = scenario.client_for("gestionnaire").get("/admin/").text
    assert "Pas-de-Calais (62)" in manager and "Haute-Garonne (31)" not in manager
    everything = scenario.client_for("administrateur").get("/admin/").text
    assert "Pas-de-Calais (62)" in everything and "Haute-Garonne (31)" in everything
    bus = scenario.client_for("coordinateur-bus").get("/admin/").text
    assert "Par territoire" not in bus and "tournées du bus" in bus


def _report(session: Session, partner_id: int, contact: str | None = "06 00 00 00 00") -> int:
    report = record_error_report(
        session, ErrorReportValues(partner_id, "horaires", "Fermé le mardi.", contact)
    )
    session.commit()
    return report.id


def test_reports_are_triaged_within_the_scope_and_audited(scenario: Scenario) -> None:
    own_report = _report(scenario.session, scenario.in_62.id)
    other_report = _report(scenario.session, scenario.in_31.id)
    client = scenario.client_for("referent")
    page = client.get("/admin/signalements").text
    assert scenario.in_62.name in page and "Fermé le mardi." in page
    assert scenario.in_31.name not in page
    token = csrf_token(client, "/admin/signalements")
    refused = client.post(f"/admin/signalements/{other_report}",
                          data={"csrf_token": token, "status": "rejete"})  # fmt: skip
    assert refused.status_code == 403
    done = client.post(f"/admin/signalements/{own_report}",
                       data={"csrf_token": token, "status": "corrige"})  # fmt: skip
    assert done.status_code == 302
    scenario.session.expire_all()
    report = scenario.session.get(ErrorReport, own_report)
    assert report is not None and report.status == "corrige" and report.triaged_at is not None
    other = scenario.session.get(ErrorReport, other_report)
    assert other is not None and other.status == "nouveau"
    entry = scenario.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "report-triage")
    ).one()
    assert entry.changes == {"status": ["nouveau", "corrige"]}
    assert entry.partner_id == scenario.in_62.id


def test_contacts_are_erased_only_after_triage_and_the_retention_period(db: Session) -> None:
    partner_id = db.scalar(select(Partner.id).order_by(Partner.id).limit(1))
    assert partner_id is not None
    old, recent, untriaged = (_report(db, partner_id) for _ in range(3))
    for report_id, status, triaged_at in (
        (old, "accepte", NOW - timedelta(days=91)),
        (recent, "rejete", NOW - timedelta(days=89)),
        (untriaged, "nouveau", None),
    ):
        report = db.get(ErrorReport, report_id)
        assert report is not None
        report.status, report.triaged_at = status, triaged_at
    db.commit()
    assert erase_expired_contacts(db, NOW, retention_days=90) >= 1
    db.expire_all()
    contacts = {rid: db.get(ErrorReport, rid).contact for rid in (old, recent, untriaged)}  # type: ignore[union-attr]
    assert contacts == {old: None, recent: "06 00 00 00 00", untriaged: "06 00 00 00 00"}


def test_the_purge_command_erases_expired_contacts_and_says_how_many(
    admin_app: Flask, db: Session, scenario: Scenario
) -> None:
    report_id = _report(db, scenario.in_62.id)
    report = db.get(ErrorReport, report_id)
    assert report is not None
    report.status, report.triaged_at = "corrige", datetime.now(UTC) - timedelta(days=400)
    db.commit()
    result = admin_app.test_cli_runner().invoke(args=["reports", "purge-contacts"])
    assert result.exit_code == 0, result.output
    assert "Contacts effacés :" in result.output and "90 jours" in result.output
    db.expire_all()
    assert db.get(ErrorReport, report_id).contact is None  # type: ignore[union-attr]
    assert db.scalars(select(AuditEntry.action).where(AuditEntry.origin == "commande")).all() == [
        "report-contacts-erased"
    ]
