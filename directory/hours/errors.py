"""Errors raised by the opening-hours package (each carries a stable ``code``)."""

from __future__ import annotations

from directory.errors import DirectoryError


class HoursError(DirectoryError):
    code = "hours_error"


class UnknownTerritory(HoursError):
    """The département code is not one where partners can be located."""

    code = "unknown_territory"


class AmbiguousTimeZone(HoursError):
    """The département spans several time zones: the commune is needed."""

    code = "ambiguous_time_zone"


class InvalidClosure(HoursError):
    code = "invalid_closure"


class NaiveDateTime(HoursError):
    """Instants must be aware datetimes: a naive one has no meaning overseas."""

    code = "naive_datetime"
