"""Instants given in query strings: ``now`` or ISO 8601 (naive: Paris time)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import marshmallow as ma

DEFAULT_ZONE = ZoneInfo("Europe/Paris")
FIRST_YEAR = 2000
LAST_YEAR = 2099


def now() -> datetime:
    return datetime.now(UTC)


class Instant(ma.fields.Field[datetime]):
    """``now`` → the current instant; ``2026-11-23T10:00`` → 10:00 Paris time; aware kept."""

    def __init__(self, **kwargs: Any) -> None:
        metadata = {
            "type": "string",
            "example": "2026-11-23T10:00:00+01:00",
            **kwargs.pop("metadata", {}),
        }
        super().__init__(metadata=metadata, **kwargs)

    def _deserialize(
        self, value: object, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> datetime:
        if not isinstance(value, str):
            raise ma.ValidationError("Instant ISO 8601 ou « now » attendu.")
        if value.strip().lower() == "now":
            return now()
        try:
            instant = datetime.fromisoformat(value.strip())
        except ValueError as exc:
            raise ma.ValidationError(
                "Instant ISO 8601 attendu, ex. 2026-11-23T10:00:00+01:00, ou « now »."
            ) from exc
        if not FIRST_YEAR <= instant.year <= LAST_YEAR:
            raise ma.ValidationError(f"Instant hors de la période {FIRST_YEAR}-{LAST_YEAR}.")
        if instant.tzinfo is None:
            instant = instant.replace(tzinfo=DEFAULT_ZONE)
        return instant
