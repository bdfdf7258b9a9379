"""House numbers and streets of the imported Base Adresse Nationale, looked up in one commune.

Streets are matched on their normalised key (``address.street_key``): exactly, without
their type ("capucins" for "Rue des Capucins"), or with one typo. The distinct street keys
of a commune are read once and kept in a small LRU cache (a few hundred communes).
"""

from __future__ import annotations

import statistics
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from geodata.geocoding.fuzzy import FuzzyIndex
from geodata.geocoding.normalise import (
    STREET_ABBREVIATIONS,
    expand,
    fold,
    squash,
    street_body_key,
)
from geodata.geocoding.results import Precision
from geodata.models import Address
from geodata.spatial import lon_lat_of

STREET_SCORES = {(False, 0): 1.0, (True, 0): 0.92, (False, 1): 0.88, (True, 1): 0.82}
"""Score of a street match by (matched without its type, number of typos)."""
REPETITION_ALIASES = {"b": "bis", "t": "ter", "q": "quater"}


@dataclass(frozen=True)
class AddressHit:
    lon: float
    lat: float
    precision: Precision
    score: float
    street_name: str
    house_number: str | None
    repetition: str | None
    postcode: str | None
    former_commune_name: str | None
    notes: tuple[str, ...] = ()

    @property
    def street_label(self) -> str:
        if self.house_number is None:
            return self.street_name
        repetition = f" {self.repetition}" if self.repetition else ""
        return f"{self.house_number}{repetition} {self.street_name}"


class StreetIndex:
    """The streets of one commune, by full key and by key without the street type."""

    def __init__(self, keys: list[str]) -> None:
        self.keys = sorted(keys)
        indexed = list(self.keys)
        self._is_body = [False] * len(indexed)
        self._street = list(range(len(indexed)))
        for number, key in enumerate(self.keys):
            indexed[number] = key.replace(" ", "")
            body = street_body_key(key.split(" "))
            if body and body != indexed[number]:
                indexed.append(body)
                self._is_body.append(True)
                self._street.append(number)
        self._index = FuzzyIndex(indexed)

    def match(self, words: list[str]) -> tuple[str, float] | None:
        tokens = expand(words, STREET_ABBREVIATIONS)
        best: tuple[str, float] | None = None
        for key in (squash(tokens), street_body_key(tokens)):
            for entry, distance in self._index.within_one_edit(key):
                score = STREET_SCORES[(self._is_body[entry], distance)]
                if best is None or score > best[1]:
                    best = (self.keys[self._street[entry]], score)
        return best


def _same_repetition(a: str | None, b: str | None) -> bool:
    def norm(value: str | None) -> str:
        text = fold(value or "").replace(" ", "")
        return REPETITION_ALIASES.get(text, text)

    return norm(a) == norm(b)


def _number(text: str | None) -> int | None:
    return int(text) if text and text.isascii() and text.isdigit() else None


class AddressBook:
    """Look-ups in the ``address`` table, with the street list of each commune cached."""

    def __init__(self, max_communes: int = 256) -> None:
        self._max = max_communes
        self._streets: OrderedDict[str, StreetIndex | None] = OrderedDict()
        self._communes: frozenset[str] | None = None
        self._lock = threading.Lock()

    def clear(self) -> None:
        with self._lock:
            self._streets.clear()
            self._communes = None

    def has_addresses(self, session: Session, insee_code: str) -> bool:
        """Was any address of this commune imported? (one query per data change)"""
        communes = self._communes
        if communes is None:
            communes = frozenset(session.scalars(select(Address.insee_code).distinct()))
            with self._lock:
                self._communes = communes
        return insee_code in communes

    def streets(self, session: Session, insee_code: str) -> StreetIndex | None:
        """The commune's streets, or None when no address of it was imported."""
        if not self.has_addresses(session, insee_code):
            return None
        with self._lock:
            if insee_code in self._streets:
                self._streets.move_to_end(insee_code)
                return self._streets[insee_code]
        keys = session.scalars(
            select(Address.street_key).where(Address.insee_code == insee_code).distinct()
        ).all()
        index = StreetIndex(list(keys)) if keys else None
        with self._lock:
            self._streets[insee_code] = index
            while len(self._streets) > self._max:
                self._streets.popitem(last=False)
        return index

    def find(
        self,
        session: Session,
        insee_code: str,
        street_words: list[str],
        house_number: str | None,
        repetition: str | None,
        former_name: str | None = None,
    ) -> AddressHit | None:
        streets = self.streets(session, insee_code)
        if streets is None or not street_words:
            return None
        match = streets.match(street_words)
        if match is None:
            return None
        key, street_score = match
        rows = _street_rows(session, insee_code, key)
        if former_name is not None:
            same_former = [r for r in rows if fold(r["former"] or "") == fold(former_name)]
            rows = same_former or rows
        if not rows:
            return None
        return _pick(rows, street_score, house_number, repetition)


