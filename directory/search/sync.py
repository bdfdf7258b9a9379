"""Keeping the index in step with the database, transaction by transaction.

Choice: **the index is written after the database commit, never before.** Operations call
`stage_index_changes` (partner ids changed or deleted); the session remembers them.
Just before the commit, the documents of those partners are read back from the database
(inside the transaction, so a partner created then rolled back in a savepoint is simply
absent, hence removed from the index); right after a successful commit they are written to
the index in one whoosh commit. A failed or rolled-back transaction writes nothing, so the
index is never *ahead* of the database.

The reverse can happen: the process dies between the two commits, or the index writer lock
times out. Then the index is *behind*: `directory.search.lifecycle.index_status` reports it
(a partner count that differs, or changes logged after the sequence the index reflects)
and the next catch-up from the change log (`directory.search.follow`) repairs it, as it
does for the changes made by the other servers. Such a failure is logged, never raised: the database
change has been committed and must be reported as done.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import event, select
from sqlalchemy.orm import Session, SessionTransaction

from directory.change_log import record_partner_changes
from directory.models import Partner
from directory.search.documents import PartnerDocument, iter_partner_documents
from directory.search.protocol import SearchIndex

logger = logging.getLogger(__name__)
_PENDING_KEY = "aiguillage.search.pending"
_LISTENING_KEY = "aiguillage.search.listening"


@dataclass
class _Pending:
    index: SearchIndex
    partner_ids: set[int] = field(default_factory=set)
    documents: list[PartnerDocument] = field(default_factory=list)
    deleted_ids: list[int] = field(default_factory=list)


def stage_index_changes(session: Session, index: SearchIndex, partner_ids: Iterable[int]) -> None:
    """Re-index ``partner_ids`` (created, changed or deleted) once the session commits; log
    them in the change log in the same transaction (`directory.change_log`), for the other
    servers."""
    partner_ids = list(partner_ids)
    record_partner_changes(session, partner_ids)
    pending: dict[int, _Pending] = session.info.setdefault(_PENDING_KEY, {})
    entry = pending.setdefault(id(index), _Pending(index))
    entry.partner_ids.update(partner_ids)
    if not session.info.get(_LISTENING_KEY):
        event.listen(session, "before_commit", _prepare)
        event.listen(session, "after_commit", _apply)
        event.listen(session, "after_transaction_end", _discard_unless_committed)
        session.info[_LISTENING_KEY] = True


def pending_partner_ids(session: Session) -> set[int]:
    """Partner ids waiting for the commit (for tests and diagnostics)."""
    pending: dict[int, _Pending] = session.info.get(_PENDING_KEY, {})
    return {pid for entry in pending.values() for pid in entry.partner_ids}


def _prepare(session: Session) -> None:
    pending: dict[int, _Pending] = session.info.get(_PENDING_KEY, {})
    if not pending:
        return
    session.flush()
    for entry in pending.values():
        ids = sorted(entry.partner_ids)
        existing = set(session.scalars(select(Partner.id).where(Partner.id.in_(ids))))
        entry.documents = list(iter_partner_documents(session, sorted(existing)))
        entry.deleted_ids = [pid for pid in ids if pid not in existing]


def _apply(session: Session) -> None:
    pending: dict[int, _Pending] = session.info.pop(_PENDING_KEY, {})
    for entry in pending.values():
        try:
            entry.index.write(entry.documents, entry.deleted_ids)
        except Exception:  # the database commit stands: the index is behind, say so
            logger.exception(
                "Index de recherche non mis à jour après validation (%d partenaires) : "
                "lancez « flask search rebuild ».",
                len(entry.partner_ids),
            )


def _discard_unless_committed(session: Session, transaction: SessionTransaction) -> None:
    """The outermost transaction ended without a commit (`_apply` would have emptied the
    list): forget the changes. A savepoint rolled back keeps them: they are re-read from
    the database at the commit, where the partners of that savepoint no longer exist."""
    if transaction.parent is None:
        session.info.pop(_PENDING_KEY, None)
