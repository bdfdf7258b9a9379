"""What an orientation is asked (request, profile, place) and what it answers (frozen results).

Coordinates are ``(lon, lat)`` WGS 84 degrees; every quantity carries its unit in its name.
Texts meant for people (reasons, notices, labels) are French; stored values are ASCII codes.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime

from directory.links import OnlineProcedure
from routing.errors import InvalidOrientationRequest

LonLat = tuple[float, float]


class AgeBand(enum.StrEnum):
    UNDER_25 = "moins-de-25"
    FROM_25_TO_59 = "25-59"
    FROM_60_TO_64 = "60-64"
    FROM_65 = "65-et-plus"


AGE_BAND_LABELS = {
    AgeBand.UNDER_25: "Moins de 25 ans",
    AgeBand.FROM_25_TO_59: "De 25 à 59 ans",
    AgeBand.FROM_60_TO_64: "De 60 à 64 ans",
    AgeBand.FROM_65: "65 ans ou plus",
}


@dataclass(frozen=True)
class Profile:
    """What the beneficiary tells about their situation; everything is optional.

    ``language`` is an ISO 639-1 code (``"ar"``); French is assumed when it is None.
    """

    age_band: AgeBand | None = None
    is_agricultural: bool = False
    has_car: bool = True
    needs_digital_help: bool = False
    language: str | None = None
    has_reduced_mobility: bool = False


class PlacePrecision(enum.StrEnum):
    """How precisely the place is known, from the most to the least precise."""

    POINT = "point"
    HOUSENUMBER = "housenumber"
    STREET = "street"
    COMMUNE = "commune"


@dataclass(frozen=True)
class PlaceQuery:
    """Exactly one of: a free-text address, a ``(lon, lat)`` point, an INSEE code."""

    address: str | None = None
    point: LonLat | None = None
    insee_code: str | None = None

    def __post_init__(self) -> None:
        given = [v for v in (self.address, self.point, self.insee_code) if v not in (None, "")]
        if len(given) != 1:
            raise InvalidOrientationRequest(
                "Indiquez un seul lieu : une adresse, un point ou un code INSEE.",
                {"place": ["Un et un seul lieu est attendu."]},
            )


@dataclass(frozen=True)
class OrientationRequest:
    """One or more rights (catalogue slugs), a place and a profile."""

    rights: tuple[str, ...]
    place: PlaceQuery
    profile: Profile = field(default_factory=Profile)
    max_partners: int = 5

    def __post_init__(self) -> None:
        errors: dict[str, list[str]] = {}
        if not self.rights:
            errors["rights"] = ["Choisissez au moins un droit."]
        elif len(set(self.rights)) != len(self.rights):
            errors["rights"] = ["Un même droit est demandé plusieurs fois."]
        if not 1 <= self.max_partners <= 50:
            errors["max_partners"] = ["Entre 1 et 50 partenaires."]
        if errors:
            raise InvalidOrientationRequest("Demande d'orientation invalide.", errors)


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


@dataclass(frozen=True)
class DeciderOrientation:
    """The body that decides on the right for this person, always shown.

    ``partners`` are its offices of the directory serving the commune (best first); when
    there is none, ``online`` (or ``website``) is the remote way to reach it and ``note``
    says plainly that no office is known — no address or phone number is ever made up.
    """

    decider: str
    label: str
    partners: tuple[RankedPartner, ...]
    online: OnlineProcedure | None
    note: str | None


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
