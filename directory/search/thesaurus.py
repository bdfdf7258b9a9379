"""Synonyms and acronyms of rights and kinds of partners, and the words a query can do without.

The synonyms of a right come from the rights catalogue (its name, short name, ``aliases``
and ``former_names``, see ``data/rights/*.toml``) plus `EXTRA_RIGHT_SYNONYMS`, a small table of
spellings people type that the catalogue does not list. Kinds of partners get
`KIND_SYNONYMS`. Phrases are compared on folded words without stop words, so that
« Prime d'activité », « prime activite » and « PRIME D'ACTIVITÉ » are the same phrase.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from directory.search.analysis import stem, words
from geodata.geocoding.fuzzy import osa_distance

EXTRA_RIGHT_SYNONYMS: Mapping[str, tuple[str, ...]] = {
    "rsa": ("revenu minimum", "minima sociaux"),
    "prime-activite": ("prime activite", "prime d'activité caf"),
    "c2s": ("CMUC", "complémentaire santé", "complémentaire santé gratuite", "aide mutuelle"),
    "aides-logement": ("aide logement", "allocation de logement", "aide au loyer caf"),
    "are": ("allocation retour à l'emploi", "indemnisation chômage", "allocations chômage"),
    "aspa": ("minimum vieillesse", "allocation vieillesse", "petite retraite"),
    "aah": ("adulte handicapé", "allocation adulte handicape"),
    "cheque-energie": ("chèque énergétique", "aide énergie"),
    "asf": ("pension alimentaire",),
    "allocations-familiales": ("allocations caf",),
}

KIND_SYNONYMS: Mapping[str, tuple[str, ...]] = {
    "france-services": (
        "France services",
        "maison France services",
        "espace France services",
        "MSAP",
        "maison de services au public",
    ),
    "mairie": ("mairie", "hôtel de ville", "mairies"),
    "ccas": ("CCAS", "CIAS", "centre communal d'action sociale"),
    "mds": ("MDS", "maison des solidarités", "maison départementale des solidarités"),
    "caf": ("CAF", "caisse d'allocations familiales"),
    "cpam": ("CPAM", "assurance maladie", "sécurité sociale", "caisse primaire"),
    "msa": ("MSA", "mutualité sociale agricole"),
    "carsat": ("CARSAT", "assurance retraite", "caisse de retraite"),
    "france-travail": ("France Travail", "Pôle emploi"),
    "mission-locale": ("mission locale",),
    "association": ("association",),
    "bus": ("bus des droits",),
    "point-justice": ("point-justice", "point d'accès au droit", "maison de justice et du droit"),
    "pmi": ("PMI", "protection maternelle et infantile"),
    "clic": ("CLIC", "centre local d'information et de coordination"),
    "mdph": ("MDPH", "maison départementale des personnes handicapées"),
    "cidff": ("CIDFF", "CIDF", "droits des femmes"),
    "adil": ("ADIL", "agence départementale d'information sur le logement"),
    "cicas": ("CICAS", "retraite complémentaire", "Agirc-Arrco"),
    "conseiller-numerique": ("conseiller numérique", "conseillers numériques"),
}

# Words that describe the request rather than what is sought: a result need not contain them.
WEAK_WORDS = frozenset(
    words(
        "aide aides dossier dossiers demande demandes demander démarche démarches faire "
        "droit droits besoin obtenir comment trouver où près proche proximité autour "
        "accompagnement accompagner accueil information informations renseignement "
        "renseignements remplir constituer déposer déclarer ouvert ouverte maintenant "
        "aujourd'hui rendez-vous rdv svp merci"
    )
)

_MIN_FUZZY_LENGTH = 5


@dataclass(frozen=True)
class Concept:
    """What a phrase stands for: some rights and/or some kinds of partners."""

    rights: frozenset[str] = frozenset()
    kinds: frozenset[str] = frozenset()

    def __or__(self, other: Concept) -> Concept:
        return Concept(self.rights | other.rights, self.kinds | other.kinds)


@dataclass(frozen=True)
class RightTerms:
    """The names of one right, as the catalogue gives them."""

    slug: str
    name: str
    short_name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class PhraseMatch:
    start: int
    end: int
    concept: Concept


@dataclass
class Thesaurus:
    """Phrase (tuple of folded words) → concept, with a typo-tolerant longest-match scan."""

    phrases: dict[tuple[str, ...], Concept] = field(default_factory=dict)
    right_labels: dict[str, str] = field(default_factory=dict)
    # stem of a word of a right's names → the rights whose names have it (« logement »)
    word_rights: dict[str, frozenset[str]] = field(default_factory=dict)
    _vocabulary: frozenset[str] | None = field(default=None, repr=False)

    @classmethod
    def build(cls, rights: Iterable[RightTerms]) -> Thesaurus:
        thesaurus = cls()
        for right in rights:
            thesaurus.right_labels[right.slug] = right.short_name or right.name
            names = (right.name, right.short_name, *right.aliases)
            for phrase in (*names, *EXTRA_RIGHT_SYNONYMS.get(right.slug, ())):
                thesaurus.add(phrase, Concept(rights=frozenset({right.slug})))
                for word in words(phrase):
                    if word not in WEAK_WORDS and len(word) > 2:
                        known = thesaurus.word_rights.get(stem(word), frozenset())
                        thesaurus.word_rights[stem(word)] = known | {right.slug}
        for kind, phrases in KIND_SYNONYMS.items():
            for phrase in phrases:
                thesaurus.add(phrase, Concept(kinds=frozenset({kind})))
        return thesaurus

    def add(self, phrase: str, concept: Concept) -> None:
        key = tuple(words(phrase))
        if key:
            self.phrases[key] = self.phrases.get(key, Concept()) | concept

    def rights_of_word(self, word: str) -> frozenset[str]:
        return self.word_rights.get(stem(word), frozenset())

    @property
    def vocabulary(self) -> frozenset[str]:
        """Every word of every phrase."""
        if self._vocabulary is None:
            self._vocabulary = frozenset(w for key in self.phrases for w in key)
        return self._vocabulary

    def near_words(self, word: str, max_distance: int) -> list[str]:
        """Words of the synonyms within ``max_distance`` edits of ``word``."""
        return sorted(
            known
            for known in self.vocabulary
            if known != word
            and abs(len(known) - len(word)) <= max_distance
            and osa_distance(word, known, limit=max_distance) <= max_distance
        )

    @property
    def longest_phrase(self) -> int:
        return max((len(key) for key in self.phrases), default=0)

    def find(
        self, query_words: Sequence[str], is_known: Callable[[str], bool] = lambda word: False
    ) -> list[PhraseMatch]:
        """Non-overlapping phrases of ``query_words``, longest first, left to right.

        A word may differ from the phrase's by its ending (plural…) or, if ``is_known`` says
        it is no word of the directory or of a commune name, by one typo (« activiter »;
        but « marie », as in Sainte-Marie, is not a typo of « mairie »).
        """
        matches: list[PhraseMatch] = []
        position = 0
        while position < len(query_words):
            found = self._match_at(query_words, position, is_known)
            if found is None:
                position += 1
                continue
            matches.append(found)
            position = found.end
        return matches

    def _match_at(
        self, query_words: Sequence[str], start: int, is_known: Callable[[str], bool]
    ) -> PhraseMatch | None:
        longest = min(self.longest_phrase, len(query_words) - start)
        for length in range(longest, 0, -1):
            window = tuple(query_words[start : start + length])
            concept = self.phrases.get(window)
            if concept is None:
                concept = self._fuzzy_lookup(window, is_known)
            if concept is not None:
                return PhraseMatch(start, start + length, concept)
        return None

    def _fuzzy_lookup(
        self, window: tuple[str, ...], is_known: Callable[[str], bool]
    ) -> Concept | None:
        found: Concept | None = None
        typos = [not is_known(word) for word in window]
        for key, concept in self.phrases.items():
            if len(key) == len(window) and all(map(is_near_word, window, key, typos)):
                found = concept if found is None else found | concept
        return found

    def to_json(self) -> dict[str, Any]:
        return {
            "phrases": [
                [list(key), sorted(concept.rights), sorted(concept.kinds)]
                for key, concept in sorted(self.phrases.items())
            ],
            "right_labels": dict(sorted(self.right_labels.items())),
            "word_rights": {key: sorted(value) for key, value in sorted(self.word_rights.items())},
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Thesaurus:
        thesaurus = cls(
            right_labels=dict(data.get("right_labels", {})),
            word_rights={k: frozenset(v) for k, v in data.get("word_rights", {}).items()},
        )
        for key, rights, kinds in data.get("phrases", []):
            thesaurus.phrases[tuple(key)] = Concept(frozenset(rights), frozenset(kinds))
        return thesaurus


def is_near_word(typed: str, known: str, typo: bool = True) -> bool:
    """Same word up to a plural, an ending or (if ``typo``) one typo (5 letters or more)."""
    if typed == known:
        return True
    if (
        min(len(typed), len(known)) < _MIN_FUZZY_LENGTH
        or typed[0] != known[0]
        or abs(len(typed) - len(known)) > 3
    ):
        return False
    if stem(typed) == stem(known):
        return True
    return typo and osa_distance(typed, known, limit=1) <= 1
