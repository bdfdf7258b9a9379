"""The in-memory gazetteer of communes: the geocoder's, and the copy kept by the search index.

It knows every current commune (and municipal arrondissement) with a position (its centre,
else its town hall), its postcodes, population and département, plus the old names of
communes déléguées and associées. The same names, folded into words with the same
abbreviations (:func:`~geodata.geocoding.normalise.place_words`), are read three ways:

* an address (`match_words`): its last (else first) words name the commune, with one typo
  allowed (squashed keys in a :class:`~geodata.geocoding.fuzzy.FuzzyIndex`);
* the first letters of a name (`complete_name`), for autocompletion;
* a free text (`find`): any run of words may name the commune (see
  :mod:`geodata.geocoding.place_in_text`).

About 40 000 names take ~15 MB in memory. Each reading builds its index at its first use
(~1 s for the typo index, see `prepare`), so that a copy that only reads free text (the
search's) costs a fraction of that. Two threads reading first at the same time may both
build an index; one of them is kept (the geocoder prepares its gazetteer under its lock).
"""

from __future__ import annotations

import enum
import heapq
from array import array
from bisect import bisect_left
from collections.abc import Collection, Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

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
from geodata.geocoding.place_in_text import PlaceMatch, TextNames
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
    lon: float
    lat: float
    population: int = 0
    postcodes: tuple[str, ...] = ()


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
    """Communes, their names and their postcodes (see the module docstring).

    ``former_names`` are (old name, current INSEE code) pairs; an old name equal to the
    current one, or of a commune that is not in ``places``, is left out. Each commune is
    also known by its name without its article (« Touquet-Paris-Plage »). In free text,
    names are read without the ``ignored_words`` (the words the caller drops from texts).
    """

    def __init__(
        self,
        places: Sequence[Place] = (),
        former_names: Iterable[tuple[str, str]] = (),
        departement_names: Mapping[str, str] | None = None,
        *,
        ignored_words: Collection[str] = frozenset(),
    ) -> None:
        self.places = list(places)
        self.departement_names = dict(departement_names or {})
        self.ignored_words = frozenset(ignored_words)
        self._entry_place = array("i")
        self._entry_kind = array("b")
        self._entry_name: list[str] = []
        self._entry_words: list[str] = []  # the name's words, space-separated
        self.by_insee: dict[str, int] = {}
        for index, place in enumerate(self.places):
            self.by_insee.setdefault(place.insee_code, index)
            tokens = place_words(place.name)
            self._add_entry(index, NameKind.NAME, place.name, tokens)
            if without_leading_article(tokens) != tokens:
                self._add_entry(
                    index, NameKind.WITHOUT_ARTICLE, place.name, without_leading_article(tokens)
                )
        for old_name, insee_code in dict.fromkeys(former_names):
            place_index = self.by_insee.get(insee_code)
            if place_index is None:
                continue
            old_words = place_words(old_name)
            if old_words != place_words(self.places[place_index].name):
                self._add_entry(place_index, NameKind.FORMER, old_name, old_words)
        by_postcode: dict[str, list[int]] = {}
        for index, place in enumerate(self.places):
            for postcode in place.postcodes:
                by_postcode.setdefault(postcode, []).append(index)
        self._by_postcode = {
            code: sorted(indices, key=lambda i: -self.places[i].population)
            for code, indices in by_postcode.items()
        }
        self._postcodes = sorted(self._by_postcode)
        self._completions: dict[tuple[object, ...], list[NameMatch]] = {}
        self._typo_index: FuzzyIndex | None = None
        self._prefixes: tuple[list[str], array[int]] | None = None
        self._text_names: TextNames | None = None

    def _add_entry(self, place_index: int, kind: NameKind, name: str, tokens: list[str]) -> None:
        self._entry_place.append(place_index)
        self._entry_kind.append(kind)
        self._entry_name.append(name)
        self._entry_words.append(" ".join(tokens))

    @property
    def departement_codes(self) -> frozenset[str]:
        return frozenset(self.departement_names)

    def __len__(self) -> int:
        return len(self._entry_name)

    # -- indexes, built at first use --------------------------------------------------------

    def prepare(self) -> None:
        """Build the address indexes now (about 1 s) rather than at the first address."""
        self._typos()
        self._prefix_index()

    def _typos(self) -> FuzzyIndex:
        if self._typo_index is None:
            self._typo_index = FuzzyIndex([words.replace(" ", "") for words in self._entry_words])
        return self._typo_index

    def _prefix_index(self) -> tuple[list[str], array[int]]:
        if self._prefixes is None:
            prefixes = sorted((words, entry) for entry, words in enumerate(self._entry_words))
            self._prefixes = (
                [key for key, _ in prefixes],
                array("i", (entry for _, entry in prefixes)),
            )
        return self._prefixes

    def _text(self) -> TextNames:
        if self._text_names is None:
            names = (
                (
                    tuple(w for w in words.split(" ") if w not in self.ignored_words),
                    self.places[self._entry_place[entry]],
                    self._entry_kind[entry] == NameKind.FORMER,
                )
                for entry, words in enumerate(self._entry_words)
            )
            self._text_names = TextNames(names, self.ignored_words, MAX_NAME_WORDS)
        return self._text_names

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
        index = self._typos()
        for entry, distance in index.within_one_edit(key):
            match = self._match(entry, distance, start, end)
            if distance and index.key(entry)[:1] == key[:1]:
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
        keys, entries = self._prefix_index()
        for prefix in prefixes:
            position = bisect_left(keys, prefix)
            while position < len(keys) and keys[position].startswith(prefix):
                entry = entries[position]
                place_index = self._entry_place[entry]
                place = self.places[place_index]
                rank = (
                    keys[position] == prefix,
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

    # -- free text -----------------------------------------------------------------------

    def find(
        self,
        query_words: Sequence[str],
        taken: Iterable[int] = (),
        common_words: Container[str] = frozenset(),
        preferred: Container[str] = frozenset(),
    ) -> PlaceMatch | None:
        """The commune named anywhere in ``query_words`` (see `TextNames.find`)."""
        return self._text().find(query_words, taken, common_words, preferred)

    def near_words(self, word: str, max_distance: int) -> list[str]:
        """Words of commune names within ``max_distance`` edits (same first two letters)."""
        return self._text().near_words(word, max_distance)

    @property
    def words(self) -> frozenset[str]:
        """Every word of every commune name, as free text is read."""
        return self._text().words

    @property
    def by_name(self) -> Mapping[tuple[str, ...], list[Place]]:
        """Communes by the words of their names, as free text is read."""
        return self._text().by_name

    # -- copies ----------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        """The data, for a copy (the search index keeps one with its documents)."""
        return {
            "places": [
                [
                    p.insee_code,
                    p.name,
                    p.departement_code,
                    p.lon,
                    p.lat,
                    p.population,
                    list(p.postcodes),
                ]
                for p in self.places
            ],
            "former_names": [
                [name, self.places[self._entry_place[entry]].insee_code]
                for entry, name in enumerate(self._entry_name)
                if self._entry_kind[entry] == NameKind.FORMER
            ],
            "departements": dict(sorted(self.departement_names.items())),
        }

    @classmethod
    def from_json(
        cls, data: Mapping[str, Any], *, ignored_words: Collection[str] = frozenset()
    ) -> Gazetteer:
        places = [
            Place(row[0], row[1], row[2], row[3], row[4], row[5], tuple(row[6]))
            for row in data.get("places", [])
        ]
        former_names = [(name, insee_code) for name, insee_code in data.get("former_names", [])]
        return cls(places, former_names, data.get("departements"), ignored_words=ignored_words)


def load_gazetteer(session: Session, *, ignored_words: Collection[str] = frozenset()) -> Gazetteer:
    """Read communes, former communes and départements (a few hundred ms on both backends).

    A commune is placed at its centre, else at its town hall; one with neither (COM,
    communes merged in 2025-2026) is left out: there is nothing to measure from.
    """
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
    for code, name, departement, postcodes, population, c_lon, c_lat, h_lon, h_lat in rows:
        lon, lat = (c_lon, c_lat) if c_lon is not None else (h_lon, h_lat)
        if lon is None or lat is None:
            continue
        places.append(
            Place(
                insee_code=code,
                name=name,
                departement_code=departement,
                lon=float(lon),
                lat=float(lat),
                population=population or 0,
                postcodes=tuple(p for p in (postcodes or "").split("|") if p),
            )
        )
    former_names = session.execute(
        select(FormerCommune.name, FormerCommune.current_insee_code).distinct()
    ).tuples()
    departements = dict(session.execute(select(Departement.code, Departement.name)).tuples().all())
    return Gazetteer(places, former_names, departements, ignored_words=ignored_words)
