"""Catching up with the change log: how a server's index follows every other server.

Each app server keeps its own index directory. `catch_up` compares the position the index
reflects (`directory.search.index_position`) with the change log of the database
(`directory.change_log`) and:

* re-indexes the partners changed since, when they are few (at most ``batch_limit`` log
  rows): their documents are read from the database *after* the log, so they are at least
  as new as the position then recorded;
* rebuilds the whole index when it has no position, when its position is not in this
  database's log (restored from an older backup, another database), when the log no
  longer goes back that far (`directory.change_log.KEPT_CHANGES`), or when more changes
  wait than ``batch_limit``.

Several processes of one server share the index directory: one catches up at a time
(`index_lock`); the others, with ``wait=False``, do nothing and keep serving the index,
which they see change at its commit.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.change_log import directory_generation, first_kept_sequence, list_changes_after
from directory.models import Partner
from directory.search.documents import iter_partner_documents
from directory.search.index_position import (
    index_lock,
    position_in_database,
    read_index_position,
    write_index_position,
)
from directory.search.lifecycle import forget_search_index, open_search_index, rebuild_index_locked
from directory.search.whoosh_schema import index_exists

logger = logging.getLogger(__name__)

BATCH_LIMIT = 2_000
"""Log rows re-indexed one by one at most; beyond, a full rebuild is cheaper."""


@dataclass(frozen=True)
class CatchUp:
    """What `catch_up` did."""

    sequence: int | None
    """The change the index reflects afterwards (None: unknown, the lock was busy)."""
    reindexed: int = 0
    rebuilt_because: str | None = None
    busy: bool = False


def catch_up(
    session: Session, index_dir: Path, *, batch_limit: int = BATCH_LIMIT, wait: bool = False
) -> CatchUp:
    """Bring ``index_dir`` to the latest change of the database (see the module docstring)."""
    with index_lock(index_dir, blocking=wait) as held:
        if not held:
            position = read_index_position(index_dir)
            return CatchUp(None if position is None else position.sequence, busy=True)
        reason = _reason_to_rebuild(session, index_dir)
        if reason is None:
            position = read_index_position(index_dir)
            assert position is not None  # checked by _reason_to_rebuild
            batch = list_changes_after(session, position.sequence, batch_limit)
            if batch.complete:
                if batch.partner_ids:
                    _reindex(session, index_dir, sorted(batch.partner_ids))
                    reached = position_in_database(session, batch.last_sequence)
                    if reached is not None:  # pruned meanwhile: the next round rebuilds
                        write_index_position(index_dir, reached)
                return CatchUp(batch.last_sequence, reindexed=len(batch.partner_ids))
            reason = f"plus de {batch_limit} changements en attente"
        logger.info("Index de recherche %s reconstruit : %s.", index_dir, reason)
        rebuild_index_locked(session, index_dir)
        forget_search_index(index_dir)
        position = read_index_position(index_dir)
        return CatchUp(None if position is None else position.sequence, rebuilt_because=reason)


def _reason_to_rebuild(session: Session, index_dir: Path) -> str | None:
    if not index_exists(index_dir):
        return "index absent ou d'une ancienne version"
    position = read_index_position(index_dir)
    if position is None:
        return "index sans position dans le journal des changements"
    if position.sequence > directory_generation(session):
        return "index en avance sur la base (base restaurée ou remplacée)"
    first_kept = first_kept_sequence(session)
    if first_kept is not None and position.sequence < first_kept - 1:
        return "index trop en retard : le journal ne remonte plus jusqu'à lui"
    if (
        position.sequence >= (first_kept or 1)
        and position_in_database(session, position.sequence) != position
    ):
        return "index d'une autre base (base restaurée ou remplacée)"
    return None


def _reindex(session: Session, index_dir: Path, partner_ids: list[int]) -> None:
    existing = set(session.scalars(select(Partner.id).where(Partner.id.in_(partner_ids))))
    documents = list(iter_partner_documents(session, sorted(existing)))
    deleted = [pid for pid in partner_ids if pid not in existing]
    open_search_index(index_dir).write(documents, deleted)
