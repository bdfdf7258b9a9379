"""Text normalisation for place names and addresses typed by people.

Everything is folded to lower-case ASCII words: accents dropped, ligatures expanded,
apostrophes, hyphens and any other punctuation turned into spaces. Two kinds of keys
are built from the words:

* the *spaced* key (``"saint omer"``), used for prefix completion;
* the *squashed* key (``"saintomer"``), used for exact and one-typo matching, so that
  "L'Isle-Jourdain", "l isle jourdain" and "lisle jourdain" meet.

Common abbreviations are expanded word by word before keys are built: "St"/"Ste" for
"Saint"/"Sainte" in commune names, "av", "bd", "r", "imp"… in street names.
"""

from __future__ import annotations

import re
import unicodedata

MAX_QUERY_CHARS = 200
"""Longer input is cut: no French address needs more, and it bounds the work per query."""

_NOT_WORD = re.compile(r"[^a-z0-9]+")
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})

PLACE_ABBREVIATIONS = {
    "st": "saint",
    "ste": "sainte",
    "sts": "saints",
    "stes": "saintes",
    "s": "sur",
    "ss": "sous",
}
"""Abbreviations seen in commune names ("St-Omer", "Boulogne s/ Mer")."""

STREET_ABBREVIATIONS = {
    **{key: value for key, value in PLACE_ABBREVIATIONS.items() if key.startswith("st")},
    "r": "rue",
    "av": "avenue",
    "ave": "avenue",
    "bd": "boulevard",
    "bld": "boulevard",
    "bvd": "boulevard",
    "boul": "boulevard",
    "pl": "place",
    "ch": "chemin",
    "chem": "chemin",
    "rte": "route",
    "imp": "impasse",
    "all": "allee",
    "sq": "square",
    "fg": "faubourg",
    "fbg": "faubourg",
    "crs": "cours",
    "res": "residence",
    "lot": "lotissement",
    "ld": "lieu dit",
    "lieudit": "lieu dit",
    "gal": "general",
    "gen": "general",
    "mal": "marechal",
    "pdt": "president",
    "dr": "docteur",
    "cdt": "commandant",
    "pr": "professeur",
}
"""Abbreviations of street types and titles, as in the AFNOR/La Poste conventions."""

STREET_TYPES = frozenset(
    {
        "rue", "avenue", "boulevard", "place", "chemin", "route", "impasse", "allee", "allees",
        "square", "faubourg", "cours", "residence", "lotissement", "quai", "passage", "sentier",
        "voie", "ruelle", "promenade", "esplanade", "parvis", "rond", "point", "cite", "hameau",
        "lieu", "dit", "quartier", "domaine", "zone", "za", "zi", "zac", "mail", "clos",
        "carrefour", "venelle", "traverse", "montee", "cote", "grande", "petite",
    }
)  # fmt: skip
"""Words that start a street name; a query starting with one has a street part."""

ARTICLES = frozenset({"le", "la", "les", "l", "du", "de", "des", "d"})
NOISE_WORDS = frozenset({"cedex", "france", "bp", "cs"})


def fold(text: str) -> str:
    """Lower-case ASCII words separated by single spaces ("L'Haÿ-les-Roses" → "l hay les roses")."""
    text = text[:MAX_QUERY_CHARS].translate(_LIGATURES)
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    ascii_text = ascii_text.encode("ascii", "ignore").decode("ascii")
    return _NOT_WORD.sub(" ", ascii_text)[:MAX_QUERY_CHARS].strip()


def words(text: str) -> list[str]:
    folded = fold(text)
    return folded.split(" ") if folded else []


def expand(tokens: list[str], abbreviations: dict[str, str]) -> list[str]:
    out: list[str] = []
    for token in tokens:
        out.extend(abbreviations.get(token, token).split(" "))
    return out


def place_words(text: str) -> list[str]:
    return expand(words(text), PLACE_ABBREVIATIONS)


def squash(tokens: list[str]) -> str:
    return "".join(tokens)


def place_key(text: str) -> str:
    """The squashed key of a commune name: "Saint-Omer", "St Omer", "saint omer" → "saintomer"."""
    return squash(place_words(text))


def without_leading_article(tokens: list[str]) -> list[str]:
    """ "le touquet paris plage" → "touquet paris plage" (people often drop the article)."""
    if len(tokens) > 1 and tokens[0] in {"le", "la", "les", "l"}:
        return tokens[1:]
    return tokens


def street_words(text: str) -> list[str]:
    return expand(words(text), STREET_ABBREVIATIONS)


def street_key(text: str) -> str:
    """The stored key of a street name: "Av. du Gal de Gaulle" → "avenue du general de gaulle".

    Words stay separated (the street type can then be told apart); matching squashes them.
    """
    return " ".join(street_words(text))


def street_body_key(tokens: list[str]) -> str:
    """The street name without its type and articles: "rue des capucins" → "capucins"."""
    index = 0
    while index < len(tokens) - 1 and (tokens[index] in STREET_TYPES or tokens[index] in ARTICLES):
        index += 1
    return squash(tokens[index:])
