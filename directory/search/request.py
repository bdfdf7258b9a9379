"""What a search asks for, and what it answers (frozen dataclasses, no framework)."""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass, field
from datetime import date, datetime

from directory.search.errors import InvalidSearch
from directory.vocabulary import HELP_LEVELS, PARTNER_KINDS

MAX_PER_PAGE = 100
MAX_PAGE = 1000  # with 100 per page: 100 000 results, more than the national directory
MAX_RADIUS_M = 1_000_000
MAX_TEXT_LENGTH = 300


class SortOrder(enum.StrEnum):
    RELEVANCE = "relevance"  # text relevance only
    DISTANCE = "distance"  # nearest first (needs a point: ``near`` or a place in the text)
    COMBINED = "combined"  # relevance × proximity (see `directory.search.engine`)


@dataclass(frozen=True)
class SearchFilters:
    """Filters combined with the text (AND between fields, OR inside a tuple).

    ``insee_codes``/``epci_sirens``/``departement_codes`` are where the partner *is*.
    ``near`` is a (lon, lat) point; ``radius_m`` keeps partners within that distance of it,
    or of the commune named in the text when there is no ``near``.
    ``open_at`` keeps partners known to be open at that aware instant (unknown hours are
    left out). ``accessible_only`` keeps partners declared wheelchair accessible;
    ``without_appointment`` keeps those that receive without an appointment.
    """

    kinds: tuple[str, ...] = ()
    right_slugs: tuple[str, ...] = ()
    help_levels: tuple[str, ...] = ()
    insee_codes: tuple[str, ...] = ()
    epci_sirens: tuple[str, ...] = ()
    departement_codes: tuple[str, ...] = ()
    near: tuple[float, float] | None = None
    radius_m: float | None = None
    open_at: datetime | None = None
    accessible_only: bool = False
    without_appointment: bool = False
    include_demo: bool = True
    # Only partners whose information was known true on or after this day (None: all);
    # `directory.confirmation.ConfirmationPolicy.oldest_current_date` hides those « à
    # confirmer ».
    verified_since: date | None = None


@dataclass(frozen=True)
class SearchRequest:
    text: str = ""
    filters: SearchFilters = field(default_factory=SearchFilters)
    sort: SortOrder | None = None  # None: combined with a point, else relevance
    page: int = 1
    per_page: int = 20
    detect_place: bool = True  # read a commune named in the text as the point (if no ``near``)
    # Départements of the territory served: a commune named in the text is looked for there
    # first (« Mane » is then Mane, Haute-Garonne, not Mane, Alpes-de-Haute-Provence).
    preferred_departements: tuple[str, ...] = ()

    def validate(self) -> None:
        """Raise `InvalidSearch` with every problem, in French, per field."""
        errors: dict[str, list[str]] = {}

        def fail(name: str, message: str) -> None:
            errors.setdefault(name, []).append(message)

        filters = self.filters
        if len(self.text) > MAX_TEXT_LENGTH:
            fail("text", f"Le texte recherché ne doit pas dépasser {MAX_TEXT_LENGTH} caractères.")
        if not 1 <= self.page <= MAX_PAGE:
            fail("page", f"La page doit être comprise entre 1 et {MAX_PAGE}.")
        if not 1 <= self.per_page <= MAX_PER_PAGE:
            fail("per_page", f"Le nombre de résultats par page va de 1 à {MAX_PER_PAGE}.")
        for kind in filters.kinds:
            if kind not in PARTNER_KINDS:
                fail("kinds", f"Type de structure inconnu : « {kind} ».")
        for level in filters.help_levels:
            if level not in HELP_LEVELS:
                fail("help_levels", f"Niveau d'aide inconnu : « {level} ».")
        if filters.near is not None:
            lon, lat = filters.near
            if not (math.isfinite(lon) and math.isfinite(lat)):
                fail("near", "Les coordonnées doivent être des nombres.")
            elif not (-180 <= lon <= 180 and -90 <= lat <= 90):
                fail("near", "Coordonnées hors limites : donnez (longitude, latitude) en degrés.")
        if filters.radius_m is not None and not 0 < filters.radius_m <= MAX_RADIUS_M:
            fail("radius_m", f"Le rayon doit être compris entre 0 et {MAX_RADIUS_M} m.")
        if filters.open_at is not None and filters.open_at.utcoffset() is None:
            fail("open_at", "L'heure d'ouverture demandée doit préciser son fuseau horaire.")
        if errors:
            raise InvalidSearch("Paramètres de recherche invalides.", errors)


@dataclass(frozen=True)
class SearchHit:
    partner_id: int
    name: str
    kind: str
    score: float  # the sort key: relevance, proximity, or both combined (higher is better)
    relevance: float  # text relevance (0 without text)
    distance_m: float | None  # from ``near`` or from the place read in the text
    matched_rights: tuple[str, ...]  # rights asked (text or filter) that this partner offers
    is_open: bool | None  # at ``open_at`` (None: not asked, or hours unknown)
    reasons: tuple[str, ...]  # why it is proposed, in French
    location: tuple[float, float] | None = None  # (lon, lat) as indexed; None: not located


@dataclass(frozen=True)
class SearchPage:
    hits: tuple[SearchHit, ...]
    page: int
    per_page: int
    total: int
    total_is_exact: bool  # False: ``total`` is a lower bound (« au moins … »)
    sort: SortOrder
    place_label: str | None = None  # « Saint-Gaudens (31) » when the text named a commune
    place_insee_code: str | None = None
    searched_radius_m: float | None = None  # the circle results were taken from, if any
    relaxed: bool = False  # no result had every word: results have some of them
    corrections: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (typed, read as)
