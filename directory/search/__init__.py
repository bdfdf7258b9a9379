"""Full-text and geographic search over partners and their services (whoosh index).

Public API:

* `search_partners(session, index, SearchRequest(...)) -> SearchPage`;
* for a map, `search_partners_in_bbox(session, index, request, bbox, limit)`: the located
  hits of a box (west, south, east, north), page after page, up to a limit;
* `SearchRequest`, `SearchFilters`, `SortOrder`, `SearchHit`, `SearchPage`;
* index lifecycle: `rebuild_index`, `open_search_index`, `index_status` / `IndexStatus`,
  `ensure_index` (at a server's start: rebuild an index that cannot serve);
* `SearchIndex` (protocol), `WhooshSearchIndex` (real); an in-memory fake for unit tests
  is `tests.directory.search.fake_index.InMemorySearchIndex`;
* keeping the index in step: the operations of `directory.operations`, which call
  `directory.search.sync.stage_index_changes` (index written after the commit).
"""

from directory.search.bbox import search_partners_in_bbox
from directory.search.engine import search_partners
from directory.search.errors import IndexUnavailable, InvalidSearch, SearchError
from directory.search.lifecycle import (
    IndexStatus,
    RebuildReport,
    ensure_index,
    forget_search_index,
    index_status,
    open_search_index,
    rebuild_index,
)
from directory.search.protocol import SearchIndex
from directory.search.request import (
    SearchFilters,
    SearchHit,
    SearchPage,
    SearchRequest,
    SortOrder,
)
from directory.search.whoosh_index import WhooshSearchIndex

__all__ = [
    "IndexStatus",
    "IndexUnavailable",
    "InvalidSearch",
    "RebuildReport",
    "SearchError",
    "SearchFilters",
    "SearchHit",
    "SearchIndex",
    "SearchPage",
    "SearchRequest",
    "SortOrder",
    "WhooshSearchIndex",
    "ensure_index",
    "forget_search_index",
    "index_status",
    "open_search_index",
    "rebuild_index",
    "search_partners",
    "search_partners_in_bbox",
]
