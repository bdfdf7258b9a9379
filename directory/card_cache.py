"""Partner cards kept in the memory of a process, as fresh as the directory fingerprint.

A result page shows twenty partners; reading them (three queries: partners, services,
closures) cost more than the rest of a search once the index had answered. The cards
change only when the directory does, so each process keeps those it has read, and
forgets them all when `directory.queries.directory_fingerprint` changes. The fingerprint
is read at most every ``check_s`` seconds (one aggregate query), so a card is at most
that old: the same promise as the answer cache of the API. Whatever the fingerprint says,
every card is forgotten after ``max_age_s`` (a write stamped by a server whose clock is
behind may not move the latest update). Nothing is shared between processes; several
servers on one database each keep their own, and stay stateless.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence

from sqlalchemy.orm import Session

from directory.partner_cards import PartnerCard, load_partner_cards
from directory.queries import directory_fingerprint

DEFAULT_SIZE = 20_000
DEFAULT_CHECK_S = 2.0
DEFAULT_MAX_AGE_S = 60.0


class PartnerCardCache:
    def __init__(
        self,
        size: int = DEFAULT_SIZE,
        check_s: float = DEFAULT_CHECK_S,
        max_age_s: float = DEFAULT_MAX_AGE_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.size, self.check_s, self.max_age_s = size, check_s, max_age_s
        self._clock = clock
        self._cards: OrderedDict[int, PartnerCard] = OrderedDict()
        self._fingerprint: Hashable = None
        self._checked_at = float("-inf")
        self._cleared_at = clock()
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
        current = directory_fingerprint(session)
        with self._lock:
            self._checked_at = now
            if current != self._fingerprint or now - self._cleared_at > self.max_age_s:
                self._cards.clear()
                self._cleared_at = now
                self._fingerprint = current
