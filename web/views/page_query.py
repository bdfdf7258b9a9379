"""Reading the query string of a page: lenient (a page never answers 500 to a bad link),
with the API's parameter names so that a professional can send a result as a link."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

TRUE_VALUES = frozenset({"1", "on", "true", "oui"})
MAX_TEXT = 200


def flag(args: Mapping[str, str], name: str) -> bool:
    return args.get(name, "").strip().lower() in TRUE_VALUES


def text(args: Mapping[str, str], name: str, max_length: int = MAX_TEXT) -> str:
    """The stripped value, cut to ``max_length``, without control characters."""
    value = args.get(name, "")
    cleaned = "".join(ch for ch in value if ch.isprintable())
    return cleaned.strip()[:max_length]


def choice(args: Mapping[str, str], name: str, allowed: Iterable[str]) -> str | None:
    value = args.get(name, "").strip()
    return value if value in set(allowed) else None


def page_number(args: Mapping[str, str], last: int) -> int:
    value = args.get("page", "1").strip()
    if not (value.isascii() and value.isdigit()):
        return 1
    return min(max(int(value), 1), last)


def insee_code(args: Mapping[str, str]) -> str | None:
    value = args.get("insee_code", "").strip().upper()
    if len(value) == 5 and value.isascii() and value.isalnum():
        return value
    return None
