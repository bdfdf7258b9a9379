"""The reach of the estimates: places within it are within the time, places beyond are not."""

from __future__ import annotations

import pytest

from geodata.distance import geodesic_distance_m
from geodata.travel_time import EstimatedTravelTimes, TravelMode

ORIGIN = (1.44, 43.6)


def point_at(distance_m: float) -> tuple[float, float]:
    """A point about ``distance_m`` north of the origin (re-measured by the caller)."""
    return ORIGIN[0], ORIGIN[1] + distance_m / 111_130.0


@pytest.mark.parametrize("mode", list(TravelMode))
@pytest.mark.parametrize("minutes", [10, 30, 90])
def test_reach_separates_places_within_the_time_from_places_beyond(
    mode: TravelMode, minutes: int
) -> None:
    estimates = EstimatedTravelTimes()
    reach = estimates.reach_m(mode, minutes * 60)
    inside, outside = point_at(reach * 0.98), point_at(reach * 1.02)
    assert geodesic_distance_m(*ORIGIN, *inside) < reach < geodesic_distance_m(*ORIGIN, *outside)
    assert estimates.travel_time(ORIGIN, inside, mode).travel_time_s <= minutes * 60
    assert estimates.travel_time(ORIGIN, outside, mode).travel_time_s > minutes * 60
