"""In which order: each working day's tour from the depot, with OR-Tools routing.

One vehicle per working day of the month. A stop visit takes its time on site; the bus
drives between stops (travel times by car); it leaves the depot and comes back within
the working hours; a lunch break (fixed length, flexible start) never overlaps a visit.
A visit may have its own window (« le matin seulement »), and the visits of a stop seen
several times a month are kept to their part of the month (so they fall on different
days, spread out). A visit that cannot fit is dropped with a penalty rather than making
the problem infeasible, and the search always stops at the time limit.

Times are seconds since local midnight of each day.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from ortools.constraint_solver import pywrapcp, routing_enums_pb2

DEFAULT_TIME_LIMIT_S = 1.0
DROP_PENALTY_S = 10 * 24 * 3600
"""Dropping a visit costs more than any drive: the solver drops only what cannot fit."""


@dataclass(frozen=True)
class WorkingDay:
    day: date
    start_s: int = 8 * 3600 + 30 * 60
    end_s: int = 17 * 3600 + 30 * 60
    lunch_earliest_s: int = 12 * 3600
    lunch_latest_s: int = 13 * 3600 + 30 * 60
    """Latest start of the lunch break."""
    lunch_s: int = 3600


@dataclass(frozen=True)
class StopVisit:
    """One visit to place: ``stop`` indexes the travel matrix (0 is the depot)."""

    key: str
    stop: int
    time_on_site_s: int
    window: tuple[int, int] | None = None
    """Earliest arrival and latest departure (seconds since midnight), if the place has one."""
    days: tuple[int, ...] | None = None
    """Indexes of the working days it may fall on (None: any)."""


@dataclass(frozen=True)
class TourProblem:
    travel_s: Sequence[Sequence[int]]
    """Car travel times between places; row and column 0 are the depot."""
    visits: tuple[StopVisit, ...]
    days: tuple[WorkingDay, ...]


@dataclass(frozen=True)
class PlannedVisit:
    key: str
    stop: int
    arrival_s: int
    departure_s: int


@dataclass(frozen=True)
class DayTour:
    day: WorkingDay
    visits: tuple[PlannedVisit, ...]
    leaves_depot_s: int
    back_at_depot_s: int
    lunch_start_s: int
    driving_s: int


@dataclass(frozen=True)
class TourPlan:
    tours: tuple[DayTour, ...]
    dropped: tuple[str, ...]

    @property
    def planned_count(self) -> int:
        return sum(len(tour.visits) for tour in self.tours)


def plan_tours(problem: TourProblem, *, time_limit_s: float = DEFAULT_TIME_LIMIT_S) -> TourPlan:
    """Each day's ordered visits (days without a visit are left out)."""
    if not problem.visits or not problem.days:
        return TourPlan((), tuple(v.key for v in problem.visits))
    nodes = [0] + [visit.stop for visit in problem.visits]  # node → place in the matrix
    service = [0] + [visit.time_on_site_s for visit in problem.visits]
    manager = pywrapcp.RoutingIndexManager(len(nodes), len(problem.days), 0)
    routing = pywrapcp.RoutingModel(manager)

    def drive(from_index: int, to_index: int) -> int:
        a, b = manager.IndexToNode(from_index), manager.IndexToNode(to_index)
        return int(problem.travel_s[nodes[a]][nodes[b]])

    def drive_and_work(from_index: int, to_index: int) -> int:
        return int(service[manager.IndexToNode(from_index)]) + drive(from_index, to_index)

    routing.SetArcCostEvaluatorOfAllVehicles(routing.RegisterTransitCallback(drive))
    horizon = max(day.end_s for day in problem.days)
    routing.AddDimension(
        routing.RegisterTransitCallback(drive_and_work), horizon, horizon, False, "time"
    )
    time = routing.GetDimensionOrDie("time")
    solver = routing.solver()
    lunches = []
    for vehicle, day in enumerate(problem.days):
        time.CumulVar(routing.Start(vehicle)).SetRange(day.start_s, day.end_s)
        time.CumulVar(routing.End(vehicle)).SetRange(day.start_s, day.end_s)
        lunch = solver.FixedDurationIntervalVar(
            day.lunch_earliest_s, day.lunch_latest_s, day.lunch_s, False, f"lunch_{vehicle}"
        )
        time.SetBreakIntervalsOfVehicle([lunch], vehicle, service)
        lunches.append(lunch)
        routing.AddVariableMinimizedByFinalizer(time.CumulVar(routing.End(vehicle)))
        routing.AddVariableMaximizedByFinalizer(time.CumulVar(routing.Start(vehicle)))
    for node, visit in enumerate(problem.visits, start=1):
        index = manager.NodeToIndex(node)
        if visit.window is not None:
            earliest, latest = visit.window
            if latest - visit.time_on_site_s < earliest:
                routing.ActiveVar(index).SetValue(0)  # longer than its window: dropped
            else:
                time.CumulVar(index).SetRange(earliest, latest - visit.time_on_site_s)
        if visit.days is not None:
            routing.VehicleVar(index).SetValues([-1, *visit.days])  # -1: dropped
        routing.AddDisjunction([index], DROP_PENALTY_S)
    parameters = pywrapcp.DefaultRoutingSearchParameters()
    parameters.first_solution_strategy = (
        routing_enums_pb2.FirstSolutionStrategy.PARALLEL_CHEAPEST_INSERTION
    )
    parameters.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    )
    parameters.time_limit.FromMilliseconds(int(time_limit_s * 1000))
    solution = routing.SolveWithParameters(parameters)
    if solution is None:
        return TourPlan((), tuple(v.key for v in problem.visits))
    tours = []
    planned: set[int] = set()
    for vehicle, day in enumerate(problem.days):
        index = routing.Start(vehicle)
        leaves = solution.Value(time.CumulVar(index))
        visits, driving = [], 0
        while not routing.IsEnd(index):
            following = solution.Value(routing.NextVar(index))
            driving += drive(index, following)
            index = following
            node = manager.IndexToNode(index)
            if routing.IsEnd(index):
                break
            visit = problem.visits[node - 1]
            arrival = solution.Value(time.CumulVar(index))
            visits.append(PlannedVisit(visit.key, visit.stop, arrival, arrival + service[node]))
            planned.add(node)
        if visits:
            tours.append(
                DayTour(
                    day=day,
                    visits=tuple(visits),
                    leaves_depot_s=leaves,
                    back_at_depot_s=solution.Value(time.CumulVar(index)),
                    lunch_start_s=solution.StartValue(lunches[vehicle]),
                    driving_s=driving,
                )
            )
    dropped = tuple(
        visit.key for node, visit in enumerate(problem.visits, start=1) if node not in planned
    )
    return TourPlan(tuple(tours), dropped)
