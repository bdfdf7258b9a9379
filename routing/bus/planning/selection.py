"""Which stops: a maximal covering location problem solved with OR-Tools CP-SAT.

Choose at most ``max_stops`` candidate places so that the population brought within the
threshold is as large as possible. Only « zones éloignées » count: a commune already
within reach of a permanent partner gains nothing from the bus. Each chosen stop is
visited ``visits_per_month`` times (the minimum return frequency), each visit taking the
candidate's ``half_days``; the month holds ``half_days`` half-days of the bus. Stops can be
imposed (``must_include``) or refused (``must_exclude``). Among plans covering as many
people, the one with fewer stops is preferred (then the solver's first), so a stop that
brings nobody is never proposed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from routing.errors import InvalidCoverageRequest

DEFAULT_TIME_LIMIT_S = 5.0


@dataclass(frozen=True)
class Demand:
    """A commune beyond the threshold: what the bus could bring within reach."""

    key: str
    population: int


@dataclass(frozen=True)
class Candidate:
    key: str
    half_days: int = 1
    """Half-days one visit of this stop takes (1: a morning or an afternoon)."""


@dataclass(frozen=True)
class SelectionProblem:
    demands: tuple[Demand, ...]
    candidates: tuple[Candidate, ...]
    covers: tuple[tuple[int, ...], ...]
    """For each candidate, the indexes of the demands it brings within the threshold."""
    max_stops: int
    half_days: int
    visits_per_month: int = 1
    must_include: frozenset[str] = field(default_factory=frozenset)
    must_exclude: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if len(self.covers) != len(self.candidates):
            raise ValueError("one coverage list per candidate")
        errors: dict[str, list[str]] = {}
        if self.max_stops < 1:
            errors["stops"] = ["Au moins un arrêt."]
        if self.half_days < 1:
            errors["half_days"] = ["Au moins une demi-journée par mois."]
        if self.visits_per_month < 1:
            errors["visits_per_month"] = ["Au moins un passage par mois et par arrêt."]
        keys = {candidate.key for candidate in self.candidates}
        unknown = sorted((self.must_include | self.must_exclude) - keys)
        if unknown:
            errors["must_include"] = [f"Pas parmi les lieux candidats : {', '.join(unknown)}."]
        both = sorted(self.must_include & self.must_exclude)
        if both:
            errors["must_exclude"] = [f"À la fois imposé et exclu : {', '.join(both)}."]
        if errors:
            raise InvalidCoverageRequest("Planification impossible : voir « errors ».", errors)

    def cost(self, index: int) -> int:
        return self.candidates[index].half_days * self.visits_per_month


@dataclass(frozen=True)
class Selection:
    chosen: tuple[str, ...]
    covered: tuple[str, ...]
    covered_population: int
    half_days_used: int
    is_optimal: bool


def covered_population(problem: SelectionProblem, chosen: Sequence[int]) -> int:
    """People of the demands covered by these candidates (for checks and exhaustive search)."""
    covered = {demand for index in chosen for demand in problem.covers[index]}
    return sum(problem.demands[i].population for i in covered)


def select_stops(
    problem: SelectionProblem, *, time_limit_s: float = DEFAULT_TIME_LIMIT_S, workers: int = 1
) -> Selection:
    """The best stops (optimal unless the time limit stops the search first)."""
    model = cp_model.CpModel()
    picks = [model.new_bool_var(f"stop_{c.key}") for c in problem.candidates]
    covered = [model.new_bool_var(f"covered_{d.key}") for d in problem.demands]
    covering: list[list[int]] = [[] for _ in problem.demands]
    for candidate, demands in enumerate(problem.covers):
        for demand in demands:
            covering[demand].append(candidate)
    for demand, candidates in enumerate(covering):
        if candidates:
            model.add_bool_or([picks[c] for c in candidates]).only_enforce_if(covered[demand])
        else:
            model.add(covered[demand] == 0)
    model.add(sum(picks) <= problem.max_stops)
    model.add(sum(problem.cost(i) * pick for i, pick in enumerate(picks)) <= problem.half_days)
    for index, place in enumerate(problem.candidates):
        if place.key in problem.must_include:
            model.add(picks[index] == 1)
        if place.key in problem.must_exclude:
            model.add(picks[index] == 0)
    people = sum(d.population * covered[i] for i, d in enumerate(problem.demands))
    # Lexicographic: most people first, then fewest stops.
    model.maximize(people * (len(picks) + 1) - sum(picks))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_s
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = 0
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        message = (
            "Aucun plan ne tient dans la capacité du bus avec les arrêts imposés : "
            "augmentez les demi-journées ou retirez des arrêts imposés."
        )
        raise InvalidCoverageRequest(message, {"must_include": [message]})
    chosen = [i for i, pick in enumerate(picks) if solver.value(pick)]
    covered_keys = sorted({problem.demands[d].key for i in chosen for d in problem.covers[i]})
    return Selection(
        chosen=tuple(problem.candidates[i].key for i in chosen),
        covered=tuple(covered_keys),
        covered_population=covered_population(problem, chosen),
        half_days_used=sum(problem.cost(i) for i in chosen),
        is_optimal=status == cp_model.OPTIMAL,
    )
