"""French text analysis shared by the index and the query side.

Pipeline (the same at indexing and at query time, so that both agree):

1. split on anything that is not a letter or a digit (``d'activité`` gives ``d`` and
   ``activité``; ``Saint-Gaudens`` gives ``saint`` and ``gaudens``; ``C2S`` stays whole);
2. lower-case, then **fold accents and ligatures** (``é`` → ``e``, ``œ`` → ``oe``) *before*
   stemming: the Snowball French stemmer treats ``randonnées`` and ``randonnees`` differently,
   folding first makes typed-without-accents queries stem like the indexed text;
3. drop the elided particles (``l'``, ``d'``, ``qu'``, ``jusqu'``…) and French stop words
   (whoosh's list, folded, plus ``les`` and a few words it lacks);
4. stem with Snowball French (text fields only; the ``spell`` field keeps whole folded words
   for typo correction and the query side keeps them for synonym and place matching).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from whoosh.analysis import Analyzer, Filter, RegexTokenizer, StopFilter, Token
from whoosh.lang import stemmer_for_language, stopwords_for_language

TOKEN_PATTERN = r"[^\W_]+"
_TOKEN_RE = re.compile(TOKEN_PATTERN)
_LIGATURES = {"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "đ": "d", "ł": "l", "ŀ": "l"}


def _fold_char(char: str) -> str:
    if char in _LIGATURES:
        return _LIGATURES[char]
    decomposed = unicodedata.normalize("NFKD", char)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# Latin letters with diacritics (and ligatures) → ASCII, as one C-level ``str.translate``.
_FOLD_TABLE = {
    code: _fold_char(chr(code)) for code in range(0xC0, 0x250) if _fold_char(chr(code)) != chr(code)
}
_HAS_MARKS = re.compile(r"[\u0300-\u036f]")

ELIDED_PARTICLES = frozenset(
    {"l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu"}
)
EXTRA_STOP_WORDS = frozenset({"les", "a", "aupres", "chez", "vers", "entre", "sans", "sous"})


def fold(text: str) -> str:
    """Lower-case ``text`` and remove accents and ligatures: ``Cœur`` → ``coeur``."""
    folded = text.casefold().translate(_FOLD_TABLE)
    if folded.isascii() or not _HAS_MARKS.search(unicodedata.normalize("NFKD", folded)):
        return folded
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """Folded French stop words, elided particles included."""
    base = {fold(word) for word in stopwords_for_language("fr")}
    return frozenset(base | ELIDED_PARTICLES | EXTRA_STOP_WORDS)


_stem = stemmer_for_language("fr")


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """Snowball French stem of a folded word; acronyms and codes (``c2s``, ``aah``) are kept."""
    if len(word) <= 3 or not word.isalpha():
        return word
    return str(_stem(word))


def words(text: str) -> list[str]:
    """Folded words of ``text`` without stop words or elided particles (query side)."""
    stops = stop_words()
    return [word for word in _TOKEN_RE.findall(fold(text)) if word not in stops]


def index_terms(text: str) -> list[str]:
    """Stemmed terms of ``text``, as `french_analyzer` makes them (documents are analysed
    with this function and handed to whoosh as token lists: twice as fast)."""
    return [stem(word) for word in words(text)]


class FoldingTokenizer(RegexTokenizer):  # type: ignore[misc]
    """Folds the whole text (one C-level pass) then splits it into words."""

    def __init__(self) -> None:
        super().__init__(TOKEN_PATTERN)

    def __call__(self, value: str, **kwargs: Any) -> Iterator[Token]:
        return super().__call__(fold(value), **kwargs)  # type: ignore[no-any-return]


class FrenchStemFilter(Filter):  # type: ignore[misc]
    """Snowball French stemming of folded tokens (see `stem`)."""

    is_morph = True

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            if not token.stopped:
                token.text = stem(token.text)
            yield token


def french_analyzer(*, stemming: bool = True) -> Analyzer:
    """The whoosh analyzer of the text fields (``stemming=False`` for the ``spell`` field)."""
    chain = FoldingTokenizer() | StopFilter(stop_words(), minsize=1)
    if stemming:
        chain = chain | FrenchStemFilter()
    return chain
