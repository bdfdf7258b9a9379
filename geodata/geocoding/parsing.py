"""Splitting a typed query into words, postcode, département, house number and repetition."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from geodata.geocoding.normalise import NOISE_WORDS, STREET_ABBREVIATIONS, STREET_TYPES, words

POSTCODE = re.compile(r"^[0-9]{5}$")
HOUSE_NUMBER = re.compile(r"^([0-9]{1,4})(bis|ter|quater|quinquies|[a-h])?$")
REPETITIONS = frozenset({"bis", "ter", "quater", "quinquies"})
LETTER_REPETITION = re.compile(r"^[a-h]$")


@dataclass(frozen=True)
class ParsedQuery:
    """A query cut into parts. ``words`` are folded words with the other parts removed."""

    words: tuple[str, ...]
    postcode: str | None = None
    departement: str | None = None
    house_number: str | None = None
    repetition: str | None = None

    @property
    def is_empty(self) -> bool:
        return not self.words and self.postcode is None


def _drop_noise(tokens: list[str]) -> list[str]:
    """Remove "cedex 9", "BP 123", "CS 40001" and a final "France"."""
    kept: list[str] = []
    skip_number = False
    for token in tokens:
        if skip_number and token.isdigit():
            skip_number = False
            continue
        skip_number = False
        if token in NOISE_WORDS:
            skip_number = token != "france"
            continue
        kept.append(token)
    return kept


def _is_street_start(token: str) -> bool:
    return token in STREET_TYPES or token in STREET_ABBREVIATIONS


def parse_query(text: str, departement_codes: Collection[str] = ()) -> ParsedQuery:
    tokens = _drop_noise(words(text))
    postcode = next((t for t in tokens if POSTCODE.fullmatch(t)), None)
    if postcode is not None:
        tokens.remove(postcode)
    departement = None
    if len(tokens) > 1 and tokens[-1] in departement_codes and not tokens[-2].isdigit():
        departement = tokens.pop()
    house_number = repetition = None
    if len(tokens) > 1:
        match = HOUSE_NUMBER.fullmatch(tokens[0])
        if match is not None and (
            match.group(2) is None or match.group(2) in REPETITIONS or _is_street_start(tokens[1])
        ):
            house_number, repetition = match.group(1).lstrip("0") or "0", match.group(2)
            tokens = tokens[1:]
            if (
                len(tokens) > 1
                and repetition is None
                and (
                    tokens[0] in REPETITIONS
                    or (LETTER_REPETITION.fullmatch(tokens[0]) and _is_street_start(tokens[1]))
                )
            ):
                repetition, tokens = tokens[0], tokens[1:]
    return ParsedQuery(tuple(tokens), postcode, departement, house_number, repetition)
