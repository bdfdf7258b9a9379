"""Partner cards kept in the memory of a process, as fresh as the directory's generation.

A result page shows twenty partners; reading them (three queries: partners, services,
closures) cost more than the rest of a search once the index had answered. The cards
change only when the directory does, so each process keeps those it has read, and
forgets them all when `directory.change_log.directory_generation` (the sequence of the
latest change committed by any server) moves. The generation is read at most every
``check_s`` seconds (one primary-key look-up), so a card is at most that old: the same
promise as the answer cache of the API. Nothing is shared between processes; several
servers on one database each keep their own, and stay stateless.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence

from sqlalchemy.orm import Session

from directory.change_log import directory_generation
from directory.partner_cards import PartnerCard, load_partner_cards

DEFAULT_SIZE = 20_000
DEFAULT_CHECK_S = 2.0


class PartnerCardCache:
    def __init__(
        self,
        size: int = DEFAULT_SIZE,
        check_s: float = DEFAULT_CHECK_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.size, self.check_s = size, check_s
        self._clock = clock
        self._cards: OrderedDict[int, PartnerCard] = OrderedDict()
        self._generation: int | None = None
        self._checked_at = float("-inf")
        self._lock = threading.Lock()

    def cards(self, session: Session, ids: Sequence[int]) -> dict[int, PartnerCard]:
        """The cards of ``ids`` that exist (unknown ids are left out)."""
        self._check_directory(session)
        with self._lock:
            found = {pid: self._cards[pid] for pid in ids if pid in self._cards}
            for pid in found:
                self._cards.move_to_end(pid)
        missing = [pid for pid in ids if pid not in found]
        if missing:
            loaded = load_partner_cards(session, missing)
            found.update(loaded)
            with self._lock:
                self._cards.update(loaded)
                while len(self._cards) > self.size:
                    self._cards.popitem(last=False)
        return found

    def _check_directory(self, session: Session) -> None:
        now = self._clock()
        if now - self._checked_at < self.check_s:
            return
        current = directory_generation(session)
        with self._lock:
            self._checked_at = now
            if current != self._generation:
                self._cards.clear()
                self._generation = current
