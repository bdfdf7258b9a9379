"""Coming visits of a bus des droits. No real bus data is bundled: every route, stop and
visit here is a made-up test fixture named "[Test] …"."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from routing.bus.schedule import set_on_board
from routing.orientation import OrientationRequest, PlaceQuery, Profile, RightOrientation, orient
from tests.routing.factories import commune_point, make_bus_route, make_bus_visit, make_partner

PARIS = ZoneInfo("Europe/Paris")
TUESDAY_10H = datetime(2026, 12, 1, 10, 0, tzinfo=PARIS)
ACHICOURT, ARRAS, CADOURS = "62004", "62041", "31098"


def ask(
    session: Session, insee_code: str, right: str, profile: Profile | None = None
) -> RightOrientation:
    request = OrientationRequest((right,), PlaceQuery(insee_code=insee_code), profile or Profile())
    return orient(session, request, TUESDAY_10H).rights[0]


def at(day: int, hour: int, minute: int = 0, month: int = 12, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


def test_next_visits_within_reach_are_listed_soonest_first(session: Session) -> None:
    route = make_bus_route(session, name="[Test] Bus des droits de l'Arrageois")
    later = make_bus_visit(
        session, route, insee_code=ACHICOURT, starts_at=at(15, 14), ends_at=at(15, 17)
    )
    soon = make_bus_visit(
        session, route, insee_code=ACHICOURT, starts_at=at(8, 9, 30), ends_at=at(8, 12)
    )
    for starts, ends, status in [
        (at(3, 9), at(3, 12), "cancelled"),
        (at(24, 9, month=11), at(24, 12, month=11), "planned"),  # over
        (at(20, 9, month=1, year=2027), at(20, 12, month=1, year=2027), "planned"),  # > 6 weeks
    ]:
        make_bus_visit(
            session, route, insee_code=ACHICOURT, starts_at=starts, ends_at=ends, status=status
        )
    make_bus_visit(session, route, insee_code=CADOURS, starts_at=at(9, 9), ends_at=at(9, 12))
    rsa = ask(session, ACHICOURT, "rsa")
    assert [v.visit_id for v in rsa.bus_visits] == [soon.id, later.id]
    first = rsa.bus_visits[0]
    assert first.is_demo and first.route_name == "[Test] Bus des droits de l'Arrageois"
    assert first.starts_at == at(8, 9, 30)
    assert first.text.startswith(
        "Mardi 8 décembre, 9 h 30 – 12 h : [Test] Place de la mairie, Achicourt (à "
    )
    assert first.distance_m < 100


def test_a_visit_under_way_is_still_shown(session: Session) -> None:
    route = make_bus_route(session, name="[Test] Bus des droits de l'Arrageois")
    now = make_bus_visit(session, route, insee_code=ARRAS, starts_at=at(1, 9), ends_at=at(1, 12))
    assert [v.visit_id for v in ask(session, ARRAS, "rsa").bus_visits] == [now.id]


def test_a_bus_is_listed_only_for_the_rights_it_handles(session: Session) -> None:
    health_bus = make_partner(
        session,
        name="[Test] Bus santé de l'Arrageois",
        kind="bus",
        insee_code=ARRAS,
        rights={"c2s": "accompagnement"},
        areas=(("departement", "62"),),
    )
    route = make_bus_route(session, name="[Test] Tournée santé", partner=health_bus)
    visit = make_bus_visit(
        session, route, insee_code=ACHICOURT, starts_at=at(10, 9), ends_at=at(10, 12)
    )
    assert ask(session, ACHICOURT, "rsa").bus_visits == ()
    assert [v.visit_id for v in ask(session, ACHICOURT, "c2s").bus_visits] == [visit.id]


def test_the_rights_on_board_a_visit_decide_for_that_visit(session: Session) -> None:
    route = make_bus_route(session, name="[Test] Bus des droits de l'Arrageois")
    housing = make_bus_visit(
        session, route, insee_code=ARRAS, starts_at=at(10, 9), ends_at=at(10, 12)
    )
    set_on_board(session, housing.id, right_slugs=["aides-logement"], partner_ids=[], now=at(1, 8))
    general = make_bus_visit(
        session, route, insee_code=ARRAS, starts_at=at(11, 9), ends_at=at(11, 12)
    )
    # RSA is among the catalogue's bus helpers, but the first visit only handles housing.
    assert [v.visit_id for v in ask(session, ARRAS, "rsa").bus_visits] == [general.id]
    assert [v.visit_id for v in ask(session, ARRAS, "aides-logement").bus_visits] == [
        housing.id,
        general.id,
    ]


def test_without_partner_the_catalogue_says_whether_buses_help(session: Session) -> None:
    route = make_bus_route(session, name="[Test] Bus des droits de l'Arrageois")
    make_bus_visit(session, route, insee_code=ARRAS, starts_at=at(10, 9), ends_at=at(10, 12))
    assert len(ask(session, ARRAS, "rsa").bus_visits) == 1  # "bus" is among RSA helpers
    assert ask(session, ARRAS, "aide-sociale-ccas").bus_visits == ()  # not among these


def test_reach_depends_on_having_a_car(session: Session) -> None:
    lon, lat = commune_point(session, ACHICOURT)
    route = make_bus_route(session, name="[Test] Bus des droits de l'Arrageois")
    make_bus_visit(
        session,
        route,
        insee_code=ACHICOURT,
        location=(lon, lat - 0.11),  # about 12 km south, as the crow flies
        starts_at=at(10, 9),
        ends_at=at(10, 12),
    )
    with_car = ask(session, ACHICOURT, "rsa")
    assert len(with_car.bus_visits) == 1
    assert with_car.bus_visits[0].travel_mode == "car"
    assert ask(session, ACHICOURT, "rsa", Profile(has_car=False)).bus_visits == ()


def test_at_most_five_visits_are_listed(session: Session) -> None:
    route = make_bus_route(session, name="[Test] Bus des droits de l'Arrageois")
    starts = [at(2, 9) + timedelta(days=day) for day in range(8)]
    for start in starts:
        make_bus_visit(
            session, route, insee_code=ARRAS, starts_at=start, ends_at=start + timedelta(hours=3)
        )
    visits = ask(session, ARRAS, "rsa").bus_visits
    assert [v.starts_at for v in visits] == starts[:5]
