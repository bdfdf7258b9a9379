"""The commune named somewhere in a free text: « rsa saint-gaudens », « mairie castanet 31320 ».

This is how the gazetteer reads a search (`Gazetteer.find`); an address is read by its last
words instead (`Gazetteer.match_words`). Any run of words may name a commune. Names are
compared as whole words, with the abbreviations spelled out as in addresses (« st » =
« saint ») and without the gazetteer's ``ignored_words``: the search drops French stop
words from its queries, and names are read without them too (« Villefranche de
Lauragais » = « villefranche lauragais »). A name may also be the first words of a longer
one (« castanet » for Castanet-Tolosan) or the name of a former commune. Homonyms are
settled by a postcode or a département number also present in the text, then by the
territories served, then by population.

Typos are not read here: the caller corrects its words first (`TextNames.near_words` gives
the commune words one or two edits away), as the search does for every word.
"""

from __future__ import annotations

from collections.abc import Collection, Container, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from geodata.geocoding.fuzzy import osa_distance
from geodata.geocoding.normalise import PLACE_ABBREVIATIONS

if TYPE_CHECKING:
    from geodata.geocoding.gazetteer import Place

SHORT_NAME_FACTOR = 10
"""« Saint-Orens » usually means Saint-Orens-de-Gameville (12 000 inhabitants), not the
village of Saint-Orens (Gers): a commune named by the first words of its name wins over an
exact homonym this many times smaller."""
GENERIC_FIRST_WORDS = frozenset({"saint", "sainte", "saints", "saintes", "notre"})
"""Alone, these words name no commune (« Sainte-Même » without its stop word would be a
name for any « sainte »), nor do they start a short name."""


@dataclass(frozen=True)
class PlaceMatch:
    """The place read in a text, and which of the text's words named it."""

    place: Place
    start: int
    end: int

    @property
    def label(self) -> str:
        return f"{self.place.name} ({self.place.departement_code})"


class TextNames:
    """Commune names as tuples of words: current names, their first words, former names."""

    def __init__(
        self,
        names: Iterable[tuple[tuple[str, ...], Place, bool]],
        ignored_words: Collection[str],
        max_name_words: int,
    ) -> None:
        """``names``: (words of the name, place, is a former name)."""
        self.ignored_words = frozenset(ignored_words)
        self.max_name_words = max_name_words
        self.by_name: dict[tuple[str, ...], list[Place]] = {}
        self.by_former_name: dict[tuple[str, ...], list[Place]] = {}
        for key, place, is_former in names:
            if not key or len(key) > max_name_words:
                continue
            if len(key) == 1 and key[0] in GENERIC_FIRST_WORDS:
                continue
            homonyms = (self.by_former_name if is_former else self.by_name).setdefault(key, [])
            if all(known.insee_code != place.insee_code for known in homonyms):
                homonyms.append(place)
        named = {
            place.insee_code: place
            for homonyms in (*self.by_name.values(), *self.by_former_name.values())
            for place in homonyms
        }
        self.by_postcode: dict[str, list[Place]] = {}
        for place in named.values():
            for postcode in place.postcodes:
                self.by_postcode.setdefault(postcode, []).append(place)
        self.short_names: dict[tuple[str, ...], list[Place]] = {}
        for key, places in self.by_name.items():
            for length in range(1, len(key)):
                prefix = key[:length]
                if length == 1 and prefix[0] in GENERIC_FIRST_WORDS:
                    continue
                self.short_names.setdefault(prefix, []).extend(places)
        self.words = frozenset(word for key in self.by_name for word in key)
        """Every word of every current commune name."""
        buckets: dict[tuple[str, int], set[str]] = {}
        for word in self.words:
            buckets.setdefault((word[:2], len(word)), set()).add(word)
        self._words_by_shape = {shape: sorted(words) for shape, words in buckets.items()}

    def near_words(self, word: str, max_distance: int) -> list[str]:
        """Words of commune names within ``max_distance`` edits (same first two letters)."""
        found = []
        for length in range(len(word) - max_distance, len(word) + max_distance + 1):
            for known in self._words_by_shape.get((word[:2], length), ()):
                if known != word and osa_distance(word, known, max_distance) <= max_distance:
                    found.append(known)
        return found

    def find(
        self,
        query_words: Sequence[str],
        taken: Iterable[int] = (),
        common_words: Container[str] = frozenset(),
        preferred: Container[str] = frozenset(),
    ) -> PlaceMatch | None:
        """The best place named by ``query_words``; positions in ``taken`` are not names.

        The longest name wins, then the most populated place. A one-word name that is also
        one of the ``common_words`` (« bus », « santé »…) is only read as a place when a
        postcode or département number in the text points to it. Homonyms in the
        ``preferred`` départements (the territories served) win over the others.
        """
        typed = [PLACE_ABBREVIATIONS.get(word, word) for word in query_words]
        blocked = set(taken)
        hints = {word for word in typed if word.isdigit()}
        candidates: list[tuple[int, int, PlaceMatch]] = []
        for start in range(len(typed)):
            if typed[start] in self.ignored_words:
                continue
            for end in range(min(len(typed), start + self.max_name_words), start, -1):
                if blocked.intersection(range(start, end)) or typed[end - 1] in self.ignored_words:
                    continue
                place = self._place_named(typed[start:end], hints, common_words, preferred)
                if place is not None:
                    candidates.append(
                        (end - start, place.population, PlaceMatch(place, start, end))
                    )
                    break
        if not candidates:
            return None
        return max(candidates, key=lambda item: (item[0], item[1]))[2]

    def _place_named(
        self,
        span: Sequence[str],
        hints: set[str],
        common_words: Container[str],
        preferred: Container[str],
    ) -> Place | None:
        key = tuple(word for word in span if word not in self.ignored_words)
        named = [
            names.get(key, []) for names in (self.by_name, self.short_names, self.by_former_name)
        ]
        if len(key) == 1 and key[0] in common_words:
            named = [[place for place in places if _hinted(place, hints)] for places in named]
        if any(named):
            return choose_place(*named, hints=hints, preferred=preferred)
        if len(span) == 1 and key[0] in self.by_postcode:
            return choose_place(self.by_postcode[key[0]], [], [], hints=set(), preferred=())
        return None


def choose_place(
    exact: Sequence[Place],
    short: Sequence[Place],
    former: Sequence[Place],
    *,
    hints: set[str],
    preferred: Container[str],
) -> Place:
    """The place a name most likely means.

    A place whose postcode or département is in the text; else the biggest one in a
    preferred département (exact names first, then short names, then former names); else
    the most populous commune of that exact name, unless one whose name starts with these
    words is `SHORT_NAME_FACTOR` times bigger; else the biggest of those; else a commune
    that had this name before a merger (the same test applies between those two).
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


def _hinted(place: Place, hints: set[str]) -> bool:
    return bool(hints & set(place.postcodes)) or place.departement_code in hints


def _size(place: Place) -> tuple[int, str]:
    return place.population, place.insee_code
