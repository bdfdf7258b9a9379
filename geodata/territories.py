"""Territory levels (commune, EPCI, département, France) and their member communes."""

from __future__ import annotations

import enum
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from geodata.errors import CommuneNotFound, EpciNotFound, GeodataError
from geodata.models import Commune


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


@dataclass(frozen=True)
class TerritoryIndex:
    """Every commune's EPCI and département, loaded once for batch resolutions."""

    communes: frozenset[str]
    by_epci: dict[str, list[str]]
    by_departement: dict[str, list[str]]

    @classmethod
    def load(cls, session: Session) -> TerritoryIndex:
        by_epci: dict[str, list[str]] = defaultdict(list)
        by_departement: dict[str, list[str]] = defaultdict(list)
        communes = []
        query = select(Commune.insee_code, Commune.epci_siren, Commune.departement_code)
        for insee_code, epci, departement in session.execute(query):
            communes.append(insee_code)
            by_departement[departement].append(insee_code)
            if epci:
                by_epci[epci].append(insee_code)
        return cls(frozenset(communes), dict(by_epci), dict(by_departement))

    def member_insee_codes(self, level: TerritoryLevel, code: str) -> list[str]:
        if level is TerritoryLevel.FRANCE:
            return []
        if level is TerritoryLevel.COMMUNE:
            if code not in self.communes:
                raise CommuneNotFound(f"Commune inconnue : {code}")
            return [code]
        if level is TerritoryLevel.EPCI:
            if code not in self.by_epci:
                raise EpciNotFound(f"Intercommunalité inconnue : {code}")
            return self.by_epci[code]
        if code not in self.by_departement:
            raise UnknownTerritory(f"Département inconnu : {code}")
        return self.by_departement[code]
