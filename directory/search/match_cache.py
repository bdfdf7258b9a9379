"""The matches of recent whole-directory queries, kept in memory for one index generation.

Searches repeat their words far more than their places: « rsa », « mairie », « caf »
asked from thousands of different addresses. A search around a point without a radius
scores every match of its words (see `directory.search.engine`), which for broad words
means reading and scoring thousands of postings (about 25 ms for 2 500 matches). What the
index returns for those words does not depend on the point, so it is kept here, keyed by
the whole `MatchQuery` (words, filters, limits), and the point is applied afterwards, on
columns (`directory.search.ranking`).

Entries belong to one searcher: when the index changes (a partner edited, a rebuild, in
this process or another), the searcher is reopened and everything here is forgotten, so
a result is never staler than the index itself. The cache is bounded by the number of
candidates it holds (memory), least recently used first out.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from directory.search.protocol import MatchQuery, MatchResult

MAX_CACHED_CANDIDATES = 200_000  # 40 bytes each (five columns of 8 bytes): 8 MB
MAX_CACHED_QUERIES = 1_000


class MatchCache:
    def __init__(
        self,
        max_candidates: int = MAX_CACHED_CANDIDATES,
        max_queries: int = MAX_CACHED_QUERIES,
    ) -> None:
        self._max_candidates = max_candidates
        self._max_queries = max_queries
        self._lock = threading.Lock()
        self._owner: object | None = None
        self._results: OrderedDict[MatchQuery, MatchResult] = OrderedDict()
        self._candidates = 0

    def get(self, owner: object, query: MatchQuery) -> MatchResult | None:
        with self._lock:
            if owner is not self._owner:
                return None
            result = self._results.get(query)
            if result is not None:
                self._results.move_to_end(query)
            return result

    def put(self, owner: object, query: MatchQuery, result: MatchResult) -> None:
        size = len(result.candidates)
        if size > self._max_candidates:
            return
        with self._lock:
            if owner is not self._owner:
                self._results.clear()
                self._candidates = 0
                self._owner = owner
            previous = self._results.pop(query, None)
            if previous is not None:
                self._candidates -= len(previous.candidates)
            self._results[query] = result
            self._candidates += size
            while self._candidates > self._max_candidates or len(self._results) > self._max_queries:
                _, evicted = self._results.popitem(last=False)
                self._candidates -= len(evicted.candidates)

    def __len__(self) -> int:
        return len(self._results)
