"""The bundled real dataset: counts, idempotence, provenance and doubtful positions."""

from __future__ import annotations

from datetime import timedelta

from geoalchemy2.shape import to_shape
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from directory.imports.bundle import import_bundled_data
from directory.models import Partner, ServedCommune, Service
from directory.service_areas import is_commune_served
from geodata.models import Commune
from tests.conftest import IMPORT_INSTANT


def _count(session: Session, kind: str) -> int:
    return int(session.scalar(select(func.count()).where(Partner.kind == kind)) or 0)


def test_bundled_data_holds_all_communes_and_partners(session: Session) -> None:
    assert session.scalar(select(func.count()).select_from(Commune)) >= 34_990
    assert _count(session, "france-services") >= 2_840
    assert _count(session, "mairie") == 1_473


def test_second_import_changes_nothing(session: Session) -> None:
    reports = import_bundled_data(session, IMPORT_INSTANT + timedelta(days=1))
    for report in reports:
        assert report.created == 0, report.summary()
        assert report.updated == 0, report.summary()
        assert report.unchanged == report.accepted, report.summary()


def test_france_services_keep_their_source_and_licence(session: Session) -> None:
    partner = session.scalars(
        select(Partner).where(Partner.source == "anct-france-services", Partner.source_id == "1")
    ).one()
    assert partner.name == "France services de Valserhône"
    assert partner.insee_code == "01033"
    assert partner.source_licence is not None and "Licence Ouverte" in partner.source_licence
    assert partner.source_date is not None and partner.source_date.isoformat() == "2024-08-01"
    assert partner.opening_hours is not None and partner.opening_hours.startswith("Mo ")
    assert partner.imported_at == IMPORT_INSTANT


def test_suspect_mairie_position_is_replaced_by_the_commune_centre_and_flagged(
    session: Session,
) -> None:
    mairie = session.scalars(
        select(Partner).where(Partner.kind == "mairie", Partner.insee_code == "62692")
    ).one()
    commune = session.get(Commune, "62692")
    assert commune is not None and commune.centre is not None and mairie.location is not None
    assert mairie.is_location_doubtful
    assert mairie.location_note is not None and "douteuse" in mairie.location_note
    assert to_shape(mairie.location).equals_exact(to_shape(commune.centre), 1e-9)


def test_trusted_mairie_keeps_its_annuaire_position(session: Session) -> None:
    mairie = session.scalars(
        select(Partner).where(Partner.kind == "mairie", Partner.insee_code == "31001")
    ).one()
    assert not mairie.is_location_doubtful
    point = to_shape(mairie.location)
    assert (round(point.x, 6), round(point.y, 6)) == (0.887884, 43.370922)


def test_a_mairie_serves_only_its_commune(session: Session) -> None:
    mairie = session.scalars(
        select(Partner).where(Partner.kind == "mairie", Partner.insee_code == "62041")
    ).one()
    served = set(
        session.scalars(
            select(ServedCommune.insee_code).where(ServedCommune.partner_id == mairie.id)
        )
    )
    assert served == {"62041"}
    assert is_commune_served(session, mairie.id, "62041")
    assert not is_commune_served(session, mairie.id, "62380")


def test_france_services_welcome_everybody_and_help_with_the_rsa(session: Session) -> None:
    site = session.scalars(select(Partner).where(Partner.kind == "france-services")).first()
    assert site is not None
    assert is_commune_served(session, site.id, "31395")
    levels = {
        s.right_slug: s.help_level
        for s in session.scalars(select(Service).where(Service.partner_id == site.id))
    }
    assert levels["rsa"] == "accompagnement"
