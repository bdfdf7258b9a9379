"""Made-up partners and bus visits for orientation tests. Every one is named "[Test] …".

The bundled real data has no CCAS, MDS, CAF/MSA/CARSAT office, association or bus des
droits: scenarios that need one create it here, clearly marked (``is_demo=True``, source
``test-fixture``), never presented as real.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from geoalchemy2.shape import from_shape
from shapely.geometry import Point
from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.models import Closure, Partner, Service, ServiceArea
from directory.service_areas import resolve_served_communes
from geodata.models import SRID, Commune
from routing.bus.models import BusRoute, BusSchedule, BusStop, BusVisit

TEST_SOURCE = "test-fixture"


def commune_point(session: Session, insee_code: str) -> tuple[float, float]:
    """The commune's town hall (else centre) as (lon, lat), read from the real data."""
    from geodata.spatial import lon_lat_of

    hall = session.execute(
        select(*lon_lat_of(Commune.town_hall)).where(Commune.insee_code == insee_code)
    ).one()
    if hall[0] is not None:
        return float(hall[0]), float(hall[1])
    centre = session.execute(
        select(*lon_lat_of(Commune.centre)).where(Commune.insee_code == insee_code)
    ).one()
    return float(centre[0]), float(centre[1])


ENTERED_ON = date(2026, 11, 30)
"""The day the made-up partners are entered, as a person would: their information is current."""


def make_partner(
    session: Session,
    *,
    name: str,
    kind: str,
    insee_code: str,
    location: tuple[float, float] | None = None,
    rights: dict[str, str] | None = None,
    areas: tuple[tuple[str, str], ...] | None = None,
    publics: str = "",
    closures: tuple[tuple[Any, Any, str], ...] = (),
    **overrides: Any,
) -> Partner:
    """A made-up partner; ``rights`` maps right slugs to help levels.

    Located at the commune's town hall unless ``location`` is given; serves its commune
    unless ``areas`` ((level, code), …) says otherwise.
    """
    assert name.startswith("[Test] "), "made-up partners must be named « [Test] … »"
    lon, lat = location or commune_point(session, insee_code)
    values: dict[str, Any] = {
        "kind": kind,
        "name": name,
        "street": "Adresse fictive (données de test)",
        "postcode": None,
        "city": None,
        "insee_code": insee_code,
        "location": from_shape(Point(lon, lat), srid=SRID),
        "opening_hours": "Mo-Fr 09:00-12:00,14:00-17:00; PH off",
        "appointment": "sans-rdv",
        "accessibility": "inconnu",
        "languages": "fr",
        "source": TEST_SOURCE,
        "is_demo": True,
        "verified_at": ENTERED_ON,  # entered by a person: current (directory.confirmation)
    }
    values.update(overrides)
    partner = Partner(**values)
    partner.services = [
        Service(right_slug=slug, help_level=level, publics=publics)
        for slug, level in (rights or {}).items()
    ]
    partner.service_areas = [
        ServiceArea(level=level, code=code) for level, code in (areas or (("commune", insee_code),))
    ]
    partner.closures = [
        Closure(starts_on=start, ends_on=end, reason=reason) for start, end, reason in closures
    ]
    session.add(partner)
    session.flush()
    resolve_served_communes(session, partner)
    session.flush()
    return partner


def make_bus_route(
    session: Session,
    *,
    name: str,
    partner: Partner | None = None,
    holiday_rule: str = "skip",
    code: str | None = None,
) -> BusRoute:
    assert name.startswith("[Test] "), "made-up bus routes must be named « [Test] … »"
    route = BusRoute(
        name=name,
        code=code,
        partner_id=None if partner is None else partner.id,
        source=TEST_SOURCE,
        is_demo=True,
        holiday_rule=holiday_rule,
    )
    session.add(route)
    session.flush()
    return route


def make_bus_visit(
    session: Session,
    route: BusRoute,
    *,
    insee_code: str,
    starts_at: datetime,
    ends_at: datetime,
    stop_name: str = "[Test] Place de la mairie",
    location: tuple[float, float] | None = None,
    status: str = "planned",
) -> BusVisit:
    lon, lat = location or commune_point(session, insee_code)
    stop = BusStop(
        route_id=route.id,
        name=stop_name,
        street=None,
        insee_code=insee_code,
        location=from_shape(Point(lon, lat), srid=SRID),
    )
    session.add(stop)
    session.flush()
    visit = BusVisit(stop_id=stop.id, starts_at=starts_at, ends_at=ends_at, status=status)
    session.add(visit)
    session.flush()
    return visit


def make_bus_stop(
    session: Session,
    route: BusRoute,
    *,
    insee_code: str,
    name: str = "[Test] Place de la mairie",
    code: str | None = None,
    location: tuple[float, float] | None = None,
) -> BusStop:
    lon, lat = location or commune_point(session, insee_code)
    stop = BusStop(
        route_id=route.id,
        code=code,
        name=name,
        insee_code=insee_code,
        location=from_shape(Point(lon, lat), srid=SRID),
    )
    session.add(stop)
    session.flush()
    return stop


def make_bus_schedule(
    session: Session,
    stop: BusStop,
    *,
    rule: str,
    starts_on: date,
    start_time: time,
    end_time: time,
    ends_on: date | None = None,
    code: str = "regle-1",
    note: str | None = None,
) -> BusSchedule:
    schedule = BusSchedule(
        stop_id=stop.id,
        code=code,
        rule=rule,
        starts_on=starts_on,
        ends_on=ends_on,
        start_time=start_time,
        end_time=end_time,
        note=note,
    )
    session.add(schedule)
    session.flush()
    return schedule
