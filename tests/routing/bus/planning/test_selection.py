"""Stop selection (CP-SAT) equals exhaustive search on small instances: capacity in
half-days, minimum return frequency, imposed and refused stops."""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from routing.bus.planning.selection import (
    Candidate,
    Demand,
    SelectionProblem,
    covered_population,
    select_stops,
)
from routing.errors import InvalidCoverageRequest


def exhaustive_best(problem: SelectionProblem) -> int:
    """The most people any allowed set of stops covers, by trying every set."""
    best = 0
    indexes = range(len(problem.candidates))
    for size in range(problem.max_stops + 1):
        for chosen in itertools.combinations(indexes, size):
            keys = {problem.candidates[i].key for i in chosen}
            if not problem.must_include <= keys or keys & problem.must_exclude:
                continue
            if sum(problem.cost(i) for i in chosen) > problem.half_days:
                continue
            best = max(best, covered_population(problem, chosen))
    return best


def random_problem(seed: int) -> SelectionProblem:
    rng = random.Random(seed)
    demands = tuple(Demand(f"d{i}", rng.randint(50, 3000)) for i in range(rng.randint(4, 14)))
    candidates = tuple(Candidate(f"c{j}", rng.choice([1, 1, 2])) for j in range(rng.randint(3, 9)))
    covers = tuple(
        tuple(sorted(rng.sample(range(len(demands)), rng.randint(0, min(5, len(demands))))))
        for _ in candidates
    )
    keys = [c.key for c in candidates]
    include = frozenset(rng.sample(keys, rng.choice([0, 0, 1])))
    exclude = frozenset(rng.sample([k for k in keys if k not in include], rng.choice([0, 1])))
    return SelectionProblem(
        demands=demands,
        candidates=candidates,
        covers=covers,
        max_stops=rng.randint(1, 4),
        half_days=rng.randint(2, 8),
        visits_per_month=rng.choice([1, 1, 2]),
        must_include=include,
        must_exclude=exclude,
    )


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10**6))
def test_cp_sat_finds_the_optimum_of_exhaustive_search(seed: int) -> None:
    problem = random_problem(seed)
    try:
        selection = select_stops(problem)
    except InvalidCoverageRequest:
        assert (
            sum(
                problem.cost(i)
                for i, c in enumerate(problem.candidates)
                if c.key in problem.must_include
            )
            > problem.half_days
            or len(problem.must_include) > problem.max_stops
        )
        return
    assert selection.is_optimal
    assert selection.covered_population == exhaustive_best(problem)
    chosen = set(selection.chosen)
    assert problem.must_include <= chosen and not chosen & problem.must_exclude
    assert len(chosen) <= problem.max_stops
    assert selection.half_days_used <= problem.half_days


def test_a_stop_that_brings_nobody_is_not_proposed() -> None:
    problem = SelectionProblem(
        demands=(Demand("far", 500),),
        candidates=(Candidate("useful"), Candidate("useless")),
        covers=((0,), ()),
        max_stops=2,
        half_days=4,
    )
    selection = select_stops(problem)
    assert selection.chosen == ("useful",) and selection.covered == ("far",)


def test_the_return_frequency_uses_capacity() -> None:
    # Two visits a month each: 4 half-days hold two stops, not three.
    problem = SelectionProblem(
        demands=(Demand("a", 100), Demand("b", 200), Demand("c", 300)),
        candidates=(Candidate("ca"), Candidate("cb"), Candidate("cc")),
        covers=((0,), (1,), (2,)),
        max_stops=3,
        half_days=4,
        visits_per_month=2,
    )
    selection = select_stops(problem)
    assert set(selection.chosen) == {"cb", "cc"} and selection.covered_population == 500
    assert selection.half_days_used == 4


def test_bad_requests_are_refused_in_french() -> None:
    with pytest.raises(InvalidCoverageRequest) as caught:
        SelectionProblem((), (Candidate("a"),), ((),), 1, 1, must_include=frozenset({"zz"}))
    assert "must_include" in caught.value.field_errors
    impossible = SelectionProblem(
        (Demand("d", 10),),
        (Candidate("a", half_days=2), Candidate("b")),
        ((0,), (0,)),
        max_stops=2,
        half_days=1,
        must_include=frozenset({"a"}),
    )
    with pytest.raises(InvalidCoverageRequest) as caught:
        select_stops(impossible)
    assert "capacité" in caught.value.message
