"""Coverage and a proposed month on the real communes of the CU d'Arras and of the
Haute-Garonne EPCIs, with the real France services and town halls (both backends)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from directory.models import Partner
from geodata.models import Commune
from geodata.travel_time import EstimatedTravelTimes
from routing.bus.planning.coverage import CoverageMode, analyse_coverage
from routing.bus.planning.month import PlanRequest, propose_month
from routing.bus.planning.publish import publish_plan
from routing.bus.planning.territory import (
    ITINERANT_DESCRIPTIONS,
    TerritoryRequest,
    list_permanent_partners,
    list_territory_communes,
)
from routing.bus.visits import list_bus_visits

ARRAS = TerritoryRequest(epci_sirens=("200033579",))
HAUTE_GARONNE = TerritoryRequest(epci_sirens=("200068641", "200071298", "200071314", "200072643"))
PROVIDER = EstimatedTravelTimes()
NOW = datetime(2026, 12, 15, 9, tzinfo=UTC)


def test_arras_totals_are_the_bundled_insee_figures(session: Session) -> None:
    report = analyse_coverage(session, ARRAS, PROVIDER)
    expected = session.execute(
        select(func.count(), func.sum(Commune.population)).where(Commune.epci_siren == "200033579")
    ).one()
    assert (report.totals.communes, report.totals.population) == (46, 109_884)
    assert (report.totals.communes, report.totals.population) == tuple(expected)
    by_code = {row.commune.insee_code: row for row in report.communes}
    arras = by_code["62041"]
    assert arras.by_car is not None and arras.by_car.kind == "france-services"
    assert arras.by_car.straight_distance_m < 3_000 and not arras.is_remote
    # Without a car, the villages of the south are far from any permanent place.
    walking = analyse_coverage(session, ARRAS, PROVIDER, mode=CoverageMode.WITHOUT_CAR)
    assert 0 < walking.totals.remote_population < walking.totals.population
    assert walking.totals.remote_communes == sum(row.is_remote for row in walking.communes)


def test_itinerant_france_services_and_buses_are_not_permanent_partners(
    session: Session,
) -> None:
    communes = list_territory_communes(session, HAUTE_GARONNE)
    partners = list_permanent_partners(session, communes, right=None)
    ids = {p.partner_id for p in partners.partners}
    itinerant = set(
        session.scalars(
            select(Partner.id).where(
                Partner.kind == "france-services",
                Partner.description.startswith(ITINERANT_DESCRIPTIONS[0])
                | Partner.description.startswith(ITINERANT_DESCRIPTIONS[1]),
            )
        )
    )
    assert itinerant and not itinerant & ids
    assert {p.kind for p in partners.partners} == {"france-services"}  # accompagnement only
    assert len(communes) == 217


def test_town_halls_count_only_for_their_own_commune(session: Session) -> None:
    report = analyse_coverage(
        session, ARRAS, PROVIDER, right="aide-sociale-ccas", help_levels=("information",)
    )
    for row in report.communes:
        assert row.by_car is not None and row.by_car.kind == "mairie"
        assert row.by_car.straight_distance_m < 2_000, row.commune.name


def test_a_proposed_month_is_published_as_dated_visits(session: Session) -> None:
    request = PlanRequest(
        territory=ARRAS,
        month=date(2027, 2, 1),
        max_stops=6,
        half_days=6,
        threshold_s=10 * 60,
        must_exclude=frozenset({"62085"}),
    )
    plan = propose_month(session, request, PROVIDER)
    assert 0 < len(plan.stops) <= 6 and "62085" not in plan.selection.chosen
    assert plan.selection.half_days_used <= 6 and plan.selection.is_optimal
    assert plan.gained_population == plan.selection.covered_population > 0
    assert plan.remote_population_after < plan.before.totals.remote_population
    assert plan.tours.planned_count + len(plan.tours.dropped) == len(plan.stops)
    for tour in plan.tours.tours:
        assert tour.day.day.weekday() in (1, 3) and tour.day.day.month == 2
        for visit in tour.visits:
            assert tour.day.start_s <= visit.arrival_s < visit.departure_s <= tour.day.end_s
    published = publish_plan(
        session, plan, route_code="test-plan", route_name="[Test] Plan", is_demo=True, now=NOW
    )
    visits = list_bus_visits(session, after=NOW, route_id=published.route_id)
    assert len(visits) == plan.tours.planned_count and all(v.is_demo for v in visits)
    first_tour = plan.tours.tours[0]
    first = visits[0]
    assert first.starts_at.astimezone(ZoneInfo("Europe/Paris")).date() == first_tour.day.day
    again = publish_plan(session, plan, route_code="test-plan", now=NOW)
    assert again.visits.created == 0 and again.visits.unchanged == len(visits)
    assert [v.visit_id for v in list_bus_visits(session, after=NOW, route_id=again.route_id)] == [
        v.visit_id for v in visits
    ]
    assert NOW + timedelta(days=1) < visits[0].starts_at
