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

from sqlalchemy import CompoundSelect, Select, literal, select, union_all
from sqlalchemy.orm import Session

from geodata import spatial
from geodata.database import Backend
from geodata.errors import CommuneNotFound, InvalidLocation
from geodata.models import Commune, Departement, Epci
from geodata.points import check_lon_lat, is_metropolitan

POLYGON_TOLERANCE_M = 150.0
MAX_CENTRE_DISTANCE_M = 120_000.0
"""Farther than this from any commune centre, the point is not taken as French (Guyane's
communes are huge); in metropolitan France communes are small, so the limit is lower."""
MAX_METRO_CENTRE_DISTANCE_M = 25_000.0
METRO_CENTRE_RADII_M = (5_000.0, 12_000.0, MAX_METRO_CENTRE_DISTANCE_M)
OVERSEAS_CENTRE_RADII_M = (5_000.0, 25_000.0, MAX_CENTRE_DISTANCE_M)
"""Growing search radii: small first (few rows to measure), the nearest is exact anyway."""
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


def _territory_columns() -> tuple[Any, ...]:
    """The six first columns of every territory row (see `_territory`)."""
    return (
        Commune.insee_code,
        Commune.name.label("commune_name"),
        Commune.departement_code,
        Departement.name.label("departement_name"),
        Commune.epci_siren,
        Epci.name.label("epci_name"),
    )


def _territory_query() -> Select[Any]:
    return (
        select(*_territory_columns())
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


@dataclass(frozen=True)
class _Statements:
    """Reverse look-up statements, built once per backend with bind parameters."""

    inside: Select[Any]
    fallbacks: Select[Any]
    centre_only: Select[Any]


_POINT = spatial.PointParameters("point")
_SHAPE = spatial.PointParameters("shape")
_CENTRE = spatial.PointParameters("centre")
_statements: dict[Backend, _Statements] = {}


def _nearest_select(
    session: Session, column: Any, near: spatial.PointParameters, priority: int
) -> Select[Any]:
    """The nearest commune by ``column`` within the radius given at execution (one row)."""
    distance = spatial.distance_m(session, column, *near.point)
    return (
        select(
            Commune.insee_code,
            literal(priority).label("priority"),
            distance.label("distance_m"),
        )
        .where(Commune.kind != MUNICIPAL_ARRONDISSEMENT)
        .where(spatial.intersects_bbox(session, column, *near.bbox))
        .order_by(distance, Commune.insee_code)
        .limit(1)
    )  # nearest of the box; the caller checks it is within the radius (see spatial.nearest)


def _with_territory(nearest: Select[Any] | CompoundSelect[Any]) -> Select[Any]:
    """Names of the commune, département and EPCI joined once, outside the spatial search."""
    found = nearest.subquery()
    return (
        select(*_territory_columns(), found.c.priority, found.c.distance_m)
        .select_from(found)
        .join(Commune, Commune.insee_code == found.c.insee_code)
        .join(Departement, Departement.code == Commune.departement_code)
        .outerjoin(Epci, Epci.siren == Commune.epci_siren)
    )


def _build(session: Session) -> _Statements:
    backend = spatial.backend_for(session)
    if backend not in _statements:
        near_shape = _nearest_select(session, Commune.shape, _SHAPE, 0)
        near_centre = _nearest_select(session, Commune.centre, _CENTRE, 1).where(
            Commune.shape.is_(None)
        )
        both = union_all(near_shape.subquery().select(), near_centre.subquery().select())
        _statements[backend] = _Statements(
            inside=_territory_query()
            .where(Commune.kind != MUNICIPAL_ARRONDISSEMENT)
            .where(spatial.contains_point(session, Commune.shape, *_POINT.point))
            .order_by(Commune.insee_code)
            .limit(1),
            fallbacks=_with_territory(both),
            centre_only=_with_territory(near_centre),
        )
    return _statements[backend]


def reverse_geocode(session: Session, lon: float, lat: float) -> Territory:
    """The commune, EPCI and département of a point; :class:`InvalidLocation` if not French.

    One query when the point lies in a loaded polygon, two otherwise (both fallbacks are
    asked together), more only far from any commune centre (overseas, at sea).
    """
    lon, lat = check_lon_lat(lon, lat)
    statements = _build(session)
    inside = session.execute(statements.inside, _POINT.values(lon, lat)).first()
    if inside is not None:
        return _territory(inside, LocationMethod.POLYGON)
    rows: list[Any] = []
    radii_m = METRO_CENTRE_RADII_M if is_metropolitan(lon, lat) else OVERSEAS_CENTRE_RADII_M
    for radius_m in radii_m:
        centre = _CENTRE.values(lon, lat, radius_m)
        if radius_m == radii_m[0]:
            shape = _SHAPE.values(lon, lat, POLYGON_TOLERANCE_M)
            found = session.execute(statements.fallbacks, {**shape, **centre})
        else:
            found = session.execute(statements.centre_only, centre)
        limits = {0: POLYGON_TOLERANCE_M, 1: radius_m}
        rows = [row for row in found if row.distance_m <= limits[row.priority]]
        if rows:
            break
    if not rows:
        raise _too_far(lon, lat)
    best = min(rows, key=lambda row: (row.priority, row.distance_m))
    if best.priority == 0:
        return _territory(best, LocationMethod.NEAR_POLYGON, best.distance_m)
    return _territory(best, LocationMethod.NEAREST_CENTRE, best.distance_m)


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
