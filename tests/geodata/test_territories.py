"""Territories and service areas resolved to communes, on both backends."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from directory.models import Partner, ServiceArea
from directory.service_areas import (
    is_commune_served,
    list_partner_ids_serving,
    resolve_served_communes,
)
from geodata.errors import CommuneNotFound, EpciNotFound
from geodata.territories import TerritoryIndex, TerritoryLevel, UnknownTerritory

CU_ARRAS = "200033579"
ARRAS, DAINVILLE, CADOURS, MURET = "62041", "62263", "31098", "31395"


def made_up_partner(session: Session, *areas: tuple[str, str]) -> Partner:
    partner = Partner(
        kind="association",
        name="[Test] Association fictive",
        source="test",
        source_id=f"test-{len(areas)}-{'-'.join(code for _, code in areas)}",
        is_demo=True,
        insee_code=ARRAS,
    )
    partner.service_areas = [ServiceArea(level=level, code=code) for level, code in areas]
    session.add(partner)
    session.flush()
    return partner


def list_member_insee_codes(session: Session, level: TerritoryLevel, code: str) -> list[str]:
    return TerritoryIndex.load(session).member_insee_codes(level, code)


def test_members_of_each_territory_level(session: Session) -> None:
    arras = list_member_insee_codes(session, TerritoryLevel.EPCI, CU_ARRAS)
    assert len(arras) == 46 and ARRAS in arras and DAINVILLE in arras
    assert len(list_member_insee_codes(session, TerritoryLevel.DEPARTEMENT, "31")) == 586
    assert list_member_insee_codes(session, TerritoryLevel.COMMUNE, CADOURS) == [CADOURS]
    assert list_member_insee_codes(session, TerritoryLevel.FRANCE, "") == []


@pytest.mark.parametrize(
    ("level", "code", "error"),
    [
        (TerritoryLevel.COMMUNE, "00000", CommuneNotFound),
        (TerritoryLevel.EPCI, "000000000", EpciNotFound),
        (TerritoryLevel.DEPARTEMENT, "00", UnknownTerritory),
    ],
)
def test_unknown_territories_are_refused(
    session: Session, level: TerritoryLevel, code: str, error: type[Exception]
) -> None:
    with pytest.raises(error):
        list_member_insee_codes(session, level, code)


def test_epci_and_departement_areas_serve_their_communes_only(session: Session) -> None:
    partner = made_up_partner(session, ("epci", CU_ARRAS), ("commune", MURET))
    assert resolve_served_communes(session, partner) == 47
    assert is_commune_served(session, partner.id, DAINVILLE)
    assert is_commune_served(session, partner.id, MURET)
    assert not is_commune_served(session, partner.id, CADOURS)
    assert partner.id in list_partner_ids_serving(session, DAINVILLE)
    assert partner.id not in list_partner_ids_serving(session, CADOURS)


def test_changing_the_areas_rewrites_the_served_communes(session: Session) -> None:
    partner = made_up_partner(session, ("departement", "31"))
    resolve_served_communes(session, partner)
    assert is_commune_served(session, partner.id, CADOURS)
    partner.service_areas = [ServiceArea(level="commune", code=ARRAS)]
    assert resolve_served_communes(session, partner) == 1
    assert not is_commune_served(session, partner.id, CADOURS)
    assert is_commune_served(session, partner.id, ARRAS)


def test_national_partner_serves_every_commune(session: Session) -> None:
    partner = made_up_partner(session, ("france", "FR"))
    assert resolve_served_communes(session, partner) == 0
    assert is_commune_served(session, partner.id, CADOURS)
    assert partner.id in list_partner_ids_serving(session, "97411")
