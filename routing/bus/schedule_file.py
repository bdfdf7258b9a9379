"""The schedule file of the bus des droits (CSV, documented in docs/BUS.md): reading and
checking each row into plain values, with French reasons. No database here.

One file, one row per thing, told apart by the ``type`` column:

- ``tournee``: a route (code, name, public-holiday rule, source, operator, example or not);
- ``arret``: a stop of a route (code, name, address, INSEE code, optional point);
- ``regle``: a recurrence rule of a stop (RRULE, first and last date, time window, what
  is on board, public note);
- ``annulation``, ``deplacement``: the edit of the visit a rule gives on a date;
- ``supplementaire``: an extra visit at a stop.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time

from geodata.errors import InvalidLocation
from geodata.imports.csv_source import CsvRow
from geodata.points import check_lon_lat
from routing.bus.models import (
    HOLIDAY_KEEP,
    HOLIDAY_NEXT_WORKING_DAY,
    HOLIDAY_PREVIOUS_WORKING_DAY,
    HOLIDAY_SKIP,
)
from routing.bus.recurrence import RecurrenceRule, normalise_rule
from routing.errors import InvalidBusSchedule

COLUMNS = (
    "type", "tournee", "arret", "regle", "nom", "adresse", "code_insee", "longitude",
    "latitude", "recurrence", "du", "au", "date", "nouvelle_date", "debut", "fin", "droits",
    "partenaires", "jours_feries", "motif", "note", "source", "exemple",
)  # fmt: skip
ROW_TYPES = ("tournee", "arret", "regle", "annulation", "deplacement", "supplementaire")
HOLIDAY_RULE_VALUES = {
    "supprimer": HOLIDAY_SKIP,
    "jour-ouvre-precedent": HOLIDAY_PREVIOUS_WORKING_DAY,
    "jour-ouvre-suivant": HOLIDAY_NEXT_WORKING_DAY,
    "maintenir": HOLIDAY_KEEP,
}
"""The file's French values of ``jours_feries`` → stored holiday rules."""
YES, NO = ("oui", "vrai", "true", "1"), ("non", "faux", "false", "0", "")
CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")
INSEE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
SLUG = re.compile(r"^[a-z0-9-]{1,40}$")
PARTNER_REF = re.compile(r"^(\d{1,10}|[a-z0-9-]{1,60}:[^\s|]{1,80})$")
TIME = re.compile(r"^(\d{1,2})\s*[:hH]\s*(\d{2})?$")
MAX_TEXT = {"nom": 200, "adresse": 250, "motif": 300, "note": 1000, "source": 120}


class RowError(ValueError):
    """A bad field of one row; the message is French and names the column."""


@dataclass(frozen=True)
class RouteRow:
    line: int
    code: str
    name: str
    description: str | None
    holiday_rule: str
    source: str
    is_demo: bool
    partner_ref: str | None


@dataclass(frozen=True)
class StopRow:
    line: int
    route: str
    code: str
    name: str
    street: str | None
    insee_code: str
    location: tuple[float, float] | None


@dataclass(frozen=True)
class RuleRow:
    line: int
    route: str
    stop: str
    code: str
    recurrence: RecurrenceRule
    rights: tuple[str, ...]
    partner_refs: tuple[str, ...]
    note: str | None


@dataclass(frozen=True)
class ChangeRow:
    """``annulation`` (no new times) or ``deplacement`` of the visit of ``rule`` on ``day``."""

    line: int
    kind: str
    route: str
    stop: str
    rule: str
    day: date
    reason: str
    new_day: date | None = None
    new_start: time | None = None
    new_end: time | None = None


@dataclass(frozen=True)
class ExtraRow:
    line: int
    route: str
    stop: str
    day: date
    start: time
    end: time
    rights: tuple[str, ...]
    partner_refs: tuple[str, ...]
    note: str | None


ScheduleRow = RouteRow | StopRow | RuleRow | ChangeRow | ExtraRow


def parse_row(row: CsvRow) -> ScheduleRow:
    """One row as plain values, or `RowError` with a French reason."""
    kind = row.get("type").lower()
    if kind not in ROW_TYPES:
        raise RowError(f"type « {row.get('type')} » inconnu (attendu : {', '.join(ROW_TYPES)})")
    route = _code(row, "tournee")
    if kind == "tournee":
        return RouteRow(
            line=row.line,
            code=route,
            name=_text(row, "nom", required=True) or "",
            description=_text(row, "note"),
            holiday_rule=_holiday_rule(row),
            source=_text(row, "source", required=True) or "",
            is_demo=_yes_no(row, "exemple"),
            partner_ref=_single_ref(row),
        )
    stop = _code(row, "arret")
    if kind == "arret":
        return StopRow(
            line=row.line,
            route=route,
            code=stop,
            name=_text(row, "nom", required=True) or "",
            street=_text(row, "adresse"),
            insee_code=_insee(row),
            location=_location(row),
        )
    if kind == "supplementaire":
        start, end = _window(row)
        return ExtraRow(
            line=row.line,
            route=route,
            stop=stop,
            day=_date(row, "date"),
            start=start,
            end=end,
            rights=_slugs(row),
            partner_refs=_refs(row),
            note=_text(row, "note"),
        )
    rule = _code(row, "regle")
    if kind == "regle":
        start, end = _window(row)
        try:
            recurrence = RecurrenceRule(
                rule=normalise_rule(row.get("recurrence")),
                starts_on=_date(row, "du"),
                ends_on=_optional_date(row, "au"),
                start_time=start,
                end_time=end,
            )
        except InvalidBusSchedule as exc:
            raise RowError(exc.message) from exc
        return RuleRow(
            line=row.line,
            route=route,
            stop=stop,
            code=rule,
            recurrence=recurrence,
            rights=_slugs(row),
            partner_refs=_refs(row),
            note=_text(row, "note"),
        )
    reason = _text(row, "motif", required=True) or ""
    day = _date(row, "date")
    if kind == "annulation":
        return ChangeRow(row.line, kind, route, stop, rule, day, reason)
    start, end = _window(row)
    return ChangeRow(
        row.line,
        kind,
        route,
        stop,
        rule,
        day,
        reason,
        new_day=_optional_date(row, "nouvelle_date") or day,
        new_start=start,
        new_end=end,
    )


