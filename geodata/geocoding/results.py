"""What every geocoder returns, and the protocol they all follow."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy.orm import Session

MAX_SUGGESTIONS = 10


class Precision(enum.StrEnum):
    """How precisely the point locates what was typed, from the most to the least precise."""

    HOUSENUMBER = "housenumber"
    STREET = "street"
    COMMUNE = "commune"
    POSTCODE = "postcode"


PRECISION_NOTES = {
    Precision.HOUSENUMBER: "adresse trouvée au numéro",
    Precision.STREET: "position approximative (voie ou lieu-dit)",
    Precision.COMMUNE: "position approximative (centre de la commune)",
    Precision.POSTCODE: "position approximative (centre d'une commune de ce code postal)",
}

OFFLINE_SOURCE = "offline"
BAN_API_SOURCE = "ban-api"


@dataclass(frozen=True)
class GeocodingResult:
    """One candidate place for a query. ``lon``/``lat`` are WGS 84 degrees.

    ``score`` is between 0 and 1 (higher is better); results of one query are sorted by it.
    ``notes`` are French sentences for the person who typed the query (approximate
    position, street not found, local fallback…).
    """

    label: str
    lon: float
    lat: float
    insee_code: str
    city: str
    postcode: str | None
    precision: Precision
    score: float
    context: str = ""
    source: str = OFFLINE_SOURCE
    notes: tuple[str, ...] = field(default=())

    @property
    def is_approximate(self) -> bool:
        """True when only the commune (or a commune of the postcode) is known."""
        return self.precision in (Precision.COMMUNE, Precision.POSTCODE)

    @property
    def precision_note(self) -> str:
        return PRECISION_NOTES[self.precision]

    @property
    def lon_lat(self) -> tuple[float, float]:
        return (self.lon, self.lat)


class Geocoder(Protocol):
    """Turns what people type into places. Implementations never raise on bad text.

    ``geocode`` takes a full query ("12 rue des Capucins 62000 Arras", "Cadours", "31800")
    and returns at most ``limit`` results, best first, or an empty list. ``autocomplete``
    takes what is being typed in a search box and returns at most ``limit`` (≤ 10)
    suggestions. Both may use ``session`` to read the bundled or imported data.
    """

    def geocode(self, session: Session, query: str, *, limit: int = 5) -> list[GeocodingResult]:
        """Results for a complete query, best first."""
        ...

    def autocomplete(
        self, session: Session, prefix: str, *, limit: int = MAX_SUGGESTIONS
    ) -> list[GeocodingResult]:
        """Suggestions for a query being typed, best first."""
        ...
