"""The search index on disk, with whoosh.

Why ``whoosh-reloaded`` rather than ``whoosh``: whoosh 2.7.4 (2016, unmaintained) emits
SyntaxWarnings on Python 3.11 and fails to import under ``-W error``; whoosh-reloaded 2.7.5
is a maintained drop-in fork (same ``import whoosh``, same file format, same speed and
results, measured), so the code below works with either. Never install both: they share
the ``whoosh`` package directory.

Design for speed (see docs/BENCHMARKS.md, section « Recherche »):

* one `WhooshSearchIndex` (hence one searcher) per process, never reopened per query: each
  query only checks that the index generation is unchanged (a directory listing, a few
  microseconds). After a write, a new searcher is opened (~50 ms, once). Not
  ``Searcher.refresh()``: in whoosh-reloaded 2.7.5 it reuses segment readers with their
  *old* deletions (a deleted partner stays findable) and re-adds segments that a merge
  removed; it also fails on an empty index. Tested in ``test_search_whoosh.py``;
* filters (kind, rights, help levels, territory, accessibility, appointment) are exact
  terms ANDed into the text query with a zero constant score, so the engine leapfrogs
  through their short posting lists instead of scoring the whole corpus; a circle becomes
  the sorted list of document numbers inside it (`directory.search.whoosh_positions`);
* positions are not stored (no phrase queries), partner id, longitude, latitude and update
  time are column fields (copied in memory once per generation), the rest a hit needs is
  one stored blob read for the page only;
* a query never counts all results unless asked to (``MatchQuery.limit=None``);
* the stored fields of hits, and the matches of a query without a circle
  (`directory.search.match_cache`), are kept for the searcher's generation: the words of
  searches repeat far more than their points.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from itertools import islice
from pathlib import Path
from typing import Any

from whoosh import collectors, index
from whoosh.searching import Searcher

from directory.search.analysis import stem
from directory.search.documents import PartnerDocument
from directory.search.errors import IndexUnavailable
from directory.search.gazetteer import gazetteer_from_json, search_gazetteer
from directory.search.match_cache import MAX_CACHED_CANDIDATES, MatchCache
from directory.search.protocol import IndexStats, MatchQuery, MatchResult, Payload
from directory.search.thesaurus import Thesaurus
from directory.search.whoosh_positions import Positions
from directory.search.whoosh_query import Capped, to_whoosh_query
from directory.search.whoosh_schema import (
    EPOCH,
    INDEX_NAME,
    META_FILE,
    document_fields,
    index_exists,
    locked_writer,
    read_meta,
)
from geodata.geocoding.gazetteer import Gazetteer

MAX_CORRECTIONS = 3
MAX_KEPT_PAYLOADS = 20_000  # hits' stored fields kept per generation (~0.1 ms each to read)
SETTLED_S = 2  # a directory modified longer ago than this is trusted to be unchanged
TYPO_FREE_PREFIX = 2  # typos are looked for after the first two letters (10x faster)


class WhooshSearchIndex:
    """The `SearchIndex` of one index directory; keep one instance per process."""

    def __init__(
        self, index_dir: Path, *, match_cache_candidates: int = MAX_CACHED_CANDIDATES
    ) -> None:
        self.index_dir = index_dir
        if not index_exists(index_dir):
            raise IndexUnavailable(
                "L'index de recherche est absent ou d'une ancienne version : "
                "lancez « flask search rebuild »."
            )
        self._index = index.open_dir(str(index_dir), indexname=INDEX_NAME)
        self._lock = threading.Lock()
        self._searcher: Searcher = self._index.searcher()
        self._positions: Positions | None = None
        self._latest_update: datetime | None = None
        self._meta_mtime = 0.0
        self._thesaurus = Thesaurus()
        self._gazetteer = search_gazetteer()
        self._built_at: datetime | None = None
        self._matches = MatchCache(max_candidates=match_cache_candidates)
        self._checked_mtime_ns: int | None = None
        self._payloads: dict[int, Payload] = {}  # read from stored fields, per generation
        self._payloads_of: Positions | None = None
        self._load_meta()

    def close(self) -> None:
        with self._lock:
            self._searcher.close()
            self._index.close()

    # -- reading ---------------------------------------------------------------------------

    @property
    def thesaurus(self) -> Thesaurus:
        self._fresh_searcher()
        return self._thesaurus

    @property
    def gazetteer(self) -> Gazetteer:
        self._fresh_searcher()
        return self._gazetteer

    def _fresh_searcher(self) -> Searcher:
        with self._lock:
            if self._directory_unchanged():
                return self._searcher
            if not self._searcher.up_to_date():
                # Not ``refresh()``: see the module docstring.
                self._searcher = self._index.searcher()
                self._positions = None
                self._latest_update = None
                self._load_meta()
            return self._searcher

    def _directory_unchanged(self) -> bool:
        """True when the index directory has not changed since a check that found the
        searcher up to date. A commit adds a table-of-contents file, which changes the
        directory's modification time: one ``stat`` instead of whoosh's listing and name
        matching (~30 µs, asked a dozen times per search). A modification time less than
        `SETTLED_S` old is never trusted (file times tick coarsely: two commits may share
        one)."""
        try:
            mtime_ns = self.index_dir.stat().st_mtime_ns
        except OSError:
            return False
        settled = time.time_ns() - mtime_ns > SETTLED_S * 1_000_000_000
        if settled and mtime_ns == self._checked_mtime_ns:
            return True
        self._checked_mtime_ns = mtime_ns if settled else None
        return False

    def _load_meta(self) -> None:
        try:
            mtime = (self.index_dir / META_FILE).stat().st_mtime
        except OSError:
            return
        if mtime == self._meta_mtime:
            return
        meta = read_meta(self.index_dir) or {}
        self._thesaurus = Thesaurus.from_json(meta.get("thesaurus", {}))
        self._gazetteer = gazetteer_from_json(meta.get("gazetteer", {}))
        built_at = meta.get("built_at")
        self._built_at = datetime.fromisoformat(built_at) if built_at else None
        self._meta_mtime = mtime

    def _positions_of(self, searcher: Searcher) -> Positions:
        with self._lock:
            if self._positions is None or self._searcher is not searcher:
                self._positions = Positions(searcher)
            return self._positions

    def match(self, match_query: MatchQuery) -> MatchResult:
        searcher = self._fresh_searcher()
        if match_query.filters.circle is not None:  # the point changes with every search
            return self._match(searcher, match_query)
        result = self._matches.get(searcher, match_query)
        if result is None:
            result = self._match(searcher, match_query)
            self._matches.put(searcher, match_query, result)
        return result

    def _match(self, searcher: Searcher, match_query: MatchQuery) -> MatchResult:
        if searcher.doc_count_all() == 0:
            return MatchResult([], 0, True)  # whoosh's empty reader has no columns
        positions = self._positions_of(searcher)
        distances: dict[int, float] = {}
        within: list[int] | None = None
        if match_query.filters.circle is not None:
            distances = positions.within(*match_query.filters.circle)
            if not distances:
                return MatchResult([], 0, True)
            within = sorted(distances)
        whoosh_query = to_whoosh_query(searcher.reader(), match_query, within)
        if whoosh_query is None:
            return MatchResult([], 0, True)

        def result(docnums: list[int], scores: list[float], total: int, exact: bool) -> MatchResult:
            return MatchResult.of_columns(
                positions.columns(docnums, scores, distances), total, exact
            )

        if not match_query.clauses and match_query.limit is None:
            docnums = list(islice(_matching(searcher, whoosh_query), match_query.max_scanned))
            capped = match_query.max_scanned is not None and len(docnums) >= match_query.max_scanned
            total = whoosh_query.estimate_size(searcher.reader()) if capped else len(docnums)
            return result(docnums, [0.0] * len(docnums), total, not capped)
        top = (
            collectors.TopCollector(limit=match_query.limit)
            if match_query.limit is not None
            else collectors.UnlimitedCollector()
        )
        collector = Capped(top, match_query.max_scanned)
        searcher.search_with_collector(whoosh_query, collector)
        top_n = collector.results().top_n
        docnums, scores = [d for _, d in top_n], [score for score, _ in top_n]
        if collector.capped:
            total = max(whoosh_query.estimate_size(searcher.reader()), collector.collected)
            return result(docnums, scores, total, False)
        return result(docnums, scores, collector.collected, True)

    def estimate(self, match_query: MatchQuery) -> int:
        reader = self._fresh_searcher().reader()
        if reader.doc_count_all() == 0:
            return 0
        whoosh_query = to_whoosh_query(reader, match_query)
        return 0 if whoosh_query is None else int(whoosh_query.estimate_size(reader))

    def payloads(self, partner_ids: Sequence[int]) -> dict[int, Payload]:
        searcher = self._fresh_searcher()
        found: dict[int, Payload] = {}
        if searcher.doc_count_all() == 0:
            return found
        positions = self._positions_of(searcher)
        with self._lock:
            if self._payloads_of is not positions:  # another generation of the index
                self._payloads, self._payloads_of = {}, positions
            kept = self._payloads
        for partner_id in partner_ids:
            payload = kept.get(partner_id)
            if payload is None:
                docnum = positions.docnum_of(partner_id)
                if docnum is None:
                    continue
                name, kind, insee, dep, hours, services = searcher.stored_fields(docnum)["payload"]
                payload = Payload(
                    partner_id, name, kind, insee, dep, hours, tuple(tuple(s) for s in services)
                )
                if len(kept) < MAX_KEPT_PAYLOADS:
                    kept[partner_id] = payload
            found[partner_id] = payload
        return found

    def is_known_word(self, word: str) -> bool:
        reader = self._fresh_searcher().reader()
        if reader.doc_frequency("spell", word) > 0:
            return True
        word_stem = stem(word)
        return ("text", word_stem) in reader

    def corrections(self, word: str, max_distance: int) -> list[str]:
        reader = self._fresh_searcher().reader()
        if reader.doc_count_all() == 0:
            return []
        near = [
            w
            for w in reader.terms_within("spell", word, max_distance, prefix=TYPO_FREE_PREFIX)
            if w != word
        ]
        near.sort(key=lambda w: (-reader.doc_frequency("spell", w), w))
        return near[:MAX_CORRECTIONS]

    def stats(self) -> IndexStats:
        searcher = self._fresh_searcher()
        with self._lock:
            if self._latest_update is None and searcher.doc_count():
                updated = searcher.reader().column_reader("updated")
                latest = max(updated[d] for d in searcher.reader().all_doc_ids())
                self._latest_update = EPOCH + timedelta(microseconds=latest)
        return IndexStats(searcher.doc_count(), self._built_at, self._latest_update)

    # -- writing ---------------------------------------------------------------------------

    def write(self, documents: Sequence[PartnerDocument], deleted_ids: Sequence[int]) -> None:
        with locked_writer(self._index) as writer:
            for partner_id in deleted_ids:
                writer.delete_by_term("pid", str(partner_id))
            for document in documents:
                writer.update_document(**document_fields(document))
            writer.commit()


def _matching(searcher: Searcher, whoosh_query: Any) -> Iterator[int]:
    """Document numbers matching, in order, without scores: unlike ``docs_for_query``, which
    reads every posting of every filter term to intersect sets, this leapfrogs."""
    context = searcher.boolean_context()
    for leaf, offset in searcher.leaf_searchers():
        matcher = whoosh_query.matcher(leaf, context)
        while matcher.is_active():
            yield offset + matcher.id()
            matcher.next()
