"""From what a person types to index clauses: rights and kinds, a place, words, typos.

« aide dossier rsa saint-gaudens » reads as: the concept *RSA* (required), the place
*Saint-Gaudens* (a point to rank by distance, its words an optional boost) and two weak
words (« aide », « dossier ») that only add to the score. Each remaining word is required;
an unknown word of 4 letters or more is widened to the nearest known words (typos).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from directory.search.analysis import stem, words
from directory.search.gazetteer import normalise_query_words
from directory.search.protocol import SearchIndex, TextClause, WordMatch
from directory.search.thesaurus import WEAK_WORDS, Thesaurus
from geodata.geocoding.place_in_text import PlaceMatch

MIN_CORRECTED_LENGTH = 4
LONG_WORD_LENGTH = 8
MAX_READINGS = 4


@dataclass(frozen=True)
class Correction:
    typed: str
    read_as: tuple[str, ...]


@dataclass(frozen=True)
class Understanding:
    clauses: tuple[TextClause, ...]
    place: PlaceMatch | None
    rights: frozenset[str]  # rights the text asks about (synonyms, acronyms, names)
    corrections: tuple[Correction, ...]

    @property
    def has_required_text(self) -> bool:
        return any(clause.required for clause in self.clauses)


def understand(
    text: str,
    index: SearchIndex,
    *,
    detect_place: bool,
    preferred_departements: Sequence[str] = (),
) -> Understanding:
    query_words = normalise_query_words(words(text))
    thesaurus = index.thesaurus
    gazetteer = index.gazetteer
    phrases = thesaurus.find(
        query_words, lambda word: word in gazetteer.words or index.is_known_word(word)
    )
    taken = {i for match in phrases for i in range(match.start, match.end)}
    loose = [i for i in range(len(query_words)) if i not in taken]
    weak = {i for i in loose if query_words[i] in WEAK_WORDS}
    matches = {i: _word_match(query_words[i], thesaurus, index) for i in loose if i not in weak}
    place = None
    if detect_place:  # commune names are read on the words as corrected (« toulousse »)
        read_words = list(query_words)
        for i, (_, correction) in matches.items():
            if correction is not None:
                read_words[i] = correction.read_as[0]
        blocked, common = taken | weak, thesaurus.vocabulary
        preferred = frozenset(preferred_departements)
        place = gazetteer.find(query_words, blocked, common, preferred) or gazetteer.find(
            read_words, blocked, common, preferred
        )
    place_positions = set(range(place.start, place.end)) if place else set()

    clauses: list[TextClause] = []
    rights: set[str] = set()
    for match in phrases:
        phrase_words = query_words[match.start : match.end]
        clauses.append(
            TextClause(
                words=tuple(WordMatch((stem(word),)) for word in phrase_words),
                rights=match.concept.rights,
                kinds=match.concept.kinds,
            )
        )
        rights |= match.concept.rights
    if place is not None:  # its name in a partner's texts is a bonus, all words together
        name_words = words(place.place.name)
        clauses.append(
            TextClause(words=tuple(WordMatch((stem(w),)) for w in name_words), required=False)
        )
    required = [i for i in loose if i not in weak and i not in place_positions]
    if not clauses and not required:
        required = loose  # a query made of weak words only: they are what is sought
    corrections: list[Correction] = []
    for position in loose:
        word_match, correction = matches.get(position) or _word_match(
            query_words[position], thesaurus, index
        )
        if correction is not None:
            corrections.append(correction)
        if position in place_positions:
            continue
        if position in required:
            rights |= word_match.rights
        clauses.append(TextClause(words=(word_match,), required=position in required))
    return Understanding(tuple(clauses), place, frozenset(rights), tuple(corrections))


def _word_match(
    word: str, thesaurus: Thesaurus, index: SearchIndex
) -> tuple[WordMatch, Correction | None]:
    stems = [stem(word)]
    right_slugs = set(thesaurus.rights_of_word(word))
    correction = None
    if (
        not right_slugs
        and len(word) >= MIN_CORRECTED_LENGTH
        and not word.isdigit()
        and not index.is_known_word(word)
    ):
        near = _near_words(word, 1, thesaurus, index)
        if not near and len(word) >= LONG_WORD_LENGTH:
            near = _near_words(word, 2, thesaurus, index)
        for candidate in near[:MAX_READINGS]:
            right_slugs.update(thesaurus.rights_of_word(candidate))
            stems.append(stem(candidate))
        if near:
            correction = Correction(word, tuple(near[:MAX_READINGS]))
    return WordMatch(tuple(dict.fromkeys(stems)), frozenset(right_slugs)), correction


def _near_words(word: str, distance: int, thesaurus: Thesaurus, index: SearchIndex) -> list[str]:
    near = index.corrections(word, distance)
    near += [w for w in thesaurus.near_words(word, distance) if w not in near]
    near += [w for w in index.gazetteer.near_words(word, distance) if w not in near]
    return near
