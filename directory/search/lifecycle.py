"""Building, opening and checking the search index.

* `rebuild_index` reads every partner and replaces the index content (``search rebuild``);
* `open_search_index` returns the process-wide `WhooshSearchIndex` of a directory: one
  searcher per process, refreshed when another process writes;
* `index_status` tells the health endpoint whether the index is in step with the database:
  same number of documents as partners, and no partner updated after the newest indexed
  update (``Partner.updated_at``; operations in `directory.operations` bump it);
* `ensure_index` runs when a server starts (``wsgi.py``): an index that is missing, of an
  older schema or damaged is rebuilt from the database, and a log line says so.
"""

from __future__ import annotations

import fcntl
import logging
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from directory.models import Partner
from directory.search.analysis import stop_words
from directory.search.documents import iter_partner_documents, load_right_terms
from directory.search.errors import IndexUnavailable
from directory.search.match_cache import MAX_CACHED_CANDIDATES
from directory.search.thesaurus import Thesaurus
from directory.search.whoosh_index import WhooshSearchIndex
from directory.search.whoosh_schema import build_index, index_exists, unreadable_reason
from geodata.database import lift_statement_timeout
from geodata.geocoding.gazetteer import Gazetteer, load_gazetteer

logger = logging.getLogger(__name__)
_open_indexes: dict[Path, WhooshSearchIndex] = {}
_open_lock = threading.Lock()


@dataclass(frozen=True)
class RebuildReport:
    document_count: int
    seconds: float
    built_at: datetime


@dataclass(frozen=True)
class IndexStatus:
    exists: bool
    document_count: int
    database_count: int
    in_step: bool
    last_built_at: datetime | None


def build_thesaurus(session: Session) -> Thesaurus:
    return Thesaurus.build(load_right_terms(session))


def build_gazetteer(session: Session) -> Gazetteer:
    """Every commune of the database, placed as the geocoder places them, read as the
    search reads (`directory.search.gazetteer`)."""
    return load_gazetteer(session, ignored_words=stop_words())


def rebuild_index(
    session: Session, index_dir: Path, *, now: datetime | None = None, procs: int = 1
) -> RebuildReport:
    """Index every partner of the database into ``index_dir`` (replacing its content)."""
    started = time.perf_counter()
    built_at = now or datetime.now(UTC)
    lift_statement_timeout(session)  # reads every partner: long by nature
    count = build_index(
        index_dir,
        iter_partner_documents(session),
        build_thesaurus(session),
        build_gazetteer(session),
        now=built_at,
        procs=procs,
    )
    return RebuildReport(count, time.perf_counter() - started, built_at)


def ensure_index(session: Session, index_dir: Path) -> RebuildReport | None:
    """Rebuild the index at ``index_dir`` from the database if it cannot serve (absent, of
    an older schema, damaged); None when it can, as it is. The workers of a server start
    together: a lock file next to the index makes the first one rebuild and the others
    find the result."""
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    lock_path = index_dir.parent / f".{index_dir.name}.start-lock"
    with lock_path.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            reason = unreadable_reason(index_dir)
            if reason is None:
                return None
            logger.warning(
                "Index de recherche %s : %s. Reconstruction depuis la base de données…",
                index_dir,
                reason,
            )
            forget_search_index(index_dir)
            report = rebuild_index(session, index_dir)
            logger.warning(
                "Index de recherche reconstruit depuis la base : %d partenaires en %.1f s.",
                report.document_count,
                report.seconds,
            )
            return report
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def open_search_index(
    index_dir: Path, *, match_cache_candidates: int = MAX_CACHED_CANDIDATES
) -> WhooshSearchIndex:
    """The process-wide index of ``index_dir``; raises `IndexUnavailable` if never built.
    ``match_cache_candidates`` bounds its `MatchCache` (read at the first opening only)."""
    key = index_dir.resolve()
    with _open_lock:
        opened = _open_indexes.get(key)
        if opened is None:
            opened = WhooshSearchIndex(key, match_cache_candidates=match_cache_candidates)
            _open_indexes[key] = opened
        return opened


def forget_search_index(index_dir: Path) -> None:
    """Close and forget the process-wide index of ``index_dir`` (tests, after a rebuild)."""
    with _open_lock:
        opened = _open_indexes.pop(index_dir.resolve(), None)
    if opened is not None:
        opened.close()


def index_status(session: Session, index_dir: Path) -> IndexStatus:
    database_count = int(session.scalar(select(func.count()).select_from(Partner)) or 0)
    if not index_exists(index_dir):
        return IndexStatus(False, 0, database_count, False, None)
    try:
        stats = open_search_index(index_dir).stats()
    except IndexUnavailable:
        return IndexStatus(False, 0, database_count, False, None)
    latest_in_database = session.scalar(select(func.max(Partner.updated_at)))
    up_to_date = (
        latest_in_database is None
        or (stats.latest_update is None and stats.document_count == 0)
        or (stats.latest_update is not None and _as_utc(latest_in_database) <= stats.latest_update)
    )
    in_step = stats.document_count == database_count and up_to_date
    return IndexStatus(True, stats.document_count, database_count, in_step, stats.last_built_at)


def _as_utc(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
