"""Names of service areas, for the reasons shown to people ("Compétent pour …")."""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from directory.models import ServiceArea
from geodata.models import Commune, Departement, Epci
from geodata.territories import TerritoryLevel
from routing.orientation.answer import ResolvedPlace
from routing.orientation.candidates import AreaMatch

_AREAS = select(ServiceArea.partner_id, ServiceArea.level, ServiceArea.code).where(
    ServiceArea.partner_id.in_(bindparam("ids", expanding=True))
)
_NAME_TABLES = {
    TerritoryLevel.COMMUNE.value: (Commune.insee_code, Commune.name),
    TerritoryLevel.EPCI.value: (Epci.siren, Epci.name),
    TerritoryLevel.DEPARTEMENT.value: (Departement.code, Departement.name),
}


def area_labels(
    session: Session, place: ResolvedPlace, matches: dict[int, AreaMatch]
) -> dict[int, str]:
    """The person's territory for partners serving it; what the others serve, by name.

    The database is only read for partners outside their area (the rare fallback).
    """
    own = {
        AreaMatch.COMMUNE: place.commune_name,
        AreaMatch.EPCI: place.epci_name or "",
        AreaMatch.DEPARTEMENT: place.departement_name,
        AreaMatch.FRANCE: "toute la France",
        AreaMatch.OTHER: place.commune_name,
    }
    labels = {pid: own[match] for pid, match in matches.items() if match is not AreaMatch.OUTSIDE}
    outside = [pid for pid, match in matches.items() if match is AreaMatch.OUTSIDE]
    if outside:
        labels.update(_served_area_names(session, outside))
    return labels


def _served_area_names(session: Session, partner_ids: list[int]) -> dict[int, str]:
    """``"Dainville"``, ``"CU d'Arras"``, ``"Pas-de-Calais, Nord"`` per partner."""
    areas: dict[int, list[tuple[str, str]]] = {pid: [] for pid in partner_ids}
    for partner_id, level, code in session.connection().execute(_AREAS, {"ids": partner_ids}):
        areas[partner_id].append((level, code))
    names: dict[tuple[str, str], str] = {}
    for level, (code_column, name_column) in _NAME_TABLES.items():
        codes = sorted({code for items in areas.values() for lvl, code in items if lvl == level})
        if codes:
            query = select(code_column, name_column).where(code_column.in_(codes))
            names.update(((level, code), name) for code, name in session.execute(query))
    return {
        pid: ", ".join(names.get(area, area[1]) for area in sorted(items)) or "zone non renseignée"
        for pid, items in areas.items()
    }
