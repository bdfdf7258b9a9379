"""The change log (outbox) of the directory: which partners changed, in commit order.

Several app servers share one database; each keeps its own search index and caches in
memory. Every transaction that changes partners also writes one `PartnerChange` row per
partner, **in the same transaction**, just before its commit: the log can never miss a
committed change nor show a rolled-back one. Writers of the log are serialised at that
moment (`geodata.locks.transaction_lock`), so sequences become visible in increasing
order: a reader that has seen sequence *n* will never later discover a committed *m < n*.

* `record_partner_changes` is called by everything that writes partners: the operations
  (through `directory.search.sync.stage_index_changes`), the imports
  (`directory.imports.partner_sync`, the data·inclusion closures);
* `directory_generation` (the latest sequence) is what caches compare to know whether the
  directory changed;
* `list_changes_after` is what a server reads to catch up (`directory.search.follow`).

The log keeps the last `KEPT_CHANGES` rows; a server further behind rebuilds its index.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, event, func, insert, select
from sqlalchemy.orm import Session, SessionTransaction

from directory.models import PartnerChange
from geodata.locks import transaction_lock
from geodata.types import utc_now

KEPT_CHANGES = 20_000
"""Rows kept in the log: a server more changes behind than this rebuilds its index."""
CHANGE_LOG_LOCK_KEY = 4_152_031_002
"""Arbitrary, fixed: the advisory lock that orders the writers of the log."""
_PENDING_KEY = "aiguillage.change_log.pending"
_LISTENING_KEY = "aiguillage.change_log.listening"


@dataclass(frozen=True)
class ChangeBatch:
    """Changes after a sequence: the partners concerned, and the last sequence read."""

    partner_ids: frozenset[int]
    last_sequence: int
    complete: bool
    """False when more changes follow than were asked for."""


def record_partner_changes(session: Session, partner_ids: Iterable[int]) -> None:
    """Log ``partner_ids`` (created, changed or deleted) when the session commits."""
    pending: set[int] = session.info.setdefault(_PENDING_KEY, set())
    pending.update(pid for pid in partner_ids if pid is not None)
    if not session.info.get(_LISTENING_KEY):
        event.listen(session, "before_commit", _write_log)
        event.listen(session, "after_commit", _forget)
        event.listen(session, "after_transaction_end", _forget_unless_committed)
        session.info[_LISTENING_KEY] = True


def recorded_partner_ids(session: Session) -> set[int]:
    """Partner ids waiting for the commit to be logged (tests, diagnostics)."""
    return set(session.info.get(_PENDING_KEY, set()))


def directory_generation(session: Session) -> int:
    """The sequence of the latest change (0: none yet): it moves with every committed write
    to partners, on whichever server it was made."""
    return int(session.scalar(select(func.max(PartnerChange.id))) or 0)


def first_kept_sequence(session: Session) -> int | None:
    return session.scalar(select(func.min(PartnerChange.id)))


def list_changes_after(session: Session, sequence: int, limit: int) -> ChangeBatch:
    """The partners changed after ``sequence``, at most ``limit`` log rows."""
    rows = session.execute(
        select(PartnerChange.id, PartnerChange.partner_id)
        .where(PartnerChange.id > sequence)
        .order_by(PartnerChange.id)
        .limit(limit + 1)
    ).all()
    kept = rows[:limit]
    last = kept[-1][0] if kept else sequence
    return ChangeBatch(frozenset(pid for _, pid in kept), int(last), len(rows) <= limit)


def first_change_after(session: Session, sequence: int) -> datetime | None:
    """When the oldest change after ``sequence`` was committed (how late a reader is)."""
    return session.scalar(
        select(PartnerChange.changed_at)
        .where(PartnerChange.id > sequence)
        .order_by(PartnerChange.id)
        .limit(1)
    )


def _write_log(session: Session) -> None:
    pending: set[int] = session.info.get(_PENDING_KEY, set())
    if not pending:
        return
    session.flush()
    transaction_lock(session, CHANGE_LOG_LOCK_KEY)
    at = utc_now()
    session.execute(
        insert(PartnerChange), [{"partner_id": pid, "changed_at": at} for pid in sorted(pending)]
    )
    _prune(session)


def _prune(session: Session) -> None:
    """Keep the last `KEPT_CHANGES` rows. Counted in rows, not in sequence numbers: a
    rolled-back transaction consumes PostgreSQL sequence numbers without leaving rows."""
    oldest_kept = session.scalar(
        select(PartnerChange.id).order_by(PartnerChange.id.desc()).offset(KEPT_CHANGES - 1).limit(1)
    )
    if oldest_kept is not None:
        session.execute(delete(PartnerChange).where(PartnerChange.id < oldest_kept))


def _forget(session: Session) -> None:
    session.info.pop(_PENDING_KEY, None)


def _forget_unless_committed(session: Session, transaction: SessionTransaction) -> None:
    """The outermost transaction ended without a commit: nothing is logged. A savepoint
    rolled back keeps its ids: logging a partner that did not change costs one useless
    re-read, never a missed change."""
    if transaction.parent is None:
        session.info.pop(_PENDING_KEY, None)
