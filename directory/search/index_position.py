"""Which change of the database an index directory reflects (its position in the log).

Beside the whoosh files, ``aiguillage-changes.json`` holds the sequence of the latest
change (`directory.change_log`) the index content includes, and that change's commit time:
a database restored from an older backup, or another database, has no such row at that
sequence, and the index is rebuilt rather than trusted. The file is written *after* the
index content: after a crash between the two, the position is behind the content, and
catching up merely re-reads a few partners (never the reverse).

One process at a time updates an index directory: `index_lock` is a ``flock`` on a file
beside it (not inside: a full build empties the directory).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.models import PartnerChange
from geodata.locks import file_lock

POSITION_FILE = "aiguillage-changes.json"


@dataclass(frozen=True)
class IndexPosition:
    sequence: int
    changed_at: datetime | None  # None for sequence 0 (an empty log)


def read_index_position(index_dir: Path) -> IndexPosition | None:
    """None when the index has never recorded a position (absent, or built by older code)."""
    try:
        data = json.loads((index_dir / POSITION_FILE).read_text(encoding="utf-8"))
        changed_at = data["changed_at"]
        return IndexPosition(
            int(data["sequence"]), datetime.fromisoformat(changed_at) if changed_at else None
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_index_position(index_dir: Path, position: IndexPosition) -> None:
    changed_at = position.changed_at.isoformat() if position.changed_at else None
    temporary = index_dir / f".{POSITION_FILE}.tmp"
    temporary.write_text(
        json.dumps({"sequence": position.sequence, "changed_at": changed_at}), encoding="utf-8"
    )
    temporary.replace(index_dir / POSITION_FILE)


def position_in_database(session: Session, sequence: int) -> IndexPosition | None:
    """The position of change ``sequence`` as the database logs it (None: not logged, or
    no longer kept)."""
    if sequence == 0:
        return IndexPosition(0, None)
    changed_at = session.scalar(
        select(PartnerChange.changed_at).where(PartnerChange.id == sequence)
    )
    return None if changed_at is None else IndexPosition(sequence, changed_at)


@contextmanager
def index_lock(index_dir: Path, *, blocking: bool = True) -> Iterator[bool]:
    """Held while a process rebuilds or catches up ``index_dir``; yields whether it is held
    (``blocking=False``: False at once when another process holds it)."""
    path = index_dir.resolve()
    with file_lock(path.with_name(f".{path.name}.lock"), blocking=blocking) as held:
        yield held
