"""Opening hours of partners: OSM ``opening_hours`` strings evaluated with opening-hours-py,
French public holidays of each territory (`holidays`), closures, French wording, and
converters for the hours published by our sources. Pure Python: no database, no web.
"""

from directory.hours.conversion import (
    HoursConversion,
    TimeSlot,
    convert_annuaire_hours,
    convert_france_services_hours,
    convert_mairie_hours,
    convert_osm_hours,
    format_weekly_osm,
    is_appointment_note,
    requires_appointment,
)
from directory.hours.errors import (
    AmbiguousTimeZone,
    HoursError,
    InvalidClosure,
    NaiveDateTime,
    UnknownTerritory,
)
from directory.hours.expression import HolidayBehaviour, HoursState, parse_error
from directory.hours.opening_state import OpeningState, opening_state
from directory.hours.rendering import (
    UNKNOWN_HOURS,
    DayHours,
    coming_days,
    describe_hours,
    describe_status,
    format_day,
    format_time,
    weekly_lines,
)
from directory.hours.schedule import SEARCH_HORIZON, Closure, HoursInterval, OpeningSchedule
from directory.hours.territory import holiday_subdivision, public_holidays, timezone_for

__all__ = [
    "SEARCH_HORIZON",
    "UNKNOWN_HOURS",
    "AmbiguousTimeZone",
    "Closure",
    "DayHours",
    "HolidayBehaviour",
    "HoursConversion",
    "HoursError",
    "HoursInterval",
    "HoursState",
    "InvalidClosure",
    "NaiveDateTime",
    "OpeningSchedule",
    "OpeningState",
    "TimeSlot",
    "UnknownTerritory",
    "coming_days",
    "convert_annuaire_hours",
    "convert_france_services_hours",
    "convert_mairie_hours",
    "convert_osm_hours",
    "describe_hours",
    "describe_status",
    "format_day",
    "format_time",
    "format_weekly_osm",
    "holiday_subdivision",
    "is_appointment_note",
    "opening_state",
    "parse_error",
    "public_holidays",
    "requires_appointment",
    "timezone_for",
    "weekly_lines",
]
