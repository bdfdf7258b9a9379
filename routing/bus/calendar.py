"""Visits of the bus des droits as an iCalendar file (RFC 5545), built with ``icalendar``.

- Times are given in the stop's own time zone (``DTSTART;TZID=Europe/Paris:…``), and the
  file carries a ``VTIMEZONE`` for each zone used, written from the zoneinfo database for
  the period of the visits: every transition is an observance whose ``DTSTART`` is the
  local time before the change, as RFC 5545 §3.6.5 asks.
- ``UID`` is ``bus-visit-<id>@<domain>``: a visit keeps its id when the schedule is
  generated or imported again, so calendars update the event rather than duplicate it.
- A cancelled visit stays in the file as ``STATUS:CANCELLED`` so that calendars that
  imported it remove it; the public reason of a change is in the description.
- Text from routes, stops and notes never reaches the file raw: control characters are
  removed (CR, NUL…), line breaks become escaped ``\\n``, the rest is escaped by icalendar.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar

from routing.bus.models import BusRoute
from routing.bus.visits import BusVisitListing

ICS_PRODUCT_ID = "-//Aiguillage//Bus des droits//FR"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_TIMEZONE_MARGIN = timedelta(days=1)


def clean_text(text: str) -> str:
    """Text safe for an iCalendar value: line breaks kept as ``\\n``, controls removed."""
    unified = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return _CONTROL.sub("", unified)


def _text(value: str) -> icalendar.vText:
    """A multi-line text (description)."""
    return icalendar.vText(clean_text(value))


def _line(value: str) -> icalendar.vText:
    """A one-line text (name, summary, place): every line break or space run is one space."""
    return icalendar.vText(" ".join(clean_text(value).split()))


def _description(visit: BusVisitListing) -> str:
    parts = [f"Bus des droits, tournée « {visit.route_name} ». {visit.status_label}."]
    if visit.change_reason:
        parts.append(visit.change_reason)
    if visit.note:
        parts.append(visit.note)
    if visit.rights:
        parts.append("Droits traités : " + ", ".join(r.name for r in visit.rights) + ".")
    if visit.partners:
        parts.append("Partenaires présents : " + ", ".join(p.name for p in visit.partners) + ".")
    if visit.is_demo:
        parts.append("Passage fictif de démonstration.")
    return "\n".join(parts)


def _event(visit: BusVisitListing, stamp: datetime, domain: str) -> icalendar.Event:
    zone = ZoneInfo(visit.time_zone)
    where = ", ".join(part for part in (visit.stop_name, visit.street, visit.commune_name) if part)
    summary = f"Bus des droits — {visit.stop_name}"
    if visit.is_demo:
        summary = f"Exemple fictif — {summary}"
    event = icalendar.Event()
    event.add("uid", f"bus-visit-{visit.visit_id}@{domain}")
    event.add("dtstamp", stamp)
    event.add("dtstart", visit.starts_at.astimezone(zone))
    event.add("dtend", visit.ends_at.astimezone(zone))
    event.add("summary", _line(summary))
    event.add("location", _line(where))
    event.add("geo", (round(visit.lat, 6), round(visit.lon, 6)))
    event.add("description", _text(_description(visit)))
    event.add("status", "CANCELLED" if visit.is_cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT")
    return event


def render_calendar(
    name: str,
    visits: Iterable[BusVisitListing],
    generated_at: datetime,
    *,
    domain: str = "aiguillage",
) -> str:
    """The visits as an iCalendar file (CRLF line endings, lines folded at 75 octets)."""
    listed = list(visits)
    calendar = icalendar.Calendar()
    calendar.add("prodid", ICS_PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _line(name))
    stamp = generated_at.astimezone(UTC).replace(microsecond=0)
    zones = sorted({visit.time_zone for visit in listed})
    if len(zones) == 1:
        calendar.add("x-wr-timezone", zones[0])
    for key in zones:
        in_zone = [visit for visit in listed if visit.time_zone == key]
        first = min(visit.starts_at for visit in in_zone).astimezone(UTC).date()
        last = max(visit.ends_at for visit in in_zone).astimezone(UTC).date()
        calendar.add_component(vtimezone(key, first, last))
    for visit in listed:
        calendar.add_component(_event(visit, stamp, domain))
    return str(calendar.to_ical().decode("utf-8"))


def render_ics(
    route: BusRoute,
    visits: Iterable[BusVisitListing],
    generated_at: datetime,
    *,
    domain: str = "aiguillage",
) -> str:
    """One route's visits as an iCalendar file."""
    return render_calendar(f"Bus des droits — {route.name}", visits, generated_at, domain=domain)


# -- VTIMEZONE from zoneinfo --------------------------------------------------------------


def _offset(zone: ZoneInfo, moment: datetime) -> timedelta:
    offset = moment.astimezone(zone).utcoffset()
    assert offset is not None
    return offset


def _transitions(zone: ZoneInfo, start: datetime, end: datetime) -> list[datetime]:
    """UTC instants (to the minute) where the zone's offset changes between start and end."""
    found = []
    day = timedelta(days=1)
    moment = start
    while moment < end:
        following = moment + day
        if _offset(zone, moment) != _offset(zone, following):
            low, high = moment, following
            while high - low > timedelta(minutes=1):
                middle = low + (high - low) / 2
                if _offset(zone, middle) == _offset(zone, low):
                    low = middle
                else:
                    high = middle
            found.append(high.replace(second=0, microsecond=0))
        moment = following
    return found


def _format_offset(offset: timedelta) -> str:
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"


def _observance(
    zone: ZoneInfo, onset_utc: datetime, before: timedelta, after: timedelta
) -> icalendar.cal.Component:
    local_after = onset_utc.astimezone(zone)
    is_daylight = bool(local_after.dst())
    component: icalendar.cal.Component = (
        icalendar.TimezoneDaylight() if is_daylight else icalendar.TimezoneStandard()
    )
    # DTSTART is the onset in the local time in force *before* it (RFC 5545 §3.6.5).
    component.add("dtstart", (onset_utc + before).replace(tzinfo=None))
    component.add("tzoffsetfrom", before)
    component.add("tzoffsetto", after)
    name = local_after.tzname()
    if name and not name.startswith(("+", "-")):
        component.add("tzname", name)
    return component


def vtimezone(key: str, first: date, last: date) -> icalendar.Timezone:
    """The zone's rules between two dates, as explicit observances (no RRULE)."""
    zone = ZoneInfo(key)
    start = datetime.combine(first, time(), tzinfo=UTC) - _TIMEZONE_MARGIN
    end = datetime.combine(last, time(), tzinfo=UTC) + 2 * _TIMEZONE_MARGIN
    component = icalendar.Timezone()
    component.add("tzid", key)
    initial = _offset(zone, start)
    component.add_component(_observance(zone, start, initial, initial))
    for onset in _transitions(zone, start, end):
        before = _offset(zone, onset - timedelta(minutes=1))
        component.add_component(_observance(zone, onset, before, _offset(zone, onset)))
    return component
