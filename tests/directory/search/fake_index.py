"""An honest in-memory `SearchIndex` for unit tests of the search logic.

Same analysis (`directory.search.analysis`), same clause semantics (required, optional,
relaxed, concepts, rights named by a word), same filters and circles as the whoosh
index; scores are a plain BM25 over one weighted text, so relative orders on simple cases
match the real index but absolute values do not. Integration tests use the real index.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from directory.search.analysis import index_terms, stem, words
from directory.search.documents import PartnerDocument
from directory.search.protocol import (
    KIND_MATCH_SCORE,
    RIGHT_MATCH_SCORE,
    RIGHT_WORD_SCORE,
    TEXT_WEIGHTS,
    Candidate,
    IndexFilters,
    IndexStats,
    MatchQuery,
    MatchResult,
    Payload,
    TextClause,
    WordMatch,
)
from directory.search.thesaurus import Thesaurus
from geodata.distance import haversine_m
from geodata.geocoding.fuzzy import osa_distance
from geodata.geocoding.gazetteer import Gazetteer

_K1 = 1.2
_B = 0.75


@dataclass(frozen=True)
class _Entry:
    document: PartnerDocument
    terms: Counter[str]
    length: int
    vocabulary: frozenset[str]


class InMemorySearchIndex:
    def __init__(
        self,
        documents: Sequence[PartnerDocument] = (),
        *,
        thesaurus: Thesaurus | None = None,
        gazetteer: Gazetteer | None = None,
        built_at: datetime | None = None,
    ) -> None:
        self._thesaurus = thesaurus or Thesaurus()
        self._gazetteer = gazetteer or Gazetteer()
        self._built_at = built_at
        self._entries: dict[int, _Entry] = {}
        self.writes = 0
        self.write(documents, ())
        self.writes = 0

    @property
    def thesaurus(self) -> Thesaurus:
        return self._thesaurus

    @property
    def gazetteer(self) -> Gazetteer:
        return self._gazetteer

    def write(self, documents: Sequence[PartnerDocument], deleted_ids: Sequence[int]) -> None:
        for partner_id in deleted_ids:
            self._entries.pop(partner_id, None)
        for document in documents:
            texts = document.texts()
            terms: Counter[str] = Counter()
            for name, text in texts.items():
                for term in index_terms(text):
                    terms[term] += TEXT_WEIGHTS[name]
            self._entries[document.partner_id] = _Entry(
                document, terms, sum(terms.values()), frozenset(words(" ".join(texts.values())))
            )
        self.writes += 1

    def match(self, query: MatchQuery) -> MatchResult:
        entries = [e for _, e in sorted(self._entries.items()) if self._passes(e, query.filters)]
        average = sum(e.length for e in entries) / len(entries) if entries else 1.0
        found: list[Candidate] = []
        for entry in entries:
            score = self._score(entry, query, average)
            if score is not None:
                document = entry.document
                found.append(Candidate(document.partner_id, score, document.lon, document.lat))
        exact = query.max_scanned is None or len(found) <= query.max_scanned
        if not exact:
            found = found[: query.max_scanned]
        total = len(found)
        if query.limit is not None:
            found.sort(key=lambda c: (-c.relevance, c.partner_id))
            found = found[: query.limit]
        return MatchResult(found, total, exact)

    def _score(self, entry: _Entry, query: MatchQuery, average: float) -> float | None:
        scores = [(c, self._clause_score(entry, c, average)) for c in query.clauses]
        if query.relaxed:
            matched = [s for _, s in scores if s is not None]
            return sum(matched) if matched else None
        if any(s is None for c, s in scores if c.required):
            return None
        return sum(s for _, s in scores if s is not None)

    def _clause_score(self, entry: _Entry, clause: TextClause, average: float) -> float | None:
        total = 0.0
        matched = False
        word_scores = [self._word_score(entry, word, average) for word in clause.words]
        if word_scores and all(s is not None for s in word_scores):
            total += sum(s for s in word_scores if s is not None)
            matched = True
        if clause.rights & set(entry.document.right_slugs):
            total += RIGHT_MATCH_SCORE
            matched = True
        if entry.document.kind in clause.kinds:
            total += KIND_MATCH_SCORE
            matched = True
        return total if matched else None

    def _word_score(self, entry: _Entry, word: WordMatch, average: float) -> float | None:
        total = 0.0
        matched = False
        for term in word.stems:
            frequency = entry.terms.get(term, 0)
            if frequency:
                norm = _K1 * (1 - _B + _B * entry.length / average)
                total += self._idf(term) * frequency * (_K1 + 1) / (frequency + norm)
                matched = True
        if word.rights & set(entry.document.right_slugs):
            total += RIGHT_WORD_SCORE
            matched = True
        return total if matched else None

    def _idf(self, term: str) -> float:
        count = sum(1 for e in self._entries.values() if term in e.terms)
        return math.log(1 + (len(self._entries) - count + 0.5) / (count + 0.5))

    @staticmethod
    def _passes(entry: _Entry, filters: IndexFilters) -> bool:
        document = entry.document
        services = {(s.right_slug, s.help_level) for s in document.services}
        checks = (
            (filters.kinds, document.kind),
            (filters.insee_codes, document.insee_code),
            (filters.epci_sirens, document.epci_siren),
            (filters.departement_codes, document.departement_code),
            (filters.accessibility, document.accessibility),
            (filters.appointment, document.appointment),
        )
        if any(wanted and value not in wanted for wanted, value in checks):
            return False
        if filters.right_slugs and not any(
            slug in filters.right_slugs
            and (not filters.help_levels or level in filters.help_levels)
            for slug, level in services
        ):
            return False
        if filters.help_levels and not any(level in filters.help_levels for _, level in services):
            return False
        if not filters.include_demo and document.is_demo:
            return False
        if filters.verified_since is not None and (
            document.verified_at is None or document.verified_at < filters.verified_since
        ):
            return False
        if filters.circle is None:
            return True
        lon, lat, radius_m = filters.circle
        if document.lon is None or document.lat is None:
            return False
        return haversine_m(lon, lat, document.lon, document.lat) <= radius_m

    def estimate(self, query: MatchQuery) -> int:
        return self.match(replace(query, filters=replace(query.filters, circle=None))).total

    def payloads(self, partner_ids: Sequence[int]) -> dict[int, Payload]:
        found = {}
        for partner_id in partner_ids:
            entry = self._entries.get(partner_id)
            if entry is not None:
                d = entry.document
                services = tuple((s.right_slug, s.help_level) for s in d.services)
                found[partner_id] = Payload(
                    d.partner_id, d.name, d.kind, d.insee_code, d.departement_code,
                    d.opening_hours, services,
                )  # fmt: skip
        return found

    def is_known_word(self, word: str) -> bool:
        word_stem = stem(word)
        return any(word in e.vocabulary or word_stem in e.terms for e in self._entries.values())

    def corrections(self, word: str, max_distance: int) -> list[str]:
        counts: Counter[str] = Counter()
        for entry in self._entries.values():
            counts.update(entry.vocabulary)
        near = [
            known
            for known in counts
            if known != word
            and known[:2] == word[:2]
            and osa_distance(word, known, limit=max_distance) <= max_distance
        ]
        return sorted(near, key=lambda known: (-counts[known], known))[:3]

    def stats(self) -> IndexStats:
        latest = max((e.document.updated_at for e in self._entries.values()), default=None)
        return IndexStats(len(self._entries), self._built_at, latest)
