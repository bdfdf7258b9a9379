"""Spatial SQL that works on both backends: the only module (with ``database.py``) that knows them.

Every helper takes the ``bind`` it will run on (a ``Session``, ``Connection`` or ``Engine``)
so it can emit SpatiaLite or PostGIS SQL, a mapped geometry column (``Partner.location``,
``Commune.shape``, an ``aliased(...)`` one works too) and a point as ``lon, lat`` in WGS 84
degrees. Distances are **geodesic metres on the WGS 84 ellipsoid** on both backends
(SpatiaLite ``ST_Distance(a, b, 1)``, PostGIS ``geography``), never planar degrees, which
pick the wrong neighbour for ~13 % of queries at French latitudes.

Typical use by other packages::

    from geodata import spatial

    near = spatial.within_radius_m(session, Partner.location, lon, lat, radius_m=15_000)
    dist = spatial.distance_m(session, Partner.location, lon, lat).label("distance_m")
    rows = session.execute(select(Partner, dist).where(near).order_by(dist)).all()

    # or the k nearest, searched in growing radii so the answer is exact:
    rows = spatial.nearest(session, select(Partner), Partner.location, lon, lat, limit=10)
    for partner, distance_m in rows: ...

Both ``within_radius_m`` and ``contains_point`` start with a bounding-box test that uses
the spatial index: PostGIS ``&&`` on the GiST index; on SpatiaLite an explicit sub-query
on the R*Tree table ``idx_<table>_<column>`` (GeoAlchemy2 does not make SpatiaLite use
its index by itself). The geometry column must therefore have a spatial index.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Engine, Float, Integer, Row, Select, bindparam, func, select
from sqlalchemy import column as sql_column
from sqlalchemy import table as sql_table
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import BindParameter, ColumnElement

from geodata.database import Backend
from geodata.models import SRID

Bind = Session | Connection | Engine
Number = float | ColumnElement[Any]
"""A number given as a Python float or as an SQL expression (``bindparam``)."""

METRES_PER_DEGREE_LAT_MIN = 110_574.0
"""Shortest length of one degree of latitude (at the equator): bounding boxes never too small."""
METRES_PER_DEGREE_LON_EQUATOR = 111_320.0
NEAREST_RADII_M = (2_000.0, 10_000.0, 40_000.0, 150_000.0, 600_000.0)


def backend_for(bind: Bind) -> Backend:
    """The backend a session, connection or engine talks to."""
    target = bind.get_bind() if isinstance(bind, Session) else bind
    return Backend.POSTGIS if target.dialect.name == "postgresql" else Backend.SPATIALITE


def make_point(bind: Bind, lon: Number, lat: Number) -> ColumnElement[Any]:
    """A WGS 84 point geometry from bound parameters (floats or ``bindparam``)."""
    if backend_for(bind) is Backend.SPATIALITE:
        return func.MakePoint(lon, lat, SRID)
    return func.ST_SetSRID(func.ST_MakePoint(lon, lat), SRID)


def lon_lat_of(column: Any) -> tuple[ColumnElement[float], ColumnElement[float]]:
    """``ST_X``/``ST_Y`` of a point column (same SQL on both backends), as (lon, lat)."""
    return func.ST_X(column, type_=Float), func.ST_Y(column, type_=Float)


def bbox_around(lon: float, lat: float, radius_m: float) -> tuple[float, float, float, float]:
    """(west, south, east, north) degrees of a box sure to contain the circle of ``radius_m``."""
    delta_lat = radius_m / METRES_PER_DEGREE_LAT_MIN
    far_lat = min(89.999, abs(lat) + delta_lat)
    delta_lon = radius_m / (METRES_PER_DEGREE_LON_EQUATOR * math.cos(math.radians(far_lat)))
    delta_lon = min(delta_lon, 180.0)
    return (
        lon - delta_lon,
        max(-90.0, lat - delta_lat),
        lon + delta_lon,
        min(90.0, lat + delta_lat),
    )


class PointParameters:
    """Bind parameters for spatial statements built once and run many times (hot paths).

    Building a statement costs more than running it on an indexed table; a hot path can
    build it once with these parameters and pass :meth:`values` at each execution::

        near = PointParameters()
        statement = select(Partner.id).where(
            spatial.within_radius_m(session, Partner.location, *near.point,
                                    near.radius_m, bbox=near.bbox)
        )
        session.execute(statement, near.values(lon, lat, radius_m=5_000))
    """

    def __init__(self, name: str = "point") -> None:
        self.name = name
        self.lon = bindparam(f"{name}_lon", type_=Float)
        self.lat = bindparam(f"{name}_lat", type_=Float)
        self.radius_m = bindparam(f"{name}_radius_m", type_=Float)
        self.west = bindparam(f"{name}_west", type_=Float)
        self.south = bindparam(f"{name}_south", type_=Float)
        self.east = bindparam(f"{name}_east", type_=Float)
        self.north = bindparam(f"{name}_north", type_=Float)

    @property
    def point(self) -> tuple[BindParameter[float], BindParameter[float]]:
        return (self.lon, self.lat)

    @property
    def bbox(self) -> tuple[BindParameter[float], ...]:
        return (self.west, self.south, self.east, self.north)

    def values(self, lon: float, lat: float, radius_m: float = 0.0) -> dict[str, float]:
        west, south, east, north = bbox_around(lon, lat, radius_m)
        return {
            f"{self.name}_lon": lon,
            f"{self.name}_lat": lat,
            f"{self.name}_radius_m": radius_m,
            f"{self.name}_west": west,
            f"{self.name}_south": south,
            f"{self.name}_east": east,
            f"{self.name}_north": north,
        }


def _rowid_and_index(column: Any) -> tuple[ColumnElement[int], str]:
    """The ``rowid`` of the column's table (or alias) and the name of its R*Tree index table."""
    expression = getattr(column, "expression", column)
    table = expression.table
    base = getattr(table, "element", table)
    rowid = sql_column("rowid", Integer, _selectable=table)
    return rowid, f"idx_{base.name}_{expression.name}"


