"""Territory levels (commune, EPCI, département, France) and their member communes."""

from __future__ import annotations

import enum

from sqlalchemy import select
from sqlalchemy.orm import Session

from geodata.errors import CommuneNotFound, EpciNotFound, GeodataError
from geodata.models import Commune, Departement, Epci


class TerritoryLevel(enum.StrEnum):
    COMMUNE = "commune"
    EPCI = "epci"
    DEPARTEMENT = "departement"
    FRANCE = "france"


TERRITORY_LEVEL_LABELS = {
    TerritoryLevel.COMMUNE: "Commune",
    TerritoryLevel.EPCI: "Intercommunalité (EPCI)",
    TerritoryLevel.DEPARTEMENT: "Département",
    TerritoryLevel.FRANCE: "Toute la France",
}


class UnknownTerritory(GeodataError):
    code = "unknown_territory"


def list_member_insee_codes(session: Session, level: TerritoryLevel, code: str) -> list[str]:
    """INSEE codes of the communes making up a territory (empty for the whole of France)."""
    if level is TerritoryLevel.FRANCE:
        return []
    if level is TerritoryLevel.COMMUNE:
        if session.get(Commune, code) is None:
            raise CommuneNotFound(f"Commune inconnue : {code}")
        return [code]
    if level is TerritoryLevel.EPCI:
        if session.get(Epci, code) is None:
            raise EpciNotFound(f"Intercommunalité inconnue : {code}")
        query = select(Commune.insee_code).where(Commune.epci_siren == code)
    else:
        if session.get(Departement, code) is None:
            raise UnknownTerritory(f"Département inconnu : {code}")
        query = select(Commune.insee_code).where(Commune.departement_code == code)
    return list(session.scalars(query.order_by(Commune.insee_code)))
