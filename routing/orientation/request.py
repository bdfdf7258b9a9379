"""What an orientation is asked: the rights, the place and the person's profile.

Coordinates are ``(lon, lat)`` WGS 84 degrees. Stored values are ASCII codes; their French
labels come from mappings (``AGE_BAND_LABELS``).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

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
