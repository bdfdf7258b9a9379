"""A proposed month for the bus: the stops (selection), the days and their order (tours),
and the coverage before → after (« +N personnes à moins de 30 minutes »).

The bus works ``ceil(half_days / 2)`` days of the month on the chosen weekdays (public
holidays of the territory left out). Candidate stops are the communes' town halls (by
default the « zones éloignées » themselves); the depot is a commune's town hall (by default
the most populous commune of the territory). A stop brings a commune within reach when the
trip from the commune to the stop takes at most the threshold, by the chosen mode.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np
from sqlalchemy.orm import Session

from directory.hours import public_holidays
from geodata.distance import haversine_many_m
from geodata.travel_time import EstimatedTravelTimes, TravelMode, TravelTimeProvider
from routing.bus.planning.coverage import (
    DEFAULT_THRESHOLD_S,
    TRAVEL_MODES,
    CoverageMode,
    CoverageReport,
    analyse_coverage,
    best_trip_s,
)
from routing.bus.planning.selection import (
    Candidate,
    Demand,
    Selection,
    SelectionProblem,
    select_stops,
)
from routing.bus.planning.territory import DEFAULT_HELP_LEVELS, CommunePoint, TerritoryRequest
from routing.bus.planning.tours import (
    DayTour,
    StopVisit,
    TourPlan,
    TourProblem,
    WorkingDay,
    plan_tours,
)
from routing.errors import InvalidCoverageRequest

MAX_SPEED_KMH = {CoverageMode.CAR: 130.0, CoverageMode.WITHOUT_CAR: 100.0}
"""Straight-line speeds no trip beats: pairs farther apart are not asked to the provider."""
DEFAULT_WEEKDAYS = (1, 3)  # Tuesday, Thursday
DEFAULT_TIME_ON_SITE_S = 2 * 3600 + 30 * 60
MAX_CANDIDATES = 200


@dataclass(frozen=True)
class PlanRequest:
    territory: TerritoryRequest
    month: date
    max_stops: int
    half_days: int
    visits_per_month: int = 1
    right: str | None = None
    mode: CoverageMode = CoverageMode.CAR
    threshold_s: int = DEFAULT_THRESHOLD_S
    help_levels: tuple[str, ...] = DEFAULT_HELP_LEVELS
    candidate_codes: tuple[str, ...] = ()
    """INSEE codes of the candidate stops (default: the communes beyond the threshold)."""
    must_include: frozenset[str] = field(default_factory=frozenset)
    must_exclude: frozenset[str] = field(default_factory=frozenset)
    depot_code: str | None = None
    weekdays: tuple[int, ...] = DEFAULT_WEEKDAYS
    time_on_site_s: int = DEFAULT_TIME_ON_SITE_S
    day_template: WorkingDay | None = None
    """Working hours and lunch break of each day (its date is ignored); default: 8 h 30 –
    17 h 30, one hour of lunch starting between 12 h and 13 h 30."""
    selection_time_limit_s: float = 5.0
    tour_time_limit_s: float = 1.0


@dataclass(frozen=True)
class MonthPlan:
    request: PlanRequest
    before: CoverageReport
    stops: tuple[CommunePoint, ...]
    """Chosen stops (index + 1 in the tours' travel matrix; 0 is the depot)."""
    depot: CommunePoint
    selection: Selection
    tours: TourPlan
    gained: tuple[CommunePoint, ...]
    """Communes brought within the threshold by the chosen stops."""

    @property
    def gained_population(self) -> int:
        return sum(c.population for c in self.gained)

    @property
    def remote_population_after(self) -> int:
        return self.before.totals.remote_population - self.gained_population

    @property
    def sentence(self) -> str:
        minutes = self.request.threshold_s // 60
        people = f"{self.gained_population:,}".replace(",", "\u202f")
        return (
            f"+{people} personnes à moins de {minutes} minutes d'un lieu d'accompagnement "
            f"(permanent ou passage du bus), {len(self.gained)} communes."
        )

    def stop_of(self, index: int) -> CommunePoint:
        return self.depot if index == 0 else self.stops[index - 1]

    def day_tours(self) -> tuple[DayTour, ...]:
        return self.tours.tours


def working_days(
    month: date,
    weekdays: Sequence[int],
    count: int,
    departement_code: str,
    template: WorkingDay | None = None,
) -> tuple[WorkingDay, ...]:
    """The first ``count`` days of the month on these weekdays, public holidays left out."""
    holidays = public_holidays(departement_code, month.year)
    days = [
        date(month.year, month.month, number)
        for number in range(1, calendar.monthrange(month.year, month.month)[1] + 1)
    ]
    chosen = [d for d in days if d.weekday() in weekdays and d not in holidays][:count]
    if len(chosen) < count:
        message = f"Le mois n'a que {len(chosen)} jours de tournée possibles pour {count} demandés."
        raise InvalidCoverageRequest(message, {"half_days": [message]})
    return tuple(
        WorkingDay(day) if template is None else replace(template, day=day) for day in chosen
    )


def coverage_sets(
    demands: Sequence[CommunePoint],
    candidates: Sequence[CommunePoint],
    provider: TravelTimeProvider,
    *,
    mode: CoverageMode,
    threshold_s: int,
) -> tuple[tuple[int, ...], ...]:
    """For each candidate, the demands whose trip to it takes at most the threshold."""
    radius_m = reach_m(provider, mode, threshold_s)
    lons = np.array([c.lon for c in candidates], dtype=np.float64)
    lats = np.array([c.lat for c in candidates], dtype=np.float64)
    covers: list[list[int]] = [[] for _ in candidates]
    for index, demand in enumerate(demands):
        near = np.flatnonzero(haversine_many_m(demand.lon, demand.lat, lons, lats) <= radius_m)
        if near.size == 0:
            continue
        times = best_trip_s(
            provider,
            (demand.lon, demand.lat),
            [(candidates[j].lon, candidates[j].lat) for j in near],
            TRAVEL_MODES[mode],
        )
        for j, seconds in zip(near, times, strict=True):
            if seconds <= threshold_s:
                covers[int(j)].append(index)
    return tuple(tuple(found) for found in covers)


def reach_m(provider: TravelTimeProvider, mode: CoverageMode, time_s: int) -> float:
    """How far (straight line) a trip of ``time_s`` can go: the provider's own bound when it
    knows one (estimates), else a speed no trip beats; plus 1 % for the spherical prefilter."""
    if isinstance(provider, EstimatedTravelTimes):
        bound = max(provider.reach_m(travel, time_s) for travel in TRAVEL_MODES[mode])
    else:
        bound = time_s * MAX_SPEED_KMH[mode] / 3.6
    return bound * 1.01


def _blocks(days: int, copies: int) -> list[tuple[int, ...]]:
    """Split the working days in ``copies`` consecutive parts (one visit in each part)."""
    bounds = [round(k * days / copies) for k in range(copies + 1)]
    return [tuple(range(bounds[k], bounds[k + 1])) for k in range(copies)]


def propose_month(
    session: Session,
    request: PlanRequest,
    provider: TravelTimeProvider,
    *,
    include_demo: bool = False,
) -> MonthPlan:
    before = analyse_coverage(
        session,
        request.territory,
        provider,
        right=request.right,
        mode=request.mode,
        threshold_s=request.threshold_s,
        help_levels=request.help_levels,
        include_demo=include_demo,
    )
    communes = {row.commune.insee_code: row.commune for row in before.communes}
    remote = [row.commune for row in before.communes if row.is_remote and row.commune.population]
    if request.candidate_codes:
        unknown = [code for code in request.candidate_codes if code not in communes]
        if unknown:
            message = f"Hors du territoire : {', '.join(unknown)}."
            raise InvalidCoverageRequest(message, {"candidates": [message]})
        candidates = [communes[code] for code in request.candidate_codes]
    else:
        candidates = list(remote)
    candidates = candidates + [
        communes[code]
        for code in sorted(request.must_include)
        if code in communes and code not in {c.insee_code for c in candidates}
    ]
    if len(candidates) > MAX_CANDIDATES:
        message = f"Trop de lieux candidats : {MAX_CANDIDATES} au plus."
        raise InvalidCoverageRequest(message, {"candidates": [message]})
    depot = _depot(request, communes)
    days = working_days(
        request.month,
        request.weekdays,
        -(-request.half_days // 2),
        depot.departement_code,
        request.day_template,
    )
    covers = coverage_sets(
        remote, candidates, provider, mode=request.mode, threshold_s=request.threshold_s
    )
    problem = SelectionProblem(
        demands=tuple(Demand(c.insee_code, c.population) for c in remote),
        candidates=tuple(Candidate(c.insee_code) for c in candidates),
        covers=covers,
        max_stops=request.max_stops,
        half_days=request.half_days,
        visits_per_month=request.visits_per_month,
        must_include=request.must_include,
        must_exclude=request.must_exclude,
    )
    selection = select_stops(problem, time_limit_s=request.selection_time_limit_s)
    stops = tuple(communes[code] for code in selection.chosen)
    tours = plan_tours(
        _tour_problem(stops, depot, days, request, provider),
        time_limit_s=request.tour_time_limit_s,
    )
    gained = tuple(communes[code] for code in selection.covered)
    return MonthPlan(request, before, stops, depot, selection, tours, gained)


def _depot(request: PlanRequest, communes: dict[str, CommunePoint]) -> CommunePoint:
    if request.depot_code is None:
        return max(communes.values(), key=lambda c: (c.population, c.insee_code))
    if request.depot_code not in communes:
        message = f"Le dépôt doit être une commune du territoire : « {request.depot_code} »."
        raise InvalidCoverageRequest(message, {"depot": [message]})
    return communes[request.depot_code]


def _tour_problem(
    stops: Sequence[CommunePoint],
    depot: CommunePoint,
    days: Sequence[WorkingDay],
    request: PlanRequest,
    provider: TravelTimeProvider,
) -> TourProblem:
    places = [depot, *stops]
    points = [(p.lon, p.lat) for p in places]
    travel = [
        [t.travel_time_s for t in provider.travel_times(origin, points, TravelMode.CAR)]
        for origin in points
    ]
    copies = request.visits_per_month
    blocks = _blocks(len(days), copies)
    visits = tuple(
        StopVisit(
            key=f"{stop.insee_code}#{copy + 1}",
            stop=index,
            time_on_site_s=request.time_on_site_s,
            days=blocks[copy] if copies > 1 else None,
        )
        for index, stop in enumerate(stops, start=1)
        for copy in range(copies)
    )
    return TourProblem(travel_s=travel, visits=visits, days=tuple(days))