def _street_rows(session: Session, insee_code: str, key: str) -> list[dict[str, Any]]:
    lon, lat = lon_lat_of(Address.location)
    query = select(
        Address.house_number.label("number"),
        Address.repetition.label("repetition"),
        Address.street_name.label("street"),
        Address.postcode.label("postcode"),
        Address.former_commune_name.label("former"),
        lon.label("lon"),
        lat.label("lat"),
    ).where(Address.insee_code == insee_code, Address.street_key == key)
    return [dict(row._mapping) for row in session.execute(query.order_by(Address.id))]


def _hit(row: dict[str, Any], precision: Precision, score: float, *notes: str) -> AddressHit:
    return AddressHit(
        lon=float(row["lon"]),
        lat=float(row["lat"]),
        precision=precision,
        score=score,
        street_name=row["street"],
        house_number=row["number"] if precision is Precision.HOUSENUMBER else None,
        repetition=row["repetition"] if precision is Precision.HOUSENUMBER else None,
        postcode=row["postcode"],
        former_commune_name=row["former"],
        notes=notes,
    )


def _pick(
    rows: list[dict[str, Any]], score: float, house_number: str | None, repetition: str | None
) -> AddressHit:
    numbered = [(n, row) for row in rows if (n := _number(row["number"])) is not None]
    wanted = _number(house_number)
    if wanted is not None and numbered:
        same_number = [row for n, row in numbered if n == wanted]
        exact = [row for row in same_number if _same_repetition(row["repetition"], repetition)]
        if exact:
            return _hit(exact[0], Precision.HOUSENUMBER, score)
        if same_number:
            plain = min(same_number, key=lambda row: len(row["repetition"] or ""))
            shown = f"{plain['number']} {plain['repetition'] or ''}".strip()
            return _hit(
                plain,
                Precision.HOUSENUMBER,
                score * 0.95,
                f"indice « {repetition or 'aucun'} » introuvable : position du numéro {shown}",
            )
        same_side = [(n, row) for n, row in numbered if n % 2 == wanted % 2] or numbered
        _, closest = min(same_side, key=lambda pair: (abs(pair[0] - wanted), pair[0]))
        return _hit(
            closest,
            Precision.STREET,
            score * 0.9,
            f"numéro {house_number} introuvable dans la voie : position approximative "
            f"(numéro {closest['number']})",
        )
    unnumbered = [row for row in rows if _number(row["number"]) is None]
    if unnumbered:
        return _hit(unnumbered[0], Precision.STREET, score)
    return _hit(
        _medoid(rows), Precision.STREET, score, "position approximative (milieu de la voie)"
    )


def _medoid(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The address point closest to the mean position: always on the street itself."""
    mean_lon = statistics.fmean(float(row["lon"]) for row in rows)
    mean_lat = statistics.fmean(float(row["lat"]) for row in rows)
    return min(
        rows,
        key=lambda row: (float(row["lon"]) - mean_lon) ** 2 + (float(row["lat"]) - mean_lat) ** 2,
    )
