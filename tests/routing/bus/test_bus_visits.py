"""The one bus-visit query: period, place, commune, route and cancelled visits, on both
backends. Every route, stop and visit here is a made-up test fixture named "[Test] …"."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from geodata.distance import haversine_m
from routing.bus.visits import list_bus_visits
from tests.routing.factories import make_bus_route, make_bus_visit, make_partner

PARIS = ZoneInfo("Europe/Paris")
ACHICOURT, ARRAS = "62004", "62041"
ORIGIN = (2.7775, 50.2910)
"""A point in Arras; 0.01° of latitude is about 1.1 km there, 0.01° of longitude 0.7 km."""


def at(day: int, hour: int) -> datetime:
    return datetime(2026, 12, day, hour, tzinfo=PARIS)


def test_a_visit_belongs_to_the_period_it_overlaps(session: Session) -> None:
    route = make_bus_route(session, name="[Test] Tournée de l'Arrageois")
    visits = {
        name: make_bus_visit(session, route, insee_code=ARRAS, starts_at=starts, ends_at=ends)
        for name, starts, ends in [
            ("over", at(1, 9), at(1, 12)),
            ("under way", at(2, 9), at(2, 12)),
            ("inside", at(3, 9), at(3, 12)),
            ("starts at the end", at(4, 9), at(4, 12)),
        ]
    }
    found = list_bus_visits(session, after=at(2, 10), before=at(4, 9), route_id=route.id)
    assert [v.visit_id for v in found] == [visits["under way"].id, visits["inside"].id]
    assert found[0].starts_at == at(2, 9) and found[0].commune_name == "Arras"
    assert found[0].distance_m is None


def test_cancelled_visits_are_listed_with_their_status_unless_left_out(session: Session) -> None:
    route = make_bus_route(session, name="[Test] Tournée de l'Arrageois")
    kept = make_bus_visit(session, route, insee_code=ARRAS, starts_at=at(3, 9), ends_at=at(3, 12))
    cancelled = make_bus_visit(
        session, route, insee_code=ARRAS, starts_at=at(4, 9), ends_at=at(4, 12), status="cancelled"
    )
    listed = list_bus_visits(session, after=at(1, 0), route_id=route.id)
    assert [(v.visit_id, v.is_cancelled, v.status_label) for v in listed] == [
        (kept.id, False, "Prévu"),
        (cancelled.id, True, "Annulé"),
    ]
    active = list_bus_visits(session, after=at(1, 0), route_id=route.id, include_cancelled=False)
    assert [v.visit_id for v in active] == [kept.id]


def test_near_with_a_radius_keeps_the_stops_within_that_geodesic_distance(
    session: Session,
) -> None:
    route = make_bus_route(session, name="[Test] Tournée de l'Arrageois")
    lon, lat = ORIGIN
    places = {
        "here": (lon + 0.001, lat),
        "in the box corner": (lon + 0.012, lat + 0.008),  # ≈ 1.2 km: in the box, off the disc
        "far": (lon + 0.05, lat),
    }
    visits = {
        name: make_bus_visit(
            session,
            route,
            insee_code=ARRAS,
            starts_at=at(3 + index, 9),
            ends_at=at(3 + index, 12),
            location=point,
        )
        for index, (name, point) in enumerate(places.items())
    }
    corner = places["in the box corner"]
    assert 1_000 < haversine_m(*ORIGIN, *corner) < 1_300
    found = list_bus_visits(session, after=at(1, 0), near=ORIGIN, radius_m=1_000)
    assert [v.visit_id for v in found] == [visits["here"].id]
    assert found[0].distance_m is not None and 60 < found[0].distance_m < 80
    everywhere = list_bus_visits(session, after=at(1, 0), near=ORIGIN, route_id=route.id)
    assert [v.visit_id for v in everywhere] == [v.id for v in visits.values()]
    assert all(v.distance_m is not None for v in everywhere)


def test_visits_are_chosen_by_commune_and_by_route_with_the_route_partner(
    session: Session,
) -> None:
    partner = make_partner(
        session,
        name="[Test] Bus des droits de l'Arrageois",
        kind="bus",
        insee_code=ARRAS,
        rights={"rsa": "accompagnement"},
        areas=(("departement", "62"),),
    )
    with_partner = make_bus_route(session, name="[Test] Tournée avec partenaire", partner=partner)
    without = make_bus_route(session, name="[Test] Tournée sans partenaire")
    in_achicourt = make_bus_visit(
        session, with_partner, insee_code=ACHICOURT, starts_at=at(3, 9), ends_at=at(3, 12)
    )
    in_arras = make_bus_visit(
        session, without, insee_code=ARRAS, starts_at=at(4, 9), ends_at=at(4, 12)
    )
    by_commune = list_bus_visits(session, after=at(1, 0), insee_code=ACHICOURT)
    assert [(v.visit_id, v.route_partner_id) for v in by_commune] == [(in_achicourt.id, partner.id)]
    by_route = list_bus_visits(session, after=at(1, 0), route_id=without.id)
    assert [(v.visit_id, v.route_partner_id) for v in by_route] == [(in_arras.id, None)]
