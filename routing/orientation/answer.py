"""What an orientation answers: the resolved place and, for each right, the ranked partners
with their reasons, the deciding bodies, bus visits and remote channels (frozen results).

Every quantity carries its unit in its name. Texts meant for people (reasons, notices,
labels) are French; stored values are ASCII codes.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime

from directory.links import OnlineProcedure
from routing.orientation.request import LonLat, Profile


class PlacePrecision(enum.StrEnum):
    """How precisely the place is known, from the most to the least precise."""

    POINT = "point"
    HOUSENUMBER = "housenumber"
    STREET = "street"
    COMMUNE = "commune"


@dataclass(frozen=True)
class ResolvedPlace:
    """Where the beneficiary is: a point, its commune and how precisely it is known."""

    label: str
    lon: float
    lat: float
    insee_code: str
    commune_name: str
    departement_code: str
    departement_name: str
    epci_siren: str | None
    epci_name: str | None
    precision: PlacePrecision
    notes: tuple[str, ...] = ()

    @property
    def lon_lat(self) -> LonLat:
        return (self.lon, self.lat)

    @property
    def is_approximate(self) -> bool:
        return self.precision is PlacePrecision.COMMUNE


@dataclass(frozen=True)
class Reason:
    """One scorer's verdict: its name, value in [0, 1], weight, and the French sentence."""

    scorer: str
    value: float
    weight: float
    text: str


@dataclass(frozen=True)
class RankedPartner:
    """A proposed partner, with why it is proposed and what to bring."""

    rank: int
    partner_id: int
    name: str
    kind: str
    kind_label: str
    address: str
    phone: str | None
    website: str | None
    location: LonLat | None
    distance_m: float | None
    travel_time_s: int | None
    travel_mode: str | None
    help_level: str
    help_level_label: str
    is_in_service_area: bool
    opening_status: str
    score: float
    reasons: tuple[Reason, ...]
    documents: tuple[str, ...]
    is_demo: bool
    verified_at: date | None = None
    is_current: bool = True  # False: « à confirmer », ranked after every current partner


@dataclass(frozen=True)
class PossibleOffice:
    """An office of the deciding body within reach whose information is « à confirmer »:
    shown apart, with the date of its information, never as a current address."""

    partner_id: int
    name: str
    address: str
    phone: str | None
    verified_at: date | None
    distance_m: float | None
    travel_time_s: int | None
    travel_mode: str | None


@dataclass(frozen=True)
class DeciderOrientation:
    """The body that decides on the right for this person, always shown.

    ``partners`` are its current offices of the directory serving the commune (best
    first); when there is none, ``online`` (or ``website``) is the remote way to reach it
    and ``note`` says plainly that no current office is known — no address or phone number
    is ever made up. ``possible_offices`` are its offices within reach whose information is
    old (« lieux possibles, à vérifier »), nearest first, beside that remote channel.
    """

    decider: str
    label: str
    partners: tuple[RankedPartner, ...]
    online: OnlineProcedure | None
    note: str | None
    possible_offices: tuple[PossibleOffice, ...] = ()


@dataclass(frozen=True)
class RemoteChannel:
    """A way to act without travelling: ``kind`` is ``online`` or ``phone``."""

    kind: str
    label: str
    url: str | None = None
    phone: str | None = None
    partner_id: int | None = None


@dataclass(frozen=True)
class BusVisitOption:
    """A coming visit of a bus des droits within reach (times in the place's time zone)."""

    visit_id: int
    route_name: str
    stop_name: str
    street: str | None
    commune_name: str
    starts_at: datetime
    ends_at: datetime
    distance_m: float
    travel_time_s: int
    travel_mode: str
    text: str
    is_demo: bool


@dataclass(frozen=True)
class RightOrientation:
    """Everything about one asked right at this place for this person."""

    right_slug: str
    right_name: str
    right_short_name: str
    partners: tuple[RankedPartner, ...]
    deciders: tuple[DeciderOrientation, ...]
    decider_note: str
    documents: tuple[str, ...]
    bus_visits: tuple[BusVisitOption, ...]
    remote_channels: tuple[RemoteChannel, ...]
    has_nearby_partner: bool
    notices: tuple[str, ...]


@dataclass(frozen=True)
class OrientationResult:
    place: ResolvedPlace
    profile: Profile
    at: datetime
    rights: tuple[RightOrientation, ...]
