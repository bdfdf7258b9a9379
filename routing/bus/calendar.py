"""A bus des droits route's visits as an iCalendar file (RFC 5545).

The file gives times in UTC (``Z``) so that every calendar application shows them in its
own time zone; a cancelled visit stays in the file as ``STATUS:CANCELLED`` so that
calendars that imported it remove it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from routing.bus.models import BusRoute
from routing.bus.visits import BusVisitListing

ICS_PRODUCT_ID = "-//Aiguillage//Bus des droits//FR"
ICS_LINE_OCTETS = 75


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> list[str]:
    """Lines of at most 75 octets, continuation lines starting with a space (RFC 5545 3.1)."""
    parts: list[str] = []
    current = ""
    limit = ICS_LINE_OCTETS
    for char in line:
        if len((current + char).encode("utf-8")) > limit:
            parts.append(current)
            current = " "
            limit = ICS_LINE_OCTETS
        current += char
    parts.append(current)
    return parts


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _event(visit: BusVisitListing, stamp: str, domain: str) -> list[str]:
    where = ", ".join(part for part in (visit.stop_name, visit.street, visit.commune_name) if part)
    description = f"Bus des droits, tournée « {visit.route_name} ». {visit.status_label}."
    if visit.note:
        description += f" {visit.note}"
    if visit.is_demo:
        description += " Passage fictif de démonstration."
    lines = [
        "BEGIN:VEVENT",
        f"UID:bus-visit-{visit.visit_id}@{domain}",
        f"DTSTAMP:{stamp}",
        f"DTSTART:{_utc(visit.starts_at)}",
        f"DTEND:{_utc(visit.ends_at)}",
        f"SUMMARY:{_escape(f'Bus des droits — {visit.stop_name}')}",
        f"LOCATION:{_escape(where)}",
        f"GEO:{visit.lat:.6f};{visit.lon:.6f}",
        f"DESCRIPTION:{_escape(description)}",
        f"STATUS:{'CANCELLED' if visit.is_cancelled else 'CONFIRMED'}",
        "END:VEVENT",
    ]
    return lines


def render_ics(
    route: BusRoute,
    visits: Iterable[BusVisitListing],
    generated_at: datetime,
    *,
    domain: str = "aiguillage",
) -> str:
    """The route's visits as an iCalendar file (CRLF line endings, folded lines)."""
    stamp = _utc(generated_at)
    name = f"Bus des droits — {route.name}"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{ICS_PRODUCT_ID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(name)}",
    ]
    for visit in visits:
        lines.extend(_event(visit, stamp, domain))
    lines.append("END:VCALENDAR")
    return "".join(part + "\r\n" for line in lines for part in _fold(line))
