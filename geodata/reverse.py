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

from sqlalchemy import Select, literal, select, union_all
from sqlalchemy.orm import Session

from geodata import spatial
from geodata.errors import CommuneNotFound, InvalidLocation
from geodata.models import Commune, Departement, Epci
from geodata.points import check_lon_lat

POLYGON_TOLERANCE_M = 150.0
MAX_CENTRE_DISTANCE_M = 120_000.0
"""Farther than this from any commune centre, the point is not taken as French (Guyane's
communes are huge); in metropolitan France communes are small, so the limit is lower."""
MAX_METRO_CENTRE_DISTANCE_M = 25_000.0
CENTRE_RADII_M = (6_000.0, MAX_METRO_CENTRE_DISTANCE_M, MAX_CENTRE_DISTANCE_M)
"""Growing search radii: small first (few rows to measure), the nearest is exact anyway."""
METROPOLITAN_ZONE = "metro"
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
            Commune.name.label("commune_name"),
            Commune.departement_code,
            Departement.name.label("departement_name"),
            Commune.epci_siren,
            Epci.name.label("epci_name"),
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
    """The commune, EPCI and département of a point; :class:`InvalidLocation` if not French.

    One query when the point lies in a loaded polygon, two otherwise (both fallbacks are
    asked together), more only far from any commune centre (overseas, at sea).
    """
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
    near_shape = _nearest_select(session, Commune.shape, lon, lat, POLYGON_TOLERANCE_M, 0)
    rows: list[Any] = []
    for radius_m in CENTRE_RADII_M:
        near_centre = _nearest_select(session, Commune.centre, lon, lat, radius_m, 1).where(
            Commune.shape.is_(None)
        )
        query = union_all(near_shape.subquery().select(), near_centre.subquery().select())
        rows = list(session.execute(query if radius_m == CENTRE_RADII_M[0] else near_centre))
        if rows:
            break
    if not rows:
        raise _too_far(lon, lat)
    best = min(rows, key=lambda row: (row.priority, row.distance_m))
    if best.priority == 0:
        return _territory(best, LocationMethod.NEAR_POLYGON, best.distance_m)
    if best.zone == METROPOLITAN_ZONE and best.distance_m > MAX_METRO_CENTRE_DISTANCE_M:
        raise _too_far(lon, lat)
    return _territory(best, LocationMethod.NEAREST_CENTRE, best.distance_m)


def _nearest_select(
    session: Session, column: Any, lon: float, lat: float, radius_m: float, priority: int
) -> Select[Any]:
    """The nearest commune by ``column`` within ``radius_m`` (one row at most)."""
    distance = spatial.distance_m(session, column, lon, lat)
    return (
        _territory_query()
        .add_columns(
            Commune.zone.label("zone"),
            literal(priority).label("priority"),
            distance.label("distance_m"),
        )
        .where(Commune.kind != MUNICIPAL_ARRONDISSEMENT)
        .where(spatial.within_radius_m(session, column, lon, lat, radius_m))
        .order_by(distance, Commune.insee_code)
        .limit(1)
    )


def _too_far(lon: float, lat: float) -> InvalidLocation:
    return InvalidLocation(
        f"Ce point (longitude {lon}, latitude {lat}) est trop loin de toute commune "
        "française connue : en mer ou hors de France ?"
    )


def get_commune_territory(session: Session, insee_code: str) -> Territory:
    """EPCI and département of a commune known by its INSEE code (e.g. a geocoding result)."""
    row = session.execute(_territory_query().where(Commune.insee_code == insee_code)).first()
    if row is None:
        raise CommuneNotFound(f"Aucune commune n'a le code INSEE « {insee_code} ».")
    return _territory(row, LocationMethod.COMMUNE_CODE)
