"""Errors of the search package (each carries a stable ``code``)."""

from __future__ import annotations

from directory.errors import DirectoryError


class SearchError(DirectoryError):
    code = "search_error"


class IndexUnavailable(SearchError):
    """The index directory holds no usable index (never built, or an older schema)."""

    code = "search_index_unavailable"


class InvalidSearch(SearchError):
    """Search parameters that make no sense; ``field_errors`` maps fields to French messages."""

    code = "invalid_search"

    def __init__(self, message: str, field_errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.field_errors = field_errors or {}
