"""Locks that keep several app servers (or processes) from stepping on each other.

* `transaction_lock`: serialises the writers of one kind of row until their transaction
  ends. PostgreSQL: ``pg_advisory_xact_lock``; SQLite needs nothing, a write transaction
  already holds the database's only write lock.
* `migration_lock`: one schema migration at a time, whatever the number of servers that
  start together. PostgreSQL: ``pg_advisory_lock`` on a connection of its own; SQLite: an
  exclusive ``flock`` on a file beside the database (``<file>.migration-lock``).
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from geodata.database import Backend, backend_of

MIGRATION_LOCK_KEY = 4_152_031_001
"""Arbitrary, fixed: the advisory lock key of the schema migrations."""


def transaction_lock(session: Session, key: int) -> None:
    """Wait for ``key`` and hold it until the session's transaction commits or rolls back."""
    if backend_of(session.get_bind().engine) is Backend.POSTGIS:
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


@contextmanager
def migration_lock(engine: Engine) -> Iterator[None]:
    """Hold the migration lock of ``engine``'s database (waits for another holder)."""
    if backend_of(engine) is Backend.POSTGIS:
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
            connection.commit()
            try:
                yield
            finally:
                connection.execute(
                    text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK_KEY}
                )
                connection.commit()
        return
    database = engine.url.database
    if not database or database == ":memory:":
        yield  # a private in-memory database: no other process can see it
        return
    with file_lock(Path(database).with_name(Path(database).name + ".migration-lock")):
        yield


@contextmanager
def file_lock(path: Path, *, blocking: bool = True) -> Iterator[bool]:
    """An exclusive ``flock`` on ``path`` (created if needed); yields whether it is held.

    With ``blocking=False`` it yields False at once when another process holds it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
