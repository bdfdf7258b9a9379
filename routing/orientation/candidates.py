"""Plain candidate partners for one right: the input of the pure ranking functions.

A `Candidate` is built from the database by :mod:`routing.orientation.loading`, or by hand
in unit tests. It already knows whether the partner serves the person's commune (and at
which level) and how long the trip takes, so ranking needs no database.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from directory.hours import Closure
from routing.orientation.request import LonLat


class AreaMatch(enum.StrEnum):
    """How the partner's zone d'intervention covers the person's commune."""

    COMMUNE = "commune"
    EPCI = "epci"
    DEPARTEMENT = "departement"
    FRANCE = "france"
    OTHER = "other"  # served (resolved communes) through an area we cannot name
    OUTSIDE = "outside"


@dataclass(frozen=True)
class Travel:
    """Trip from the person to the partner (estimated or routed)."""

    mode: str  # geodata TravelMode value: walking, car, public_transport
    mode_label: str  # "en voiture"
    travel_time_s: int
    straight_distance_m: float


@dataclass(frozen=True)
class Candidate:
    partner_id: int
    name: str
    kind: str
    help_level: str
    area_match: AreaMatch
    area_label: str  # "Arras", "CU d'Arras", "Pas-de-Calais", "toute la France", areas served
    address: str
    location: LonLat | None
    travel: Travel | None
    departement_code: str
    insee_code: str | None = None
    opening_hours: str | None = None
    closures: tuple[Closure, ...] = ()
    appointment: str = "inconnu"
    accessibility: str = "inconnu"
    languages: tuple[str, ...] = ("fr",)
    publics: tuple[str, ...] = ()
    phone: str | None = None
    website: str | None = None
    is_location_doubtful: bool = False
    is_demo: bool = False
    verified_at: date | None = None  # when its information was last known true
    is_current: bool = True  # False: « à confirmer » (see directory.confirmation)

    @property
    def is_in_service_area(self) -> bool:
        return self.area_match is not AreaMatch.OUTSIDE

    @property
    def distance_m(self) -> float | None:
        return None if self.travel is None else self.travel.straight_distance_m
