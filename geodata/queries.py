"""Read side of the administrative divisions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from geoalchemy2.shape import to_shape
from shapely.geometry.base import BaseGeometry
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from geodata.errors import CommuneNotFound
from geodata.models import Commune, Epci


def count_communes(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Commune)) or 0)


def get_commune(session: Session, insee_code: str) -> Commune:
    commune = session.get(Commune, insee_code)
    if commune is None:
        raise CommuneNotFound(f"Aucune commune n'a le code INSEE « {insee_code} ».")
    return commune


@dataclass(frozen=True)
class EpciOutline:
    siren: str
    name: str
    outline: BaseGeometry  # simplified for display, (lon, lat) degrees


def list_epci_outlines(
    session: Session, sirens: Sequence[str], tolerance_deg: float = 0.0008
) -> list[EpciOutline]:
    """Outlines of these EPCI for a map (simplified: about 80 m at French latitudes)."""
    rows = session.scalars(select(Epci).where(Epci.siren.in_(list(sirens))).order_by(Epci.siren))
    return [
        EpciOutline(
            epci.siren,
            epci.name,
            to_shape(epci.shape).simplify(tolerance_deg, preserve_topology=True),
        )
        for epci in rows
        if epci.shape is not None
    ]


@dataclass(frozen=True)
class CommuneOutline:
    insee_code: str
    name: str
    outline: BaseGeometry  # simplified for display, (lon, lat) degrees


def list_commune_outlines(
    session: Session, insee_codes: Sequence[str], tolerance_deg: float = 0.002
) -> list[CommuneOutline]:
    """Outlines of these communes for a map (simplified: about 200 m), where shapes are
    bundled (Pas-de-Calais and Haute-Garonne); communes without a shape are left out."""
    outlines = []
    codes = list(insee_codes)
    for start in range(0, len(codes), 900):
        query = select(Commune.insee_code, Commune.name, Commune.shape).where(
            Commune.insee_code.in_(codes[start : start + 900]), Commune.shape.is_not(None)
        )
        for insee_code, name, shape in session.execute(query):
            outline = to_shape(shape).simplify(tolerance_deg, preserve_topology=True)
            outlines.append(CommuneOutline(insee_code, name, outline))
    return sorted(outlines, key=lambda o: o.insee_code)


def list_epci_names(session: Session, sirens: Sequence[str]) -> list[tuple[str, str]]:
    """(SIREN, name) of these EPCI, by name."""
    query = select(Epci.siren, Epci.name).where(Epci.siren.in_(list(sirens))).order_by(Epci.name)
    return [(siren, name) for siren, name in session.execute(query)]
