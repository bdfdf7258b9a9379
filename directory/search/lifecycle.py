"""Building, opening and checking the search index.

* `rebuild_index` reads every partner and replaces the index content (``search rebuild``);
* `open_search_index` returns the process-wide `WhooshSearchIndex` of a directory: one
  searcher per process, refreshed when another process writes;
* `index_status` tells the health endpoints whether the index is in step with the
  database: same number of documents as partners, and the latest change of the change log
  reflected (`directory.search.index_position`); how late it is otherwise;
* `ensure_index`: an index that is missing, of an older schema or damaged is rebuilt from
  the database, and a log line says so.

Catching up with the changes of the other servers: `directory.search.follow`.
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

from directory.change_log import directory_generation, first_change_after
from directory.models import Partner
from directory.search.analysis import stop_words
from directory.search.documents import iter_partner_documents, load_right_terms
from directory.search.errors import IndexUnavailable
from directory.search.index_position import (
    IndexPosition,
    index_lock,
    position_in_database,
    read_index_position,
    write_index_position,
)
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
    sequence: int | None = None
    """The change of the log the index reflects (None: unknown, or of another database)."""
    database_sequence: int = 0
    """The latest change of the database (`directory.change_log.directory_generation`)."""
    behind_since: datetime | None = None
    """Commit time of the oldest change the index does not reflect yet."""

    @property
    def state(self) -> str:
        """In French words, for the health answers and the ``search status`` command."""
        if not self.exists:
            return "absent"
        if self.sequence is None:
            return "a-reconstruire"
        return "ok" if self.in_step else "en-retard"


def build_thesaurus(session: Session) -> Thesaurus:
    return Thesaurus.build(load_right_terms(session))


def build_gazetteer(session: Session) -> Gazetteer:
    """Every commune of the database, placed as the geocoder places them, read as the
    search reads (`directory.search.gazetteer`)."""
    return load_gazetteer(session, ignored_words=stop_words())


def rebuild_index(
    session: Session, index_dir: Path, *, now: datetime | None = None, procs: int = 1
) -> RebuildReport:
    """Index every partner of the database into ``index_dir`` (replacing its content),
    waiting for any other process that updates the same directory."""
    with index_lock(index_dir):
        return rebuild_index_locked(session, index_dir, now=now, procs=procs)


def rebuild_index_locked(
    session: Session, index_dir: Path, *, now: datetime | None = None, procs: int = 1
) -> RebuildReport:
    """`rebuild_index` for a caller that holds `index_lock`. The position in the change log
    is read *before* the partners: a change committed meanwhile is re-read once more by
    the next catch-up, never missed."""
    started = time.perf_counter()
    built_at = now or datetime.now(UTC)
    lift_statement_timeout(session)  # reads every partner: long by nature
    position = position_in_database(session, directory_generation(session))
    count = build_index(
        index_dir,
        iter_partner_documents(session),
        build_thesaurus(session),
        build_gazetteer(session),
        now=built_at,
        procs=procs,
    )
    write_index_position(index_dir, position or IndexPosition(0, None))
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
    """Whether the index holds every partner and reflects the latest change of the log."""
    database_count = int(session.scalar(select(func.count()).select_from(Partner)) or 0)
    database_sequence = directory_generation(session)
    absent = IndexStatus(False, 0, database_count, False, None, None, database_sequence)
    if not index_exists(index_dir):
        return absent
    try:
        stats = open_search_index(index_dir).stats()
    except IndexUnavailable:
        return absent
    position = read_index_position(index_dir)
    if position is None or position_in_database(session, position.sequence) != position:
        return IndexStatus(
            True, stats.document_count, database_count, False, stats.last_built_at,
            None, database_sequence,
        )  # fmt: skip
    caught_up = position.sequence >= database_sequence
    behind_since = None if caught_up else first_change_after(session, position.sequence)
    return IndexStatus(
        True,
        stats.document_count,
        database_count,
        caught_up and stats.document_count == database_count,
        stats.last_built_at,
        position.sequence,
        database_sequence,
        None if behind_since is None else _as_utc(behind_since),
    )


def _as_utc(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
