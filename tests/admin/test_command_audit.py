"""The import commands write the audit log like the back-office imports: one entry per run
(origin « commande », the command, its files and counts) and one per partner or bus route
changed, before → after, readable on the partner's history page."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from admin.models import AuditEntry
from admin.roles import Role
from directory.imports import bundle
from directory.imports.bundle import ImportStep
from directory.imports.france_services import import_france_services
from directory.models import Partner
from directory.offers import load_kind_offers
from routing.bus.models import BusRoute
from tests.admin.conftest import log_in, make_user
from tests.directory.exchange.test_datainclusion import foreign_document
from tests.directory.test_partner_imports import first_rows_with_edits, site
from tests.web.test_cli_bus import EXAMPLE
from web import cli, import_command


@pytest.fixture(autouse=True)
def no_index_rebuild(monkeypatch: pytest.MonkeyPatch) -> None:
    """The index rebuild after an import is tested elsewhere; here it would cost seconds."""
    monkeypatch.setattr(import_command, "rebuild_search_index", lambda: None)


def command_entries(db: Session) -> list[AuditEntry]:
    db.expire_all()
    query = select(AuditEntry).where(AuditEntry.origin == "commande").order_by(AuditEntry.id)
    return list(db.scalars(query))


def invoke(app: Flask, *args: str) -> str:
    result = app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_import_bundled_logs_the_run_and_each_changed_partner(
    admin_app: Flask,
    db: Session,
    client: FlaskClient,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = first_rows_with_edits(tmp_path, {0: {"lib_fs": "France services (renommée)"}})
    offer = load_kind_offers()["france-services"]

    def only_france_services(now: Any, *args: Any, observer: Any = None, **kw: Any) -> Any:
        """The bundle cut down to one step on a 4-row file (the whole bundle takes a minute)."""
        return [
            ImportStep(
                "France services", lambda s: import_france_services(s, path, offer, now, observer)
            )
        ]

    monkeypatch.setattr(bundle, "bundled_steps", only_france_services)
    monkeypatch.setattr(cli, "bundled_steps", only_france_services)
    old_name = site(db, "1").name

    invoke(admin_app, "data", "import-bundled")

    run, changed = (
        [e for e in command_entries(db) if e.action == action]
        for action in ("import", "partner-import")
    )
    assert [e.origin_detail for e in run] == ["data import-bundled"]
    assert run[0].summary == (
        "Commande data import-bundled (france_services_extrait.csv) : 0 créées, "
        "1 mises à jour, 3 inchangées, 0 rejetées"
    )
    assert run[0].changes == {
        "france-services (france_services_extrait.csv)": [
            None,
            "0 créées, 1 mises à jour, 3 inchangées, 0 rejetées",
        ]
    }
    partner_id = site(db, "1").id
    assert [(e.partner_id, e.changes) for e in changed] == [
        (partner_id, {"name": [old_name, "France services (renommée)"]})
    ]
    assert changed[0].summary == "Commande data import-bundled, ligne 2 : fiche mise à jour"
    assert changed[0].actor == run[0].actor and "@" in run[0].actor

    make_user(db, Role.ADMINISTRATEUR)
    log_in(client, "administrateur@exemple.test")
    page = client.get(f"/admin/partenaires/{partner_id}/historique").text
    assert "Commande data import-bundled, ligne 2 : fiche mise à jour" in page
    assert "France services (renommée)" in page and "commande" in page


def test_datainclusion_import_logs_created_then_updated_partners_not_dry_runs(
    admin_app: Flask, db: Session, tmp_path: Path
) -> None:
    document = foreign_document()
    path = tmp_path / "structures.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    invoke(admin_app, "exchange", "import-datainclusion", str(path))
    document["structures"][0]["telephone"] = "03 21 99 99 99"
    path.write_text(json.dumps(document), encoding="utf-8")
    invoke(admin_app, "exchange", "import-datainclusion", str(path), "--dry-run")
    assert len(command_entries(db)) == 2  # the dry run wrote nothing

    invoke(admin_app, "exchange", "import-datainclusion", str(path))

    partner = db.scalars(
        select(Partner).where(Partner.source == "datainclusion-producteur-fictif")
    ).one()
    entries = command_entries(db)
    assert [(e.action, e.partner_id, e.origin_detail) for e in entries] == [
        ("partner-import", partner.id, "exchange import-datainclusion"),
        ("import", None, "exchange import-datainclusion"),
        ("partner-import", partner.id, "exchange import-datainclusion"),
        ("import", None, "exchange import-datainclusion"),
    ]
    created, _, updated, second_run = entries
    assert created.summary.endswith("ligne 1 : fiche créée")
    assert created.changes["name"] == [None, "Structure fictive de test"]
    assert updated.summary.endswith("ligne 1 : fiche mise à jour")
    assert updated.changes == {"phone": ["03 21 00 00 00", "03 21 99 99 99"]}
    assert second_run.summary == (
        "Commande exchange import-datainclusion (structures.json) : 0 créées, "
        "1 mises à jour, 0 inchangées, 0 rejetées"
    )


def test_bus_import_logs_the_run_and_each_route_it_writes(admin_app: Flask, db: Session) -> None:
    invoke(admin_app, "bus", "import", str(EXAMPLE))

    route = db.scalars(select(BusRoute).where(BusRoute.code == "exemple-arrageois-sud")).one()
    entries = command_entries(db)
    assert [(e.action, e.subject, e.origin_detail) for e in entries] == [
        ("bus-import", f"bus-route:{route.id}", "bus import"),
        ("import", None, "bus import"),
    ]
    assert entries[0].changes["name"] == [None, route.name]
    assert entries[1].summary.startswith("Commande bus import (bus_des_droits_exemple.csv) : ")
    assert (
        entries[1]
        .changes["bus-des-droits (bus_des_droits_exemple.csv)"][1]
        .startswith("9 créées, 0 mises à jour, 0 inchangées, 0 rejetées")
    )
