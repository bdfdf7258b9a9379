"""Spatial helpers on both backends, checked against brute force in Python."""

from __future__ import annotations

import pytest
from geoalchemy2.shape import to_shape
from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from directory.models import Partner
from geodata import spatial
from geodata.distance import geodesic_distance_m
from geodata.models import Commune
from tests.conftest import backend_name

ARRAS = (2.778515, 50.293056)  # town hall of Arras
CADOURS = (1.050428, 43.729401)  # town hall of Cadours


def partner_points(session: Session) -> dict[int, tuple[float, float]]:
    points = {}
    for partner_id, location in session.execute(
        select(Partner.id, Partner.location).where(Partner.location.is_not(None))
    ):
        point = to_shape(location)
        points[partner_id] = (point.x, point.y)
    return points


def test_database_distance_is_the_ellipsoidal_geodesic(session: Session) -> None:
    points = partner_points(session)
    distance = spatial.distance_m(session, Partner.location, *ARRAS)
    rows = session.execute(select(Partner.id, distance).where(Partner.id.in_(list(points)[:200])))
    checked = 0
    for partner_id, metres in rows:
        assert metres == pytest.approx(geodesic_distance_m(*ARRAS, *points[partner_id]), abs=0.01)
        checked += 1
    assert checked == min(200, len(points))


@pytest.mark.parametrize(("centre", "radius_m"), [(ARRAS, 15_000.0), (CADOURS, 25_000.0)])
def test_within_radius_finds_exactly_the_partners_in_the_circle(
    session: Session, centre: tuple[float, float], radius_m: float
) -> None:
    points = partner_points(session)
    expected = {
        pid for pid, point in points.items() if geodesic_distance_m(*centre, *point) <= radius_m
    }
    found = set(
        session.scalars(
            select(Partner.id).where(
                spatial.within_radius_m(session, Partner.location, *centre, radius_m)
            )
        )
    )
    assert len(expected) > 3
    assert found == expected


def test_nearest_matches_a_brute_force_ranking(session: Session) -> None:
    points = partner_points(session)
    by_distance = sorted(points, key=lambda pid: geodesic_distance_m(*CADOURS, *points[pid]))
    rows = spatial.nearest(session, select(Partner.id), Partner.location, *CADOURS, limit=7)
    assert [row[0] for row in rows] == by_distance[:7]
    distances = [row[-1] for row in rows]
    assert distances == sorted(distances)


def test_nearest_keeps_the_query_filters_and_works_on_aliases(session: Session) -> None:
    alias = aliased(Partner)
    query = select(alias.id, alias.kind).where(alias.kind == "mairie")
    rows = spatial.nearest(session, query, alias.location, *ARRAS, limit=3)
    assert len(rows) == 3 and {row.kind for row in rows} == {"mairie"}
    assert rows[0].distance_m < 50  # the town hall itself


def test_nearest_returns_fewer_rows_when_the_radius_is_exhausted(session: Session) -> None:
    rows = spatial.nearest(
        session, select(Partner.id), Partner.location, -1.0, 46.0, limit=5, max_radius_m=1_000
    )
    assert rows == []


def test_contains_point_puts_each_commune_centre_in_its_own_polygon(session: Session) -> None:
    rows = session.execute(
        select(Commune.insee_code, *spatial.lon_lat_of(Commune.centre))
        .where(Commune.shape.is_not(None))
        .order_by(Commune.insee_code)
    ).all()
    assert len(rows) == 1473
    for code, lon, lat in rows[::15]:
        inside = session.scalars(
            select(Commune.insee_code).where(
                spatial.contains_point(session, Commune.shape, lon, lat)
            )
        ).all()
        assert inside == [code]


def test_bounding_box_uses_the_spatial_index(session: Session) -> None:
    clause = spatial.within_radius_m(session, Partner.location, *ARRAS, 1_000)
    sql = str(select(Partner.id).where(clause).compile(session.get_bind()))
    if backend_name(session) == "spatialite":
        assert "idx_partner_location" in sql
    else:
        assert "&&" in sql and "ST_DWithin" in sql
