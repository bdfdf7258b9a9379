"""Plain values describing a partner's offer, shared by imports and editing operations."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ServiceValues:
    """What a partner does for one right, at which help level, for which publics."""

    right_slug: str
    help_level: str
    description: str | None = None
    publics: tuple[str, ...] = ()
    source: str | None = None
