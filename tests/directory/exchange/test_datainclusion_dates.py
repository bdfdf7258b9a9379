"""The data·inclusion export dates each record with the real date of its information."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.exchange.datainclusion_export import export_service, export_structure
from directory.imports.annuaire import SOURCE as ANNUAIRE
from directory.imports.france_services import SOURCE as FRANCE_SERVICES
from directory.models import Partner


def partner(session: Session, source: str, source_id: str) -> Partner:
    query = select(Partner).where(Partner.source == source, Partner.source_id == source_id)
    return session.scalars(query).one()


def test_date_maj_is_the_source_date_not_the_import_date(session: Session) -> None:
    caf = partner(session, ANNUAIRE.name, "caf-31395-01")
    assert export_structure(caf, None)["date_maj"] == "2017-09-11"
    rsa = next(s for s in caf.services if s.right_slug == "rsa")
    assert export_service(caf, rsa, None, {})["date_maj"] == "2017-09-11"
    site = session.scalars(
        select(Partner).where(Partner.source == FRANCE_SERVICES.name).limit(1)
    ).one()
    assert export_structure(site, None)["date_maj"] == "2024-08-01"


def test_a_confirmation_moves_date_maj(session: Session) -> None:
    caf = partner(session, ANNUAIRE.name, "caf-31395-01")
    caf.verified_at = caf.verified_at.replace(year=2026, month=11, day=30)  # type: ignore[union-attr]
    assert export_structure(caf, None)["date_maj"] == "2026-11-30"
