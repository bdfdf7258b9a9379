"""Accounts and partners of the back-office tests: one partner in the Pas-de-Calais (62),
one in the Haute-Garonne (31), real ones from the bundled data, and one account per role."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from admin.models import User
from admin.partner_form import form_fields, service_rows
from directory.models import Partner, ServiceArea
from directory.operations import partner_values
from directory.queries import get_partner, list_rights
from tests.admin.conftest import log_in, make_user


def partner_in(session: Session, departement: str) -> Partner:
    """A France services of the département that has a service area (edits require one)."""
    query = (
        select(Partner.id)
        .join(ServiceArea, ServiceArea.partner_id == Partner.id)
        .where(Partner.insee_code.like(f"{departement}%"), Partner.kind == "france-services")
        .order_by(Partner.id)
        .limit(1)
    )
    partner_id = session.scalar(query)
    assert partner_id is not None
    return get_partner(session, partner_id)


@dataclass
class Scenario:
    app: Flask
    session: Session
    in_62: Partner
    in_31: Partner
    users: dict[str, User]

    def client_for(self, role: str) -> FlaskClient:
        client = self.app.test_client()
        response = log_in(client, self.users[role].email)
        assert response.status_code == 302, response.text
        return client


def build_scenario(app: Flask, session: Session) -> Scenario:
    in_62, in_31 = partner_in(session, "62"), partner_in(session, "31")
    users = {
        "administrateur": make_user(session, "administrateur"),
        "gestionnaire": make_user(session, "gestionnaire", areas=[("departement", "62")]),
        "referent": make_user(session, "referent", partner_ids=[in_62.id]),
        "coordinateur-bus": make_user(session, "coordinateur-bus"),
    }
    return Scenario(app, session, in_62, in_31, users)


def edit_form(session: Session, partner: Partner, **changes: Any) -> dict[str, Any]:
    """The full edit form as the page fills it, with ``changes``."""
    values = partner_values(partner)
    data: dict[str, Any] = {k: v for k, v in form_fields(values).items() if v is not None}
    for row in service_rows(list_rights(session), values):
        if row.offered:
            data[f"service-{row.slug}"] = "1"
        data[f"level-{row.slug}"] = row.help_level
        data[f"publics-{row.slug}"] = row.publics
        data[f"description-{row.slug}"] = row.description
    data.update(changes)
    return data
