"""Instants given in query strings: ``now`` or ISO 8601 (naive: Paris time)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import marshmallow as ma

DEFAULT_ZONE = ZoneInfo("Europe/Paris")
FIRST_YEAR = 2000
LAST_YEAR = 2099
# « now », or a day of 2000-2099 that exists (29 February of leap years only), with an
# optional time to the microsecond and an optional offset: what the document promises,
# and all that the server reads (Python alone would also read « 2026-W47-1 »,
# « 20261123T1000 » or a space instead of « T »).
_DAY = (
    r"20[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])"
    r"|20[0-9]{2}-(0[13-9]|1[0-2])-(29|30)"
    r"|20[0-9]{2}-(0[13578]|1[02])-31"
    r"|20([02468][048]|[13579][26])-02-29"
)
_TIME = r"T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?"
_OFFSET = r"(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])"
INSTANT_PATTERN = rf"^(now|({_DAY})({_TIME}{_OFFSET}?)?)$"
_INSTANT = re.compile(INSTANT_PATTERN)


def now() -> datetime:
    return datetime.now(UTC)


class Instant(ma.fields.Field[datetime]):
    """``now`` → the current instant; ``2026-11-23T10:00`` → 10:00 Paris time; aware kept."""

    def __init__(self, **kwargs: Any) -> None:
        metadata = {
            "type": "string",
            "pattern": INSTANT_PATTERN,
            "example": "2026-11-23T10:00:00+01:00",
            **kwargs.pop("metadata", {}),
        }
        super().__init__(metadata=metadata, **kwargs)

    def _deserialize(
        self, value: object, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> datetime:
        if not isinstance(value, str):
            raise ma.ValidationError("Instant ISO 8601 ou « now » attendu.")
        if value == "now":
            return now()
        year = re.match(r"([0-9]{4})-", value)
        if year is not None and not FIRST_YEAR <= int(year.group(1)) <= LAST_YEAR:
            raise ma.ValidationError(f"Instant hors de la période {FIRST_YEAR}-{LAST_YEAR}.")
        if _INSTANT.fullmatch(value) is None:
            raise ma.ValidationError(
                "Instant ISO 8601 attendu, ex. 2026-11-23T10:00:00+01:00, ou « now »."
            )
        instant = datetime.fromisoformat(value)
        if instant.tzinfo is None:
            instant = instant.replace(tzinfo=DEFAULT_ZONE)
        return instant
