"""Plain-French explanations of the words a rights file cannot avoid (régime agricole, CDAPH…).

``data/glossary.toml`` lists each term, the spellings that count as the same term
(``variants``), a short explanation, and the sources of that explanation with the day they
were consulted (same rules as a rights file). Each right of the catalogue carries the
entries whose term appears in its own texts, so that a page or an API client can explain
them next to the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from directory.rights_checks import ContentChecker, RecordShape, RightContentError, read_toml
from directory.rights_claims import (
    SOURCE_SHAPE,
    SourceReference,
    check_citations,
    read_sources,
)
from geodata.data_files import DATA_DIR

DEFAULT_GLOSSARY_FILE = DATA_DIR / "glossary.toml"

TERM_SHAPE = RecordShape(texts=("term", "explanation"), lists=("variants",), cited="sources")
STORED_TERM_SHAPE = RecordShape(texts=("term", "explanation"), lists=("variants",))


def _folded(text: str) -> str:
    return text.casefold().replace("’", "'")


@dataclass(frozen=True)
class GlossaryEntry:
    """A term, its other spellings, what it means in plain French, and where that comes from."""

    term: str
    variants: tuple[str, ...]
    explanation: str
    sources: tuple[SourceReference, ...]

    def is_used_in(self, text: str) -> bool:
        spellings = "|".join(re.escape(_folded(s)) for s in (self.term, *self.variants))
        return re.search(rf"(?<!\w)(?:{spellings})(?!\w)", _folded(text)) is not None


@dataclass(frozen=True)
class Glossary:
    entries: tuple[GlossaryEntry, ...] = ()

    def used_in(self, texts: Iterable[str]) -> tuple[GlossaryEntry, ...]:
        """The entries whose term (or a variant) appears in any of the texts, in glossary order."""
        corpus = "\n".join(texts)
        return tuple(entry for entry in self.entries if entry.is_used_in(corpus))


def load_glossary(path: Path = DEFAULT_GLOSSARY_FILE) -> Glossary:
    """Read and check the glossary file; ``RightContentError`` lists every problem at once."""
    data = read_toml(path)
    check = ContentChecker()
    for key in sorted(set(data) - {"terms", "source"}, key=str):
        check.fail(f"clé inconnue : « {key} »")
    sources = read_sources(check, data)
    terms = check.records(data, "terms", TERM_SHAPE, allow_empty=False)
    if not check.messages:
        citations = [(f"« terms » n° {i}", t["sources"]) for i, t in enumerate(terms, start=1)]
        check_citations(check, sources, citations, reviewed_at=date.min)
    if check.messages:
        raise RightContentError(path, check.messages)
    by_id = {reference.id: reference for reference in sources}
    return Glossary(
        tuple(
            GlossaryEntry(
                term=term["term"],
                variants=term["variants"],
                explanation=term["explanation"],
                sources=tuple(by_id[source_id] for source_id in term["sources"]),
            )
            for term in terms
        )
    )


@lru_cache(maxsize=1)
def bundled_glossary() -> Glossary:
    return load_glossary()


def read_stored_glossary(check: ContentChecker, value: object) -> Glossary:
    """The entries a stored right carries (``RightContent.to_dict()["glossary"]``)."""
    if value is None:
        return Glossary()
    if not isinstance(value, list):
        check.fail("« glossary » doit être une liste de tables")
        return Glossary()
    entries = []
    for index, item in enumerate(value, start=1):
        where = f"« glossary » n° {index}"
        found = check.record(
            {k: v for k, v in item.items() if k != "sources"}
            if isinstance(item, Mapping)
            else item,
            where,
            STORED_TERM_SHAPE,
        )
        references = _stored_sources(check, item, where)
        if found is not None and references:
            entries.append(GlossaryEntry(sources=references, **found))
    return Glossary(tuple(entries))


def _stored_sources(check: ContentChecker, item: Any, where: str) -> tuple[SourceReference, ...]:
    if not isinstance(item, Mapping):
        return ()
    value = item.get("sources")
    if not isinstance(value, list) or not value:
        check.fail(f"{where} : « sources » doit être une liste non vide de tables")
        return ()
    found = [check.record(source, f"{where} : source", SOURCE_SHAPE) for source in value]
    return tuple(SourceReference(**source) for source in found if source is not None)
