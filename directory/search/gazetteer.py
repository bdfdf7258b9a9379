"""Commune names and postcodes found in a query (« rsa saint-gaudens », « mairie 31600 »).

A place named in the text becomes a point to rank by distance from, so that a query about a
commune without any matching partner still finds the nearest ones. Names are compared as
folded words without stop words (« Villefranche de Lauragais » = « Villefranche-de-Lauragais »),
``st``/``ste`` are read as ``saint``/``sainte``. Homonyms are settled by a postcode or a
département number also present in the query, otherwise by the largest population.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from directory.search.analysis import words
from geodata.geocoding.fuzzy import osa_distance

ABBREVIATIONS: Mapping[str, str] = {"st": "saint", "ste": "sainte", "sts": "saints"}
MAX_NAME_WORDS = 8
# « Saint-Orens » usually means Saint-Orens-de-Gameville (12 000 inhabitants), not the
# village of Saint-Orens (Gers): a commune named by the first words of its name wins over
# an exact homonym this many times smaller.
SHORT_NAME_FACTOR = 10
GENERIC_FIRST_WORDS = frozenset({"saint", "sainte", "saints", "saintes", "notre"})


@dataclass(frozen=True)
class Place:
    """A commune that a query can name."""

    insee_code: str
    name: str
    departement_code: str
    lon: float
    lat: float
    population: int = 0
    postcodes: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlaceMatch:
    """The place read in the query, and which query words named it."""

    place: Place
    start: int
    end: int

    @property
    def label(self) -> str:
        return f"{self.place.name} ({self.place.departement_code})"


def normalise_query_words(query_words: Sequence[str]) -> list[str]:
    return [ABBREVIATIONS.get(word, word) for word in query_words]


@dataclass
class Gazetteer:
    by_name: dict[tuple[str, ...], list[Place]] = field(default_factory=dict)
    by_postcode: dict[str, list[Place]] = field(default_factory=dict)
    by_former_name: dict[tuple[str, ...], list[Place]] = field(default_factory=dict)
    _words_by_shape: dict[tuple[str, int], list[str]] | None = field(default=None, repr=False)
    _short_names: dict[tuple[str, ...], list[Place]] | None = field(default=None, repr=False)
    _words: frozenset[str] | None = field(default=None, repr=False)

    @property
    def words(self) -> frozenset[str]:
        """Every word of every commune name."""
        if self._words is None:
            self._words = frozenset(word for key in self.by_name for word in key)
        return self._words

    def short_names(self) -> dict[tuple[str, ...], list[Place]]:
        """First words of longer names: (« castanet »,) → Castanet-Tolosan…"""
        if self._short_names is None:
            short: dict[tuple[str, ...], list[Place]] = {}
            for key, places in self.by_name.items():
                for length in range(1, len(key)):
                    prefix = key[:length]
                    if length == 1 and prefix[0] in GENERIC_FIRST_WORDS:
                        continue
                    short.setdefault(prefix, []).extend(places)
            self._short_names = short
        return self._short_names

    def near_words(self, word: str, max_distance: int) -> list[str]:
        """Words of commune names within ``max_distance`` edits (same first two letters)."""
        if self._words_by_shape is None:
            buckets: dict[tuple[str, int], set[str]] = {}
            for key in self.by_name:
                for name_word in key:
                    buckets.setdefault((name_word[:2], len(name_word)), set()).add(name_word)
            self._words_by_shape = {k: sorted(v) for k, v in buckets.items()}
        found = []
        for length in range(len(word) - max_distance, len(word) + max_distance + 1):
            for known in self._words_by_shape.get((word[:2], length), ()):
                if known != word and osa_distance(word, known, limit=max_distance) <= max_distance:
                    found.append(known)
        return found

    @classmethod
    def build(
        cls, places: Iterable[Place], other_names: Iterable[tuple[str, str]] = ()
    ) -> Gazetteer:
        """``other_names``: (former commune name, current INSEE code) pairs."""
        gazetteer = cls()
        by_code: dict[str, Place] = {}
        for place in places:
            by_code[place.insee_code] = place
            gazetteer._add_name(place.name, place)
            for postcode in place.postcodes:
                gazetteer.by_postcode.setdefault(postcode, []).append(place)
        for name, insee_code in other_names:
            if insee_code in by_code:
                gazetteer._add_name(name, by_code[insee_code], gazetteer.by_former_name)
        return gazetteer

    def _add_name(
        self, name: str, place: Place, names: dict[tuple[str, ...], list[Place]] | None = None
    ) -> None:
        key = tuple(words(name))
        if (
            not key
            or len(key) > MAX_NAME_WORDS
            or (len(key) == 1 and key[0] in GENERIC_FIRST_WORDS)
        ):
            return  # « Sainte-Même » minus its stop word would be a name for any « sainte »
        homonyms = (self.by_name if names is None else names).setdefault(key, [])
        if all(known.insee_code != place.insee_code for known in homonyms):
            homonyms.append(place)

    def find(
        self,
        query_words: Sequence[str],
        taken: Iterable[int] = (),
        common_words: Container[str] = frozenset(),
        preferred: Container[str] = frozenset(),
    ) -> PlaceMatch | None:
        """The best place named by ``query_words``; positions in ``taken`` are not names.

        A one-word name that is also a word of ``common_words`` (« bus », « santé »…) is
        only read as a place when a postcode or département number in the query points to it.
        Homonyms in the ``preferred`` départements (the territory served) win over others.
        """
        blocked = set(taken)
        hints = {word for word in query_words if word.isdigit()}
        short_names = self.short_names()
        candidates: list[tuple[int, int, PlaceMatch]] = []
        for start in range(len(query_words)):
            for end in range(min(len(query_words), start + MAX_NAME_WORDS), start, -1):
                if blocked.intersection(range(start, end)):
                    continue
                key = tuple(query_words[start:end])
                named = [
                    names.get(key, []) for names in (self.by_name, short_names, self.by_former_name)
                ]
                if len(key) == 1 and key[0] in common_words:
                    named = [[p for p in places if _hinted(p, hints)] for places in named]
                if any(named):
                    place = _choose(*named, hints=hints, preferred=preferred)
                elif end == start + 1 and key[0] in self.by_postcode:
                    place = _choose(self.by_postcode[key[0]], [], [], hints=set(), preferred=())
                else:
                    continue
                candidates.append((end - start, place.population, PlaceMatch(place, start, end)))
                break
        if not candidates:
            return None
        return max(candidates, key=lambda item: (item[0], item[1]))[2]

    def to_json(self) -> dict[str, Any]:
        places: dict[str, Place] = {}
        for homonyms in (*self.by_name.values(), *self.by_former_name.values()):
            places.update((place.insee_code, place) for place in homonyms)
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
                for p in sorted(places.values(), key=lambda p: p.insee_code)
            ],
            "names": _names_json(self.by_name),
            "former_names": _names_json(self.by_former_name),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Gazetteer:
        gazetteer = cls()
        places = {
            row[0]: Place(row[0], row[1], row[2], row[3], row[4], row[5], tuple(row[6]))
            for row in data.get("places", [])
        }
        for key, codes in data.get("names", []):
            gazetteer.by_name[tuple(key)] = [places[code] for code in codes]
        for key, codes in data.get("former_names", []):
            gazetteer.by_former_name[tuple(key)] = [places[code] for code in codes]
        for place in places.values():
            for postcode in place.postcodes:
                gazetteer.by_postcode.setdefault(postcode, []).append(place)
        return gazetteer


def _names_json(names: Mapping[tuple[str, ...], list[Place]]) -> list[Any]:
    return [[list(key), [p.insee_code for p in places]] for key, places in sorted(names.items())]


def _hinted(place: Place, hints: set[str]) -> bool:
    return bool(hints & set(place.postcodes)) or place.departement_code in hints


def _choose(
    exact: Sequence[Place],
    short: Sequence[Place],
    former: Sequence[Place],
    *,
    hints: set[str],
    preferred: Container[str],
) -> Place:
    """The place a name most likely means.

    A place whose postcode or département is in the query; else the biggest one in a
    preferred département (exact names first, then short names, then former names); else
    the most populous commune
    of that exact name, unless one whose name starts with these words is
    `SHORT_NAME_FACTOR` times bigger; else the biggest of those; else a commune that had this
    name before a merger (the same test applies between those two).
    """
    for place in (*exact, *short, *former):
        if _hinted(place, hints):
            return place
    for group in (exact, short, former):
        local = [place for place in group if place.departement_code in preferred]
        if local:
            return max(local, key=_size)
    best = [max(places, key=_size, default=None) for places in (exact, short, former)]
    chosen = best[0]
    for challenger in best[1:]:
        if chosen is None or (
            challenger is not None and challenger.population > SHORT_NAME_FACTOR * chosen.population
        ):
            chosen = chosen if challenger is None else challenger
    assert chosen is not None
    return chosen


def _size(place: Place) -> tuple[int, str]:
    return place.population, place.insee_code
