"""Travel times in seconds between (lon, lat) points, behind a small protocol.

The default :class:`EstimatedTravelTimes` does not know the road or transit network: it
multiplies the straight-line (geodesic) distance by a detour factor and divides by a
typical speed, plus fixed times (reaching the car or the stop, waiting). Every answer says
so (``is_estimate=True``) and carries its assumptions in French. A routing engine (OSRM,
see :mod:`geodata.osrm`, or Valhalla) can replace it by configuration: see docs/GEODATA.md.

Assumptions (sources: usual circuity of French road networks 1.2–1.4; walking speed of
4.5 km/h as in most journey planners; 20 km/h average commercial speed for urban buses):

* walking: 1.3 × distance at 4.5 km/h;
* car: 1.3 × distance, 3 min to reach and park the car, 30 km/h for the first 5 km
  (town streets), 70 km/h beyond;
* public transport: 1.4 × distance at 20 km/h, plus 10 min walking to and from the stops
  and 10 min of waiting (half of a 20-min headway); when walking is faster, the walking
  time is given. It says nothing about whether a line exists: in rural areas there may be
  none, or a few a day.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from geodata.distance import geodesic_distance_m

LonLat = tuple[float, float]


class TravelMode(enum.StrEnum):
    WALKING = "walking"
    CAR = "car"
    PUBLIC_TRANSPORT = "public_transport"


TRAVEL_MODE_LABELS = {
    TravelMode.WALKING: "à pied",
    TravelMode.CAR: "en voiture",
    TravelMode.PUBLIC_TRANSPORT: "en transports en commun",
}


@dataclass(frozen=True)
class TravelTime:
    """Time and distance of one trip. ``distance_m`` is along the way (estimated or routed)."""

    mode: TravelMode
    travel_time_s: int
    distance_m: float
    straight_distance_m: float
    is_estimate: bool
    method: str
    assumptions: str

    @property
    def travel_time_min(self) -> int:
        """Rounded up to the minute, for display."""
        return -(-self.travel_time_s // 60)


class TravelTimeProvider(Protocol):
    """Travel times from one origin to several destinations (same order), for one mode."""

    def travel_times(
        self, origin: LonLat, destinations: Sequence[LonLat], mode: TravelMode
    ) -> list[TravelTime]:
        """One :class:`TravelTime` per destination; never raises for reachable input."""
        ...


@dataclass(frozen=True)
class SpeedStep:
    up_to_m: float | None
    speed_m_s: float


@dataclass(frozen=True)
class ModeAssumptions:
    detour_factor: float
    fixed_time_s: float
    steps: tuple[SpeedStep, ...]
    description: str
    walk_if_faster: bool = False

    def time_s(self, way_m: float) -> float:
        remaining, covered, total = way_m, 0.0, self.fixed_time_s
        for step in self.steps:
            span = remaining if step.up_to_m is None else min(remaining, step.up_to_m - covered)
            if span <= 0:
                continue
            total += span / step.speed_m_s
            remaining -= span
            covered += span
        return total


def _kmh(value: float) -> float:
    return value / 3.6


DEFAULT_ASSUMPTIONS = {
    TravelMode.WALKING: ModeAssumptions(
        detour_factor=1.3,
        fixed_time_s=0.0,
        steps=(SpeedStep(None, _kmh(4.5)),),
        description="Estimation : distance à vol d'oiseau × 1,3, à 4,5 km/h.",
    ),
    TravelMode.CAR: ModeAssumptions(
        detour_factor=1.3,
        fixed_time_s=180.0,
        steps=(SpeedStep(5_000.0, _kmh(30.0)), SpeedStep(None, _kmh(70.0))),
        description=(
            "Estimation : distance à vol d'oiseau × 1,3 ; 30 km/h sur les 5 premiers km, "
            "70 km/h au-delà ; 3 min pour rejoindre et garer la voiture. Sans embouteillages."
        ),
    ),
    TravelMode.PUBLIC_TRANSPORT: ModeAssumptions(
        detour_factor=1.4,
        fixed_time_s=1_200.0,
        steps=(SpeedStep(None, _kmh(20.0)),),
        description=(
            "Estimation : distance à vol d'oiseau × 1,4 à 20 km/h, plus 10 min de marche "
            "vers et depuis les arrêts et 10 min d'attente. Ne garantit pas qu'une ligne "
            "existe : hors des villes, l'offre peut être absente ou rare."
        ),
        walk_if_faster=True,
    ),
}


class EstimatedTravelTimes:
    """Honest estimates from the straight-line distance; no network data needed."""

    method = "estimate"

    def __init__(self, assumptions: dict[TravelMode, ModeAssumptions] | None = None) -> None:
        self.assumptions = {**DEFAULT_ASSUMPTIONS, **(assumptions or {})}

    def travel_time(self, origin: LonLat, destination: LonLat, mode: TravelMode) -> TravelTime:
        straight_m = geodesic_distance_m(origin[0], origin[1], destination[0], destination[1])
        rule = self.assumptions[mode]
        way_m = straight_m * rule.detour_factor
        time_s = rule.time_s(way_m)
        description = rule.description
        if rule.walk_if_faster:
            walking = self.assumptions[TravelMode.WALKING]
            walking_s = walking.time_s(straight_m * walking.detour_factor)
            if walking_s <= time_s:
                time_s, way_m = walking_s, straight_m * walking.detour_factor
                description = f"{walking.description} (plus rapide à pied qu'en transports)"
        return TravelTime(
            mode=mode,
            travel_time_s=round(time_s),
            distance_m=round(way_m, 1),
            straight_distance_m=round(straight_m, 1),
            is_estimate=True,
            method=self.method,
            assumptions=description,
        )

    def travel_times(
        self, origin: LonLat, destinations: Sequence[LonLat], mode: TravelMode
    ) -> list[TravelTime]:
        return [self.travel_time(origin, destination, mode) for destination in destinations]

    def reach_m(self, mode: TravelMode, time_s: float) -> float:
        """The longest straight-line distance these estimates cover within ``time_s``.

        Every estimate grows with the distance, so places farther than this are never
        within ``time_s``: batch callers can skip asking about them.
        """
        low, high = 0.0, 18.0  # degrees of latitude north of the origin
        origin = (0.0, 45.0)
        for _ in range(48):
            middle = (low + high) / 2
            if self.travel_time(origin, (0.0, 45.0 + middle), mode).travel_time_s <= time_s:
                low = middle
            else:
                high = middle
        return geodesic_distance_m(0.0, 45.0, 0.0, 45.0 + high)