def intersects_bbox(
    bind: Bind, column: Any, west: Number, south: Number, east: Number, north: Number
) -> ColumnElement[bool]:
    """The geometry's bounding box meets the given box; answered from the spatial index."""
    if backend_for(bind) is Backend.POSTGIS:
        envelope = func.ST_MakeEnvelope(west, south, east, north, SRID)
        return column.op("&&")(envelope)  # type: ignore[no-any-return]
    rowid, index_table = _rowid_and_index(column)
    rtree = sql_table(
        index_table, *(sql_column(name, Float) for name in ("pkid", "xmin", "xmax", "ymin", "ymax"))
    )
    candidates = select(rtree.c.pkid).where(
        rtree.c.xmin <= east, rtree.c.xmax >= west, rtree.c.ymin <= north, rtree.c.ymax >= south
    )
    return rowid.in_(candidates)


def distance_m(bind: Bind, column: Any, lon: Number, lat: Number) -> ColumnElement[float]:
    """Geodesic distance in metres from the geometry (nearest part of it) to the point."""
    point = make_point(bind, lon, lat)
    if backend_for(bind) is Backend.SPATIALITE:
        return func.ST_Distance(column, point, 1, type_=Float)
    return func.ST_Distance(func.geography(column), func.geography(point), type_=Float)


def within_radius_m(
    bind: Bind,
    column: Any,
    lon: Number,
    lat: Number,
    radius_m: Number,
    *,
    bbox: Sequence[Number] | None = None,
) -> ColumnElement[bool]:
    """The geometry lies within ``radius_m`` metres (geodesic) of the point.

    Index-assisted bounding-box test first, then the exact geodesic distance. With bind
    parameters instead of numbers, give the box too (see :class:`PointParameters`).
    """
    if bbox is None:
        if not (
            isinstance(lon, int | float)
            and isinstance(lat, int | float)
            and isinstance(radius_m, int | float)
        ):
            raise ValueError("bbox is required when lon, lat or radius_m are SQL parameters")
        bbox = bbox_around(lon, lat, radius_m)
    box = intersects_bbox(bind, column, *bbox)
    if backend_for(bind) is Backend.POSTGIS:
        point = func.geography(make_point(bind, lon, lat))
        return box & func.ST_DWithin(func.geography(column), point, radius_m)
    return box & (distance_m(bind, column, lon, lat) <= radius_m)


def contains_point(bind: Bind, shape_column: Any, lon: Number, lat: Number) -> ColumnElement[bool]:
    """The (multi)polygon covers the point, its boundary included."""
    box = intersects_bbox(bind, shape_column, lon, lat, lon, lat)
    return box & func.ST_Intersects(shape_column, make_point(bind, lon, lat))


def nearest(
    session: Session,
    query: Select[Any],
    column: Any,
    lon: float,
    lat: float,
    *,
    limit: int = 10,
    max_radius_m: float = NEAREST_RADII_M[-1],
    radii_m: Sequence[float] = NEAREST_RADII_M,
) -> list[Row[Any]]:
    """The ``limit`` rows of ``query`` whose geometry is nearest to the point, nearest first.

    Each row is the query's row plus a last ``distance_m`` column (geodesic metres). The
    search widens through ``radii_m`` up to ``max_radius_m`` and stops at the first radius
    holding ``limit`` rows, so the answer is exact (never a planar approximation); fewer
    rows come back when fewer exist within ``max_radius_m``. ``query`` may carry its own
    filters and joins (``select(Partner).where(Partner.kind == "ccas")``).
    """
    distance = distance_m(session, column, lon, lat).label("distance_m")
    steps = [r for r in radii_m if r < max_radius_m] + [max_radius_m]
    rows: list[Row[Any]] = []
    for radius_m in steps:
        # The box holds the whole circle, so the nearest rows of the box that lie within
        # the radius are the nearest of all: no distance test in SQL (computed once).
        boxed = (
            query.add_columns(distance)
            .where(intersects_bbox(session, column, *bbox_around(lon, lat, radius_m)))
            .order_by(distance)
            .limit(limit)
        )
        rows = [row for row in session.execute(boxed) if row[-1] <= radius_m]
        if len(rows) >= limit:
            break
    return rows
