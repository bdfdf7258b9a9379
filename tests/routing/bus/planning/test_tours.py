"""Tours of the bus: every visit within the working hours and its own window, never during
the lunch break, with the drive between stops, and what cannot fit dropped, not forced."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from routing.bus.planning.tours import (
    DayTour,
    StopVisit,
    TourPlan,
    TourProblem,
    WorkingDay,
    plan_tours,
)

H = 3600
DAYS = (WorkingDay(date(2027, 2, 2)), WorkingDay(date(2027, 2, 4)))


def matrix(size: int, minutes: int = 20) -> list[list[int]]:
    """Every place ``minutes`` apart, except each with itself."""
    return [[0 if a == b else minutes * 60 for b in range(size)] for a in range(size)]


def check_tour(tour: DayTour, problem: TourProblem) -> None:
    day = tour.day
    windows = {v.key: v.window for v in problem.visits}
    assert day.start_s <= tour.leaves_depot_s and tour.back_at_depot_s <= day.end_s
    lunch = (tour.lunch_start_s, tour.lunch_start_s + day.lunch_s)
    assert day.lunch_earliest_s <= tour.lunch_start_s <= day.lunch_latest_s
    previous_place, previous_end = 0, tour.leaves_depot_s
    for visit in tour.visits:
        drive = problem.travel_s[previous_place][visit.stop]
        gap = visit.arrival_s - previous_end
        lunch_in_gap = previous_end <= lunch[0] and lunch[1] <= visit.arrival_s
        assert gap >= drive + (day.lunch_s if lunch_in_gap else 0)
        assert visit.departure_s <= lunch[0] or visit.arrival_s >= lunch[1], "visit during lunch"
        window = windows[visit.key]
        if window is not None:
            assert window[0] <= visit.arrival_s and visit.departure_s <= window[1]
        previous_place, previous_end = visit.stop, visit.departure_s
    assert tour.back_at_depot_s - previous_end >= problem.travel_s[previous_place][0]


def check(plan: TourPlan, problem: TourProblem) -> None:
    for tour in plan.tours:
        check_tour(tour, problem)
    planned = [v.key for tour in plan.tours for v in tour.visits]
    assert sorted(planned + list(plan.dropped)) == sorted(v.key for v in problem.visits)


def test_two_half_day_visits_fit_around_lunch_on_one_day() -> None:
    problem = TourProblem(
        travel_s=matrix(3),
        visits=(
            StopVisit("a", 1, int(2.5 * H)),
            StopVisit("b", 2, int(2.5 * H)),
        ),
        days=DAYS[:1],
    )
    plan = plan_tours(problem)
    check(plan, problem)
    assert plan.dropped == () and len(plan.tours) == 1
    first, second = plan.tours[0].visits
    assert first.departure_s <= plan.tours[0].lunch_start_s < second.arrival_s


def test_windows_are_respected_and_what_cannot_fit_is_dropped() -> None:
    problem = TourProblem(
        travel_s=matrix(5),
        visits=(
            StopVisit("morning-only", 1, 2 * H, window=(9 * H, 12 * H)),
            StopVisit("afternoon-only", 2, 2 * H, window=(14 * H, 17 * H)),
            StopVisit("long", 3, 4 * H),
            StopVisit("too-long", 4, 10 * H),  # longer than a working day
            StopVisit("tight", 4, 3 * H, window=(9 * H, 11 * H)),  # longer than its window
        ),
        days=DAYS,
    )
    plan = plan_tours(problem)
    check(plan, problem)
    assert plan.dropped == ("too-long", "tight")


def test_visits_of_the_same_stop_keep_to_their_part_of_the_month() -> None:
    problem = TourProblem(
        travel_s=matrix(2),
        visits=(StopVisit("x-1", 1, 2 * H, days=(0,)), StopVisit("x-2", 1, 2 * H, days=(1,))),
        days=DAYS,
    )
    plan = plan_tours(problem)
    check(plan, problem)
    assert [(t.day.day, [v.key for v in t.visits]) for t in plan.tours] == [
        (date(2027, 2, 2), ["x-1"]),
        (date(2027, 2, 4), ["x-2"]),
    ]


def test_nothing_to_plan_gives_an_empty_plan() -> None:
    assert plan_tours(TourProblem(matrix(1), (), DAYS)) == TourPlan((), ())


@settings(max_examples=10, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(30, 240),  # minutes on site
            st.one_of(st.none(), st.tuples(st.integers(8, 15), st.integers(2, 9))),
        ),
        min_size=1,
        max_size=7,
    ),
    st.integers(5, 50),
)
def test_random_tours_respect_every_window_and_the_lunch_break(
    visits: list[tuple[int, tuple[int, int] | None]], minutes_apart: int
) -> None:
    problem = TourProblem(
        travel_s=matrix(len(visits) + 1, minutes_apart),
        visits=tuple(
            StopVisit(
                f"v{i}",
                i + 1,
                on_site * 60,
                window=None if w is None else (w[0] * H, min(18, w[0] + w[1]) * H),
            )
            for i, (on_site, w) in enumerate(visits)
        ),
        days=DAYS,
    )
    check(plan_tours(problem, time_limit_s=0.3), problem)
