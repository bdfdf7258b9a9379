"""Possible duplicates: the same SIRET, or a similar name within a short distance.

They are only ever *proposed*: an import holds such a row back until someone chooses to
create it anyway or to merge it into the existing partner; nothing is merged silently.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher

from geoalchemy2.shape import to_shape
from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.models import Partner
from geodata.distance import haversine_m

DUPLICATE_RADIUS_M = 200.0
"""Two places with similar names closer than this are probably one place."""
NAME_SIMILARITY = 0.8
"""Least similarity (difflib's ratio, 0 to 1) of two folded names to be « similar »."""
_CELL_DEG = 0.005  # about 550 m in latitude: neighbours are in the 3 × 3 cells around
_STOP_WORDS = frozenset(
    ["de", "du", "des", "la", "le", "les", "l", "d", "et", "a", "au", "aux", "en"]
)
_NON_WORD = re.compile(r"[^a-z0-9]+")


def fold_name(name: str) -> str:
    """« L'Espace France services de Saint-Omer » → « espace france services saint omer »."""
    text = unicodedata.normalize("NFKD", name.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(w for w in _NON_WORD.split(text) if w and w not in _STOP_WORDS)


def are_names_similar(first: str, second: str) -> bool:
    a, b = fold_name(first), fold_name(second)
    if not a or not b:
        return False
    return a == b or SequenceMatcher(None, a, b).ratio() >= NAME_SIMILARITY


@dataclass(frozen=True)
class DuplicateCandidate:
    partner_id: int
    name: str
    reason: str


@dataclass(frozen=True)
class _Known:
    partner_id: int
    name: str
    lon: float
    lat: float


class DuplicateFinder:
    """Every partner's SIRET and position, read once, for thousands of look-ups."""

    def __init__(self, session: Session) -> None:
        self._by_siret: dict[str, list[tuple[int, str]]] = defaultdict(list)
        self._grid: dict[tuple[int, int], list[_Known]] = defaultdict(list)
        query = select(Partner.id, Partner.name, Partner.siret, Partner.location)
        for partner_id, name, siret, location in session.execute(query):
            if siret:
                self._by_siret[siret].append((partner_id, name))
            if location is not None:
                point = to_shape(location)
                known = _Known(partner_id, name, float(point.x), float(point.y))
                self._grid[_cell(known.lon, known.lat)].append(known)

    def candidates(
        self,
        name: str,
        siret: str | None,
        location: tuple[float, float] | None,
        *,
        exclude: int | None = None,
    ) -> list[DuplicateCandidate]:
        found: dict[int, DuplicateCandidate] = {}
        for partner_id, other in self._by_siret.get((siret or "").strip(), []):
            if partner_id != exclude:
                found[partner_id] = DuplicateCandidate(partner_id, other, "même SIRET")
        if location is not None:
            lon, lat = location
            column, row = _cell(lon, lat)
            for dx in (-1, 0, 1):
                for dy in (-1, 0, 1):
                    for known in self._grid.get((column + dx, row + dy), []):
                        if known.partner_id in found or known.partner_id == exclude:
                            continue
                        distance_m = haversine_m(lon, lat, known.lon, known.lat)
                        if distance_m <= DUPLICATE_RADIUS_M and are_names_similar(name, known.name):
                            reason = f"nom proche, à {distance_m:.0f} m"
                            found[known.partner_id] = DuplicateCandidate(
                                known.partner_id, known.name, reason
                            )
        return sorted(found.values(), key=lambda c: c.partner_id)

    def pairs(self, partner_ids: set[int] | None = None) -> list[tuple[int, DuplicateCandidate]]:
        """Every pair of existing partners that look alike (each pair once), optionally
        restricted to pairs with a partner among ``partner_ids``."""
        seen: set[tuple[int, int]] = set()
        result = []
        for cell in self._grid.values():
            for known in cell:
                if partner_ids is not None and known.partner_id not in partner_ids:
                    continue
                for candidate in self.candidates(
                    known.name, None, (known.lon, known.lat), exclude=known.partner_id
                ):
                    pair = (
                        min(known.partner_id, candidate.partner_id),
                        max(known.partner_id, candidate.partner_id),
                    )
                    if pair not in seen:
                        seen.add(pair)
                        result.append((known.partner_id, candidate))
        for holders in self._by_siret.values():
            for index, (first, _) in enumerate(holders):
                for second, name in holders[index + 1 :]:
                    pair = (min(first, second), max(first, second))
                    if pair not in seen and (
                        partner_ids is None or first in partner_ids or second in partner_ids
                    ):
                        seen.add(pair)
                        result.append((first, DuplicateCandidate(second, name, "même SIRET")))
        return sorted(result, key=lambda item: (item[0], item[1].partner_id))


def _cell(lon: float, lat: float) -> tuple[int, int]:
    return (math.floor(lon / _CELL_DEG), math.floor(lat / _CELL_DEG))
