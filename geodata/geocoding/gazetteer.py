"""The in-memory gazetteer of communes, built once per process from the database.

It knows every current commune (and municipal arrondissement) with a position, its
postcodes, population and département, plus the old names of communes déléguées and
associées. Names are indexed by squashed key for exact and one-typo matching
(:class:`~geodata.geocoding.fuzzy.FuzzyIndex`) and by spaced key for prefix completion.
About 40 000 names take ~15 MB in memory and ~1 s to build.
"""

from __future__ import annotations

import enum
import heapq
from array import array
from bisect import bisect_left
from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from geodata.geocoding.fuzzy import FuzzyIndex
from geodata.geocoding.normalise import (
    PLACE_ABBREVIATIONS,
    expand,
    place_words,
    squash,
    without_leading_article,
)
from geodata.models import Commune, Departement, FormerCommune
from geodata.spatial import lon_lat_of

MAX_NAME_WORDS = 10
"""The longest commune names have 7 or 8 words ("Saint-Remy-en-Bouzemont-Saint-Genest-et-Isson")."""


@dataclass(frozen=True, slots=True)
class Place:
    """A commune as the gazetteer knows it; ``lon``/``lat`` is its centre (or its town hall)."""

    insee_code: str
    name: str
    departement_code: str
    postcodes: tuple[str, ...]
    population: int
    lon: float
    lat: float


class NameKind(enum.IntEnum):
    NAME = 0
    WITHOUT_ARTICLE = 1
    FORMER = 2


NAME_KIND_SCORES = {NameKind.NAME: 0.9, NameKind.WITHOUT_ARTICLE: 0.86, NameKind.FORMER: 0.86}
COMPLETION_CACHE_SIZE = 4096
TYPO_PENALTY = 0.12
SAME_INITIAL_BONUS = 0.005


@dataclass(frozen=True)
class NameMatch:
    """A commune found from some of the query's words (``start`` is the first of them)."""

    place: Place
    score: float
    start: int
    end: int
    typed_name: str
    former_name: str | None = None
    is_typo: bool = False
    ranking_bonus: float = 0.0
    """Part of ``score`` that only ranks (territory preference, population), never shown."""

    @property
    def quality(self) -> float:
        """How well the typed words match the name (and postcode): the score shown."""
        return self.score - self.ranking_bonus


