"""The small interface between the search logic and a full-text engine.

`directory.search.engine` understands the query (synonyms, places, typos), handles
distances, opening hours, sorting and pages; an index only answers `SearchIndex.match`:
which documents satisfy these clauses and filters, with which relevance. The real
implementation is `directory.search.whoosh_index.WhooshSearchIndex`; unit tests may use
`tests.directory.search.fake_index.InMemorySearchIndex`, which obeys the same contract.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from typing import Protocol, overload

import numpy as np
from numpy.typing import NDArray

from directory.search.documents import PartnerDocument
from directory.search.thesaurus import Thesaurus
from geodata.geocoding.gazetteer import Gazetteer

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
    verified_since: date | None = None  # only partners verified on or after this day
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
class Trigonometry:
    """What a great-circle distance needs of each point, whatever the centre."""

    phi: NDArray[np.float64]  # latitude, radians
    lam: NDArray[np.float64]  # longitude, radians
    cos_phi: NDArray[np.float64]


@dataclass(frozen=True)
class CandidateColumns:
    """The candidates of a `MatchResult` as columns, row for row (NaN: no value)."""

    partner_ids: NDArray[np.int64]
    relevance: NDArray[np.float64]
    lons: NDArray[np.float64]
    lats: NDArray[np.float64]
    distances: NDArray[np.float64]  # as measured by the index within a circle

    @cached_property
    def trigonometry(self) -> Trigonometry:
        """Computed once per columns: once per query for the matches an index keeps."""
        phi = np.radians(self.lats)
        return Trigonometry(phi=phi, lam=np.radians(self.lons), cos_phi=np.cos(phi))

    @classmethod
    def of(cls, candidates: Sequence[Candidate]) -> CandidateColumns:
        def column(values: list[float | None]) -> NDArray[np.float64]:
            return np.array([np.nan if v is None else v for v in values], dtype=np.float64)

        return cls(
            partner_ids=np.array([c.partner_id for c in candidates], dtype=np.int64),
            relevance=np.array([c.relevance for c in candidates], dtype=np.float64),
            lons=column([c.lon for c in candidates]),
            lats=column([c.lat for c in candidates]),
            distances=column([c.distance_m for c in candidates]),
        )


class CandidateRows(Sequence[Candidate]):
    """The rows of `CandidateColumns` as `Candidate` objects, each made when read."""

    def __init__(self, columns: CandidateColumns) -> None:
        self._columns = columns

    def __len__(self) -> int:
        return len(self._columns.partner_ids)

    @overload
    def __getitem__(self, row: int) -> Candidate: ...

    @overload
    def __getitem__(self, row: slice) -> list[Candidate]: ...

    def __getitem__(self, row: int | slice) -> Candidate | list[Candidate]:
        if isinstance(row, slice):
            return [self[i] for i in range(*row.indices(len(self)))]
        c = self._columns
        return Candidate(
            int(c.partner_ids[row]),
            float(c.relevance[row]),
            _value(c.lons[row]),
            _value(c.lats[row]),
            _value(c.distances[row]),
        )


def _value(number: np.float64) -> float | None:
    return None if np.isnan(number) else float(number)


@dataclass(frozen=True)
class MatchResult:
    candidates: Sequence[Candidate]
    total: int
    total_is_exact: bool

    @classmethod
    def of_columns(cls, columns: CandidateColumns, total: int, exact: bool) -> MatchResult:
        """A result held as columns only (an index's matches: thousands of rows, few read)."""
        result = cls(CandidateRows(columns), total, exact)
        result.__dict__["columns"] = columns  # what `columns` would compute, already there
        return result

    @cached_property
    def columns(self) -> CandidateColumns:
        """Computed once per result: an index may hand the same result to many searches."""
        return CandidateColumns.of(self.candidates)


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
