"""« Open at this instant » for search candidates, with `directory.hours`.

Only candidates that survived every other filter are evaluated, in result order, and as
few as the page needs. Many partners share the same weekly hours, and at night a search
for places open now walks every candidate: the state of each (hours, territory) is kept
with the period it holds for (until the next opening or closing, at most the end of the
day), and shared by every request of the process within that period. Partners with a
closure around that day get their own schedule, evaluated each time. Unknown or
unreadable hours count as « not known to be open ».
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.hours import Closure, HoursError, HoursState
from directory.hours.schedule import schedule_for
from directory.hours.territory import POLYNESIA
from directory.models import Closure as ClosureRow
from directory.search.protocol import Payload

logger = logging.getLogger(__name__)
HoursKey = tuple[str, str, str | None]  # weekly hours, département, commune in Polynesia
KnownState = tuple[float, float, bool | None]  # from, until (POSIX timestamps), state
MAX_KNOWN_STATES = 50_000  # distinct weekly hours remembered by a process (then forgotten)
_known_states: dict[HoursKey, KnownState] = {}  # shared by threads: one get or set at a time


class OpeningChecker:
    def __init__(self, session: Session | None, at: datetime) -> None:
        self.at = at
        self._timestamp = at.timestamp()
        self._session = session
        self._closures: dict[int, list[Closure]] | None = None

    def is_open(self, payload: Payload) -> bool | None:
        if payload.departement_code is None:
            return None
        closures = self._closures_of(payload.partner_id)
        if closures:
            return self._evaluate(payload, closures)[2]
        insee = payload.insee_code if payload.departement_code == POLYNESIA else None
        key = (payload.opening_hours or "", payload.departement_code, insee)
        known = _known_states.get(key)
        if known is None or not known[0] <= self._timestamp < known[1]:
            known = self._evaluate(payload, [])
            if len(_known_states) >= MAX_KNOWN_STATES:
                _known_states.clear()
            _known_states[key] = known
        return known[2]

    def _evaluate(self, payload: Payload, closures: list[Closure]) -> KnownState:
        try:
            schedule = schedule_for(
                payload.opening_hours,
                payload.departement_code or "",
                closures,
                insee_code=payload.insee_code,
            )
            starts, until, state = schedule.period_at(self.at)
        except (HoursError, ValueError) as exc:
            logger.info("horaires non évaluables (partenaire %s) : %s", payload.partner_id, exc)
            return (float("-inf"), float("inf"), None)  # the same text stays unreadable
        return (starts, until, None if state == HoursState.UNKNOWN else state == HoursState.OPEN)

    def _closures_of(self, partner_id: int) -> list[Closure]:
        if self._closures is None:
            self._closures = self._load_closures()
        return self._closures.get(partner_id, [])

    def _load_closures(self) -> dict[int, list[Closure]]:
        """Closures touching the instant's day anywhere in the world (±1 day for zones)."""
        if self._session is None:
            return {}
        day = self.at.date()
        rows = self._session.execute(
            select(ClosureRow).where(
                ClosureRow.starts_on <= day + timedelta(days=1),
                ClosureRow.ends_on >= day - timedelta(days=1),
            )
        ).scalars()
        closures: dict[int, list[Closure]] = {}
        for row in rows:
            try:
                closure = Closure(row.starts_on, row.ends_on, row.reason, row.replacement_hours)
            except HoursError:
                closure = Closure(row.starts_on, row.ends_on, row.reason or "Fermeture")
            closures.setdefault(row.partner_id, []).append(closure)
        return closures

    def open_ones(self, payloads: Iterable[Payload]) -> dict[int, bool | None]:
        return {payload.partner_id: self.is_open(payload) for payload in payloads}
