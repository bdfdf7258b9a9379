"""The small interface between the search logic and a full-text engine.

`directory.search.engine` understands the query (synonyms, places, typos), handles
distances, opening hours, sorting and pages; an index only answers `SearchIndex.match`:
which documents satisfy these clauses and filters, with which relevance. The real
implementation is `directory.search.whoosh_index.WhooshSearchIndex`; unit tests may use
`directory.search.fake.InMemorySearchIndex`, which obeys the same contract.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from directory.search.documents import PartnerDocument
from directory.search.gazetteer import Gazetteer
from directory.search.thesaurus import Thesaurus

# Weight of each part of a partner's text in its single indexed text: the words of the
# name count three times, those of the kind and commune twice (term frequency, BM25).
TEXT_WEIGHTS = {"name": 3, "kind": 2, "place": 2, "body": 1, "area": 1, "address": 1}
RIGHT_MATCH_SCORE = 4.0
KIND_MATCH_SCORE = 3.0
RIGHT_WORD_SCORE = 1.5
HELP_LEVELS = ("information", "accompagnement", "instruction")


@dataclass(frozen=True)
class WordMatch:
    """One query word: found as one of ``stems`` in a text field, or as a word of the name
    of one of ``rights`` offered by the partner (« logement » → aides au logement, FSL)."""

    stems: tuple[str, ...]
    rights: frozenset[str] = frozenset()


@dataclass(frozen=True)
class TextClause:
    """Satisfied by a document that has one of ``rights``, is of one of ``kinds``, or
    matches every word of ``words``."""

    words: tuple[WordMatch, ...] = ()
    rights: frozenset[str] = frozenset()
    kinds: frozenset[str] = frozenset()
    required: bool = True


@dataclass(frozen=True)
class IndexFilters:
    """Exact filters; an empty tuple means "no constraint", values of a tuple are ORed."""

    kinds: tuple[str, ...] = ()
    right_slugs: tuple[str, ...] = ()
    help_levels: tuple[str, ...] = ()
    insee_codes: tuple[str, ...] = ()
    epci_sirens: tuple[str, ...] = ()
    departement_codes: tuple[str, ...] = ()
    accessibility: tuple[str, ...] = ()
    appointment: tuple[str, ...] = ()
    include_demo: bool = True
    circle: tuple[float, float, float] | None = None  # (lon, lat, radius_m): within it


@dataclass(frozen=True)
class MatchQuery:
    clauses: tuple[TextClause, ...] = ()
    filters: IndexFilters = IndexFilters()
    relaxed: bool = False  # True: any one clause suffices instead of all required ones
    limit: int | None = None  # None: every match, in no particular order
    max_scanned: int | None = None  # stop after this many matches (very broad queries)


@dataclass(frozen=True)
class Candidate:
    partner_id: int
    relevance: float
    lon: float | None
    lat: float | None
    distance_m: float | None = None  # from the centre of ``IndexFilters.circle``, if any


@dataclass(frozen=True)
class MatchResult:
    candidates: list[Candidate]
    total: int
    total_is_exact: bool


@dataclass(frozen=True)
class Payload:
    """What a hit needs from the index, without a database round trip."""

    partner_id: int
    name: str
    kind: str
    insee_code: str | None
    departement_code: str | None
    opening_hours: str | None
    services: tuple[tuple[str, str], ...]  # (right slug, help level)


@dataclass(frozen=True)
class IndexStats:
    document_count: int
    last_built_at: datetime | None
    latest_update: datetime | None  # the most recent ``Partner.updated_at`` indexed


class SearchIndex(Protocol):
    @property
    def thesaurus(self) -> Thesaurus: ...

    @property
    def gazetteer(self) -> Gazetteer: ...

    def match(self, query: MatchQuery) -> MatchResult: ...

    def estimate(self, query: MatchQuery) -> int:
        """A cheap upper bound of the number of matches (filters and clauses, no circle)."""
        ...

    def payloads(self, partner_ids: Sequence[int]) -> dict[int, Payload]: ...

    def is_known_word(self, word: str) -> bool:
        """Does a folded, unstemmed word occur in some document?"""
        ...

    def corrections(self, word: str, max_distance: int) -> list[str]:
        """Known words within ``max_distance`` edits of ``word``, most frequent first."""
        ...

    def write(self, documents: Sequence[PartnerDocument], deleted_ids: Sequence[int]) -> None:
        """Add or replace ``documents`` and remove ``deleted_ids``, atomically."""
        ...

    def stats(self) -> IndexStats: ...