def _code(row: CsvRow, column: str) -> str:
    value = row.get(column).lower()
    if not CODE.match(value):
        raise RowError(
            f"colonne « {column} » : code attendu (lettres minuscules sans accent, chiffres, "
            f"« - » ou « _ », 60 caractères au plus), lu « {row.get(column)} »"
        )
    return value


def _text(row: CsvRow, column: str, *, required: bool = False) -> str | None:
    value = " ".join(row.get(column).split())
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise RowError(f"colonne « {column} » : caractère de contrôle interdit")
    if required and not value:
        raise RowError(f"colonne « {column} » obligatoire")
    limit = MAX_TEXT.get(column)
    if limit is not None and len(value) > limit:
        raise RowError(f"colonne « {column} » : {limit} caractères au plus")
    return value or None


def _holiday_rule(row: CsvRow) -> str:
    value = row.get("jours_feries").lower() or "supprimer"
    if value not in HOLIDAY_RULE_VALUES:
        raise RowError(
            f"colonne « jours_feries » : « {row.get('jours_feries')} » inconnu "
            f"(attendu : {', '.join(HOLIDAY_RULE_VALUES)})"
        )
    return HOLIDAY_RULE_VALUES[value]


def _yes_no(row: CsvRow, column: str) -> bool:
    value = row.get(column).lower()
    if value in YES:
        return True
    if value in NO:
        return False
    raise RowError(f"colonne « {column} » : « oui » ou « non » attendu")


def _insee(row: CsvRow) -> str:
    value = row.get("code_insee").upper()
    if not INSEE.match(value):
        raise RowError(
            f"colonne « code_insee » : code INSEE à 5 caractères attendu, lu « {value} »"
        )
    return value


def _location(row: CsvRow) -> tuple[float, float] | None:
    lon_text, lat_text = row.get("longitude"), row.get("latitude")
    if not lon_text and not lat_text:
        return None
    try:
        return check_lon_lat(float(lon_text.replace(",", ".")), float(lat_text.replace(",", ".")))
    except ValueError as exc:
        raise RowError("colonnes « longitude » et « latitude » : nombres attendus") from exc
    except InvalidLocation as exc:
        raise RowError(f"colonnes « longitude » et « latitude » : {exc.message}") from exc


def _optional_date(row: CsvRow, column: str) -> date | None:
    value = row.get(column)
    if not value:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(value, pattern).date()  # noqa: DTZ007 (a date)
        except ValueError:
            continue
    raise RowError(f"colonne « {column} » : date AAAA-MM-JJ ou JJ/MM/AAAA attendue, lu « {value} »")


def _date(row: CsvRow, column: str) -> date:
    value = _optional_date(row, column)
    if value is None:
        raise RowError(f"colonne « {column} » obligatoire")
    return value


def _time(row: CsvRow, column: str) -> time:
    value = row.get(column)
    match = TIME.match(value)
    if match is None:
        raise RowError(f"colonne « {column} » : heure HH:MM attendue, lu « {value} »")
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if hour > 23 or minute > 59:
        raise RowError(f"colonne « {column} » : heure impossible « {value} »")
    return time(hour, minute)


def _window(row: CsvRow) -> tuple[time, time]:
    start, end = _time(row, "debut"), _time(row, "fin")
    if end <= start:
        raise RowError("l'heure de fin doit être après l'heure de début")
    return start, end


def _split(value: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(part.strip() for part in value.split("|") if part.strip()))


def _slugs(row: CsvRow) -> tuple[str, ...]:
    slugs = _split(row.get("droits").lower())
    bad = [slug for slug in slugs if not SLUG.match(slug)]
    if bad:
        raise RowError(f"colonne « droits » : identifiant de droit illisible « {bad[0]} »")
    return slugs


def _refs(row: CsvRow) -> tuple[str, ...]:
    refs = _split(row.get("partenaires"))
    bad = [ref for ref in refs if not PARTNER_REF.match(ref)]
    if bad:
        raise RowError(
            f"colonne « partenaires » : référence « {bad[0]} » illisible "
            "(attendu : source:identifiant, par exemple anct-france-services:1234)"
        )
    return refs


def _single_ref(row: CsvRow) -> str | None:
    refs = _refs(row)
    if len(refs) > 1:
        raise RowError("colonne « partenaires » : une tournée a au plus un partenaire qui la mène")
    return refs[0] if refs else None
