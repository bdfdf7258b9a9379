"""Translation of engine-neutral `MatchQuery` objects into whoosh queries.

Filters are exact terms ANDed into the text query with a zero constant score: whoosh
leapfrogs through their short posting lists instead of scoring the whole corpus. Two whoosh
defaults are avoided on purpose: ``ConstantScoreQuery`` (it reads every match into an array
before searching) and, on indexes under 5 000 documents, the "array" OR matcher (it scores
every match of every branch up front).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from itertools import product
from typing import Any

from whoosh import collectors, matching, query
from whoosh.searching import Searcher

from directory.search.protocol import (
    HELP_LEVELS,
    KIND_MATCH_SCORE,
    RIGHT_MATCH_SCORE,
    RIGHT_WORD_SCORE,
    IndexFilters,
    MatchQuery,
    TextClause,
    WordMatch,
)


def to_whoosh_query(
    reader: Any, match_query: MatchQuery, within: Sequence[int] | None = None
) -> query.Query | None:
    """None when a required clause cannot match anything in this index.

    ``within``: sorted document numbers to restrict the search to (the partners of a circle).
    """
    clauses = [(c, _clause(reader, c)) for c in match_query.clauses]
    clauses = [(c, q) for c, q in clauses if q is not None or not c.required]
    if len(clauses) < len(match_query.clauses) and not match_query.relaxed:
        return None
    text_queries = [q for _, q in clauses if q is not None]
    required = [q for c, q in clauses if q is not None and c.required]
    optional = [q for c, q in clauses if q is not None and not c.required]
    filters = _filters(match_query.filters)
    if within is not None:
        filters = (
            DocumentSet(within) if filters is None else query.And([DocumentSet(within), filters])
        )
    if match_query.relaxed:
        if not text_queries:
            return None
        required, optional = [_or(text_queries)], []
    base = required + ([filters] if filters is not None else [])
    if not base:
        base = [query.Every()]
    main = base[0] if len(base) == 1 else query.And(base)
    return query.AndMaybe(main, _or(optional)) if optional else main


def _clause(reader: Any, clause: TextClause) -> query.Query | None:
    alternatives: list[query.Query] = []
    word_queries = [_word_query(reader, word) for word in clause.words]
    if word_queries and all(q is not None for q in word_queries):
        alternatives.append(_all_of(word_queries))
    if clause.rights:
        alternatives.append(_has_rights(clause.rights, RIGHT_MATCH_SCORE))
    alternatives.extend(
        _Constant(query.Term("kind", kind), KIND_MATCH_SCORE) for kind in sorted(clause.kinds)
    )
    if not alternatives:
        return None
    return alternatives[0] if len(alternatives) == 1 else _or(alternatives)


class Capped(collectors.WrappingCollector):  # type: ignore[misc]
    """Counts every match and stops after ``max_documents`` of them (None: never)."""

    def __init__(self, child: collectors.Collector, max_documents: int | None) -> None:
        super().__init__(child)
        self.max_documents = max_documents
        self.collected = 0
        self.capped = False

    def collect_matches(self) -> None:
        child = self.child
        for sub_docnum in child.matches():
            if self.max_documents is not None and self.collected >= self.max_documents:
                self.capped = True
                return
            child.collect(sub_docnum)
            self.collected += 1


class DocumentSet(query.Query):  # type: ignore[misc]
    """Matches the given document numbers (of the top searcher) with a zero score."""

    def __init__(self, docnums: Sequence[int]) -> None:
        self.docnums = docnums

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DocumentSet) and other.docnums == self.docnums

    def __hash__(self) -> int:
        return hash(tuple(self.docnums))

    def __unicode__(self) -> str:
        return f"DocumentSet({len(self.docnums)})"

    __str__ = __unicode__

    def estimate_size(self, ixreader: Any) -> int:
        return len(self.docnums)

    def normalize(self) -> query.Query:
        return self

    def matcher(self, searcher: Searcher, context: Any = None) -> Any:
        parent = searcher.parent() if searcher.parent is not None else None  # a weak reference
        offset = 0 if parent is None else parent._offset_for_subsearcher(searcher)
        end = offset + searcher.doc_count_all()
        ids = self.docnums[bisect_left(self.docnums, offset) : bisect_left(self.docnums, end)]
        if not ids:
            return matching.NullMatcher()
        return matching.ListMatcher([docnum - offset for docnum in ids], all_weights=0.0)


class _Constant(query.WrappingQuery):  # type: ignore[misc]
    """Matches of ``child``, all scored ``score``. Unlike whoosh's ConstantScoreQuery, which
    reads every match into an array first, this wraps the child matcher and stays lazy."""

    def __init__(self, child: query.Query, score: float) -> None:
        super().__init__(child)
        self.score = score

    def _rewrap(self, child: query.Query) -> _Constant:
        return _Constant(child, self.score)

    def matcher(self, searcher: Searcher, context: Any = None) -> Any:
        child = self.child.matcher(searcher, context)
        if isinstance(child, matching.NullMatcherClass):
            return child
        return matching.ConstantScoreWrapperMatcher(child, self.score)


def _or(queries: Sequence[query.Query]) -> query.Query:
    """An OR evaluated lazily (whoosh preloads every match of large ORs on small indexes)."""
    union = query.Or(list(queries))
    union.matcher_type = query.Or.DEFAULT_MATCHER
    return union


def _word_query(reader: Any, word: WordMatch) -> query.Query | None:
    """The word in any text field (existing terms only), or a right whose name has it."""
    alternatives: list[query.Query] = [
        query.Term("text", stem) for stem in word.stems if ("text", stem) in reader
    ]
    if word.rights:
        alternatives.append(_has_rights(word.rights, RIGHT_WORD_SCORE))
    if not alternatives:
        return None
    return alternatives[0] if len(alternatives) == 1 else _or(alternatives)


def _all_of(queries: Sequence[query.Query | None]) -> query.Query:
    present = [q for q in queries if q is not None]
    return present[0] if len(present) == 1 else query.And(present)


def _has_rights(slugs: Iterable[str], score: float) -> query.Query:
    terms = [query.Term("right_levels", f"{slug}:{level}")
             for slug in sorted(slugs) for level in HELP_LEVELS]  # fmt: skip
    return _Constant(_or(terms), score)


def _any_of(field: str, values: Iterable[str]) -> query.Query | None:
    terms = [query.Term(field, value) for value in dict.fromkeys(values)]
    if not terms:
        return None
    return terms[0] if len(terms) == 1 else _or(terms)


def _filters(filters: IndexFilters) -> query.Query | None:
    parts: list[query.Query | None] = [
        _any_of("kind", filters.kinds),
        _any_of("insee", filters.insee_codes),
        _any_of("epci", filters.epci_sirens),
        _any_of("dep", filters.departement_codes),
        _any_of("access", filters.accessibility),
        _any_of("appointment", filters.appointment),
        None if filters.include_demo else query.Term("demo", "0"),
        None
        if filters.verified_since is None
        else query.NumericRange("verified", filters.verified_since.toordinal(), None),
    ]
    if filters.right_slugs:
        pairs = product(filters.right_slugs, filters.help_levels or HELP_LEVELS)
        parts.append(_any_of("right_levels", (f"{slug}:{level}" for slug, level in pairs)))
    else:
        parts.append(_any_of("help_levels", filters.help_levels))
    present = [part for part in parts if part is not None]
    if not present:
        return None
    combined = present[0] if len(present) == 1 else query.And(present)
    return _Constant(combined, 0.0)
