"""Trips from the person to candidate places, by the modes their profile allows."""

from __future__ import annotations

from collections.abc import Sequence

from geodata.travel_time import (
    TRAVEL_MODE_LABELS,
    TravelMode,
    TravelTime,
    TravelTimeProvider,
)
from routing.orientation.candidates import Travel
from routing.orientation.request import LonLat, Profile


def modes_for(profile: Profile) -> tuple[TravelMode, ...]:
    """By car when the person has one; otherwise on foot or by public transport."""
    if profile.has_car:
        return (TravelMode.CAR,)
    return (TravelMode.WALKING, TravelMode.PUBLIC_TRANSPORT)


def _travel(time: TravelTime) -> Travel:
    return Travel(
        mode=time.mode.value,
        mode_label=TRAVEL_MODE_LABELS[time.mode],
        travel_time_s=time.travel_time_s,
        straight_distance_m=time.straight_distance_m,
    )


def trips(
    provider: TravelTimeProvider,
    origin: LonLat,
    destinations: Sequence[LonLat | None],
    profile: Profile,
) -> list[Travel | None]:
    """The fastest allowed trip to each destination (None where the place is not located)."""
    located = [d for d in destinations if d is not None]
    if not located:
        return [None] * len(destinations)
    per_mode = [provider.travel_times(origin, located, mode) for mode in modes_for(profile)]
    best = iter(
        [
            _travel(min(options, key=lambda t: t.travel_time_s))
            for options in zip(*per_mode, strict=True)
        ]
    )
    return [None if d is None else next(best) for d in destinations]