class Gazetteer:
    def __init__(
        self,
        places: list[Place],
        names: Iterable[tuple[int, NameKind, str]],
        departement_names: dict[str, str],
    ) -> None:
        self.places = places
        self.departement_names = departement_names
        self._entry_place = array("i")
        self._entry_kind = array("b")
        self._entry_name: list[str] = []
        keys: list[str] = []
        prefixes: list[tuple[str, int]] = []
        for place_index, kind, name in names:
            tokens = place_words(name)
            key_tokens = (
                without_leading_article(tokens) if kind is NameKind.WITHOUT_ARTICLE else tokens
            )
            entry = len(keys)
            keys.append(squash(key_tokens))
            self._entry_place.append(place_index)
            self._entry_kind.append(kind)
            self._entry_name.append(name)
            prefixes.append((" ".join(key_tokens), entry))
        self._index = FuzzyIndex(keys)
        prefixes.sort()
        self._prefix_keys = [key for key, _ in prefixes]
        self._prefix_entries = array("i", (entry for _, entry in prefixes))
        self.by_insee = {place.insee_code: index for index, place in enumerate(places)}
        by_postcode: dict[str, list[int]] = {}
        for index, place in enumerate(places):
            for postcode in place.postcodes:
                by_postcode.setdefault(postcode, []).append(index)
        self._by_postcode = {
            code: sorted(indices, key=lambda i: -places[i].population)
            for code, indices in by_postcode.items()
        }
        self._postcodes = sorted(self._by_postcode)
        self._completions: dict[tuple[object, ...], list[NameMatch]] = {}

    @property
    def departement_codes(self) -> frozenset[str]:
        return frozenset(self.departement_names)

    def __len__(self) -> int:
        return len(self._index)

    def _match(self, entry: int, distance: int, start: int, end: int) -> NameMatch:
        kind = NameKind(self._entry_kind[entry])
        place = self.places[self._entry_place[entry]]
        name = self._entry_name[entry]
        return NameMatch(
            place=place,
            score=NAME_KIND_SCORES[kind] - TYPO_PENALTY * distance,
            start=start,
            end=end,
            typed_name=name,
            former_name=name if kind is NameKind.FORMER else None,
            is_typo=distance > 0,
        )

    def match_key(self, key: str, start: int = 0, end: int = 0) -> list[NameMatch]:
        """Communes whose name (or old name) is at most one edit away from ``key``.

        Among typos, names with the same first letter get a tiny edge: people seldom
        mistype the first letter.
        """
        best: dict[str, NameMatch] = {}
        for entry, distance in self._index.within_one_edit(key):
            match = self._match(entry, distance, start, end)
            if distance and self._index.key(entry)[:1] == key[:1]:
                match = replace(
                    match,
                    score=match.score + SAME_INITIAL_BONUS,
                    ranking_bonus=SAME_INITIAL_BONUS,
                )
            current = best.get(match.place.insee_code)
            if current is None or match.score > current.score:
                best[match.place.insee_code] = match
        return list(best.values())

    def match_words(self, words: tuple[str, ...]) -> list[NameMatch]:
        """Communes named by the longest run of final words (else initial words) of a query.

        "rue des capucins arras" → Arras, starting at word 3; the words before are the
        street. The longest run wins, typo or not, so "beaumets les loges" (a typo of
        Beaumetz-lès-Loges) is not mistaken for Les Loges.
        """
        count = len(words)
        for start in range(max(0, count - MAX_NAME_WORDS), count):
            key = squash(expand(list(words[start:]), PLACE_ABBREVIATIONS))
            matches = self.match_key(key, start, count)
            if matches:
                return matches
        for end in range(min(count - 1, MAX_NAME_WORDS), 0, -1):
            key = squash(expand(list(words[:end]), PLACE_ABBREVIATIONS))
            matches = self.match_key(key, 0, end)
            if matches:
                return matches
        return []

    def places_with_postcode(self, postcode: str) -> list[Place]:
        """Communes served by a postcode, most populated first."""
        return [self.places[i] for i in self._by_postcode.get(postcode, ())]

    def complete_postcode(self, prefix: str, limit: int) -> list[tuple[str, Place]]:
        out: list[tuple[str, Place]] = []
        start = bisect_left(self._postcodes, prefix)
        for code in self._postcodes[start:]:
            if not code.startswith(prefix) or len(out) >= limit:
                break
            out.extend((code, place) for place in self.places_with_postcode(code))
        return out[:limit]

    def complete_name(
        self, prefixes: Collection[str], preferred: frozenset[str], count: int = 40
    ) -> list[NameMatch]:
        """Up to ``count`` communes whose name starts with one of the spaced ``prefixes``.

        The ``count`` kept are those a full name matches exactly, then those of the
        ``preferred`` départements, then the most populated: a short prefix ("sa") covers
        thousands of names, so the choice is made on plain numbers and cached.
        """
        cache_key = (tuple(sorted(prefixes)), preferred, count)
        cached = self._completions.get(cache_key)
        if cached is not None:
            return cached
        best: dict[int, tuple[bool, bool, int, int]] = {}
        for prefix in prefixes:
            position = bisect_left(self._prefix_keys, prefix)
            while position < len(self._prefix_keys) and self._prefix_keys[position].startswith(
                prefix
            ):
                entry = self._prefix_entries[position]
                place_index = self._entry_place[entry]
                place = self.places[place_index]
                rank = (
                    self._prefix_keys[position] == prefix,
                    place.departement_code in preferred,
                    place.population,
                    -entry,
                )
                if place_index not in best or rank > best[place_index]:
                    best[place_index] = rank
                position += 1
        chosen = heapq.nlargest(count, best.values())
        matches = []
        for exact, _, _, negative_entry in chosen:
            match = self._match(-negative_entry, 0, 0, 0)
            matches.append(match if exact else replace(match, score=match.score - 0.05))
        if len(self._completions) >= COMPLETION_CACHE_SIZE:
            self._completions.clear()
        self._completions[cache_key] = matches
        return matches


def load_gazetteer(session: Session) -> Gazetteer:
    """Read communes, former communes and départements (a few hundred ms on both backends)."""
    centre_lon, centre_lat = lon_lat_of(Commune.centre)
    hall_lon, hall_lat = lon_lat_of(Commune.town_hall)
    rows = session.execute(
        select(
            Commune.insee_code,
            Commune.name,
            Commune.departement_code,
            Commune.postal_codes,
            Commune.population,
            centre_lon,
            centre_lat,
            hall_lon,
            hall_lat,
        ).order_by(Commune.insee_code)
    ).all()
    places: list[Place] = []
    names: list[tuple[int, NameKind, str]] = []
    index_of: dict[str, int] = {}
    for code, name, departement, postcodes, population, c_lon, c_lat, h_lon, h_lat in rows:
        lon, lat = (c_lon, c_lat) if c_lon is not None else (h_lon, h_lat)
        if lon is None or lat is None:
            continue  # no position at all (COM, communes merged in 2025-2026): not geocodable
        index_of[code] = len(places)
        places.append(
            Place(
                insee_code=code,
                name=name,
                departement_code=departement,
                postcodes=tuple(p for p in postcodes.split("|") if p),
                population=population or 0,
                lon=float(lon),
                lat=float(lat),
            )
        )
        names.append((index_of[code], NameKind.NAME, name))
        tokens = place_words(name)
        if without_leading_article(tokens) != tokens:
            names.append((index_of[code], NameKind.WITHOUT_ARTICLE, name))
    for old_name, current in session.execute(
        select(FormerCommune.name, FormerCommune.current_insee_code).distinct()
    ):
        place_index = index_of.get(current)
        if place_index is None:
            continue
        if squash(place_words(old_name)) != squash(place_words(places[place_index].name)):
            names.append((place_index, NameKind.FORMER, old_name))
    departements = dict(session.execute(select(Departement.code, Departement.name)).tuples().all())
    return Gazetteer(places, names, departements)
