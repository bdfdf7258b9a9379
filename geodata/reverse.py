"""Reverse look-up: which commune, EPCI and département a (lon, lat) point belongs to.

Where commune polygons are loaded (Pas-de-Calais and Haute-Garonne in the bundled data)
the answer comes from polygon containment. The bundled polygons are simplified, so
neighbouring communes leave thin gaps: a point outside every polygon but within
``POLYGON_TOLERANCE_M`` of one gets that commune. Elsewhere the commune with the nearest
centre (among communes without polygon) is given, which can be wrong near a border: the
result then says so (``method`` and ``note``).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from geodata import spatial
from geodata.errors import CommuneNotFound, InvalidLocation
from geodata.models import Commune, Departement, Epci
from geodata.points import check_lon_lat

POLYGON_TOLERANCE_M = 150.0
MAX_CENTRE_DISTANCE_M = 100_000.0
"""Farther than this from any commune centre, the point is not taken as French."""
MUNICIPAL_ARRONDISSEMENT = "arrondissement-municipal"


class LocationMethod(enum.StrEnum):
    POLYGON = "polygon"
    NEAR_POLYGON = "near_polygon"
    NEAREST_CENTRE = "nearest_centre"
    COMMUNE_CODE = "commune_code"


METHOD_NOTES = {
    LocationMethod.POLYGON: "point situé dans le contour de la commune",
    LocationMethod.NEAR_POLYGON: "point en bordure du contour de la commune",
    LocationMethod.NEAREST_CENTRE: (
        "contour de la commune non disponible : commune dont le centre est le plus proche "
        "(incertain près d'une limite communale)"
    ),
    LocationMethod.COMMUNE_CODE: "commune connue par son code INSEE",
}


@dataclass(frozen=True)
class Territory:
    """A commune with its EPCI (None for the few communes outside any) and département."""

    insee_code: str
    commune_name: str
    departement_code: str
    departement_name: str
    epci_siren: str | None
    epci_name: str | None
    method: LocationMethod
    distance_m: float = 0.0
    """Distance from the point to the polygon (0 inside) or to the commune centre."""

    @property
    def note(self) -> str:
        return METHOD_NOTES[self.method]


def _territory_query() -> Select[Any]:
    return (
        select(
            Commune.insee_code,
            Commune.name,
            Commune.departement_code,
            Departement.name,
            Commune.epci_siren,
            Epci.name,
        )
        .join(Departement, Departement.code == Commune.departement_code)
        .outerjoin(Epci, Epci.siren == Commune.epci_siren)
    )


def _territory(row: Any, method: LocationMethod, distance_m: float = 0.0) -> Territory:
    code, name, departement_code, departement_name, epci_siren, epci_name = row[:6]
    return Territory(
        insee_code=code,
        commune_name=name,
        departement_code=departement_code,
        departement_name=departement_name,
        epci_siren=epci_siren,
        epci_name=epci_name,
        method=method,
        distance_m=round(float(distance_m), 1),
    )


def reverse_geocode(session: Session, lon: float, lat: float) -> Territory:
    """The commune, EPCI and département of a point; :class:`InvalidLocation` if not French."""
    lon, lat = check_lon_lat(lon, lat)
    inside = session.execute(
        _territory_query()
        .where(Commune.kind != MUNICIPAL_ARRONDISSEMENT)
        .where(spatial.contains_point(session, Commune.shape, lon, lat))
        .order_by(Commune.insee_code)
        .limit(1)
    ).first()
    if inside is not None:
        return _territory(inside, LocationMethod.POLYGON)
    near = spatial.nearest(
        session,
        _territory_query(),
        Commune.shape,
        lon,
        lat,
        limit=1,
        max_radius_m=POLYGON_TOLERANCE_M,
        radii_m=(),
    )
    if near:
        return _territory(near[0], LocationMethod.NEAR_POLYGON, near[0][-1])
    without_shape = _territory_query().where(
        Commune.shape.is_(None), Commune.kind != MUNICIPAL_ARRONDISSEMENT
    )
    nearest = spatial.nearest(
        session,
        without_shape,
        Commune.centre,
        lon,
        lat,
        limit=1,
        max_radius_m=MAX_CENTRE_DISTANCE_M,
    )
    if not nearest:
        raise InvalidLocation(
            f"Aucune commune française à moins de {MAX_CENTRE_DISTANCE_M / 1000:.0f} km de ce "
            f"point (longitude {lon}, latitude {lat})."
        )
    return _territory(nearest[0], LocationMethod.NEAREST_CENTRE, nearest[0][-1])


def get_commune_territory(session: Session, insee_code: str) -> Territory:
    """EPCI and département of a commune known by its INSEE code (e.g. a geocoding result)."""
    row = session.execute(_territory_query().where(Commune.insee_code == insee_code)).first()
    if row is None:
        raise CommuneNotFound(f"Aucune commune n'a le code INSEE « {insee_code} ».")
    return _territory(row, LocationMethod.COMMUNE_CODE)
