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
