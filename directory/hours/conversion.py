"""Conversion of the hours published by our sources into OSM ``opening_hours`` strings.

Rules shared by every source, so that nothing is guessed:

* a day without any slot is closed; a row without any slot at all is rejected (the hours are
  unknown, not "closed all week");
* a zero-length slot (``00:00 - 00:00``, a placeholder of the France services export) opens
  nothing and is dropped with a note;
* identical duplicate slots are kept once and touching slots (``09:00-11:00`` and
  ``11:00-12:00``) are joined, with a note;
* overlapping slots that differ (``09:00-12:30``, ``09:00-17:00`` and ``14:00-17:00``) are
  contradictory: is there a lunch break? The row is rejected;
* a slot that ends before it starts, an impossible time, unknown text ("sur rendez-vous")
  reject the row; a slot ending at ``00:00`` ends at midnight;
* days with the same slots are grouped (``Mo-Fr 09:00-12:00,13:30-17:00; Sa 09:00-12:00``)
  and ``; PH off`` is added: the France services list and the Annuaire describe offices
  closed on public holidays;
* a note of the Annuaire on a range of days is kept only when it says how people are
  received without changing the times (« Accueil uniquement sur rendez-vous. »); any other
  note (« fermé pendant les vacances scolaires », « le 1er mardi du mois », other times)
  may change the hours, so the row is rejected with the note quoted;
* hours already written in OSM syntax (conseillers numériques) are kept as published when
  they parse, never repaired, and get no ``PH off`` (that source does not say).

Converters never raise: a rejected row has ``osm=None`` and a French ``error``.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from directory.hours.expression import parse_error

TimeSlot = tuple[int, int]  # minutes since midnight, start < end <= 1440
WEEKDAY_CODES = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
FRENCH_DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
FRANCE_SERVICES_COLUMNS = tuple(f"h_{day}" for day in FRENCH_DAYS)  # no h_dimanche in 2024
NO_HOURS = "Aucun horaire renseigné"
_MIDNIGHT = 24 * 60
_TIME = r"([0-9]{1,2})\s*(?::\s*([0-9]{2})|[hH]\s*([0-9]{2})?)"
_SLOT = re.compile(rf"{_TIME}\s*(?:-|–|—|à|a)\s*{_TIME}", re.IGNORECASE)
_SLOT_SEPARATORS = re.compile(r"\s*(?:/|;|,|\+|\bet\b|\n)\s*", re.IGNORECASE)
_JSON_TIME = re.compile(r"([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?")
_APPOINTMENT_NOTE = re.compile(
    r"(?:accueil |et |reception )?(?:ouvert |possible |aussi )?(?:uniquement |egalement |aussi )?"
    r"(?:ouvert )?(?:sur |par )(?:rendez-vous|rdv)(?: uniquement| possible)?\.?"
    r"|telephoner pour (?:convenir d'un|prendre) rendez-vous avant de se rendre sur place\.?"
)


@dataclass(frozen=True)
class HoursConversion:
    """Result of a conversion: ``osm`` or a French ``error``; ``notes`` for import reports."""

    osm: str | None
    error: str | None
    notes: tuple[str, ...] = ()

    @property
    def is_converted(self) -> bool:
        return self.osm is not None


class _Rejected(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def format_weekly_osm(
    week: Sequence[Sequence[TimeSlot]], *, closed_on_holidays: bool = True
) -> str:
    """Seven days of sorted, disjoint slots (Monday first) → OSM string.

    ``[[(540, 720)]] * 5 + [[], []]`` → ``"Mo-Fr 09:00-12:00; PH off"``. Raises `ValueError`
    when no day has a slot (an OSM string cannot say "unknown").
    """
    if len(week) != len(WEEKDAY_CODES):
        raise ValueError("Une semaine compte sept jours.")
    groups: dict[tuple[TimeSlot, ...], list[int]] = {}
    for weekday, slots in enumerate(week):
        if slots:
            groups.setdefault(tuple(slots), []).append(weekday)
    if not groups:
        raise ValueError(NO_HOURS)
    rules = [
        f"{_weekday_selector(weekdays)} {','.join(_slot_osm(slot) for slot in slots)}"
        for slots, weekdays in groups.items()
    ]
    if closed_on_holidays:
        rules.append("PH off")
    return "; ".join(rules)


def convert_france_services_hours(row: Mapping[str, str | None]) -> HoursConversion:
    """Hours of a France services row (``h_lundi`` … ``h_samedi``, ``"09:00 - 12:00 / …"``)."""
    days: list[list[TimeSlot]] = []
    errors: list[str] = []
    notes: list[str] = []
    for day_name, column in zip(FRENCH_DAYS, FRANCE_SERVICES_COLUMNS, strict=True):
        try:
            slots = _france_services_cell(row.get(column) or "")
            days.append(_normalize_day(slots, day_name, notes))
        except _Rejected as rejected:
            errors.append(f"{day_name} : {rejected.reason}")
            days.append([])
    return _conversion(days, errors, notes)


def convert_mairie_hours(horaires_json: str | None) -> HoursConversion:
    """Hours of a mairie (Annuaire de l'administration, ``horaires_json``)."""
    notes: list[str] = []
    try:
        week = _mairie_week(horaires_json or "")
        days = [
            _normalize_day(slots, name, notes)
            for slots, name in zip(week, FRENCH_DAYS, strict=True)
        ]
    except _Rejected as rejected:
        return HoursConversion(None, rejected.reason, tuple(notes))
    return _conversion(days, [], notes)


def convert_annuaire_hours(horaires_json: str | None) -> HoursConversion:
    """Hours of an office of the Annuaire de l'administration (``{"PlageJ": [...]}``).

    Each ``PlageJ`` is a range of days (``début``/``fin``: French day names) with one or
    several ``PlageH`` (``début``/``fin``: ``HH:MM:SS``) and maybe a ``Note``.
    """
    notes: list[str] = []
    try:
        week = _annuaire_week(horaires_json or "", notes)
        days = [
            _normalize_day(slots, name, notes)
            for slots, name in zip(week, FRENCH_DAYS, strict=True)
        ]
    except _Rejected as rejected:
        return HoursConversion(None, rejected.reason, tuple(notes))
    return _conversion(days, [], notes)


def convert_osm_hours(text: str | None) -> HoursConversion:
    """Hours published in OSM ``opening_hours`` syntax: kept as they are when they parse."""
    value = " ".join((text or "").split())
    if not value:
        return HoursConversion(None, NO_HOURS)
    problem = parse_error(value)
    if problem is not None:
        return HoursConversion(None, f"horaires OSM invalides « {_short(value)} » : {problem}")
    return HoursConversion(value, None)


def is_appointment_note(note: str) -> bool:
    """Does this note of the Annuaire only say that people are received by appointment?"""
    return _APPOINTMENT_NOTE.fullmatch(_fold(note)) is not None


def requires_appointment(note: str) -> bool:
    """An appointment note saying « uniquement » (only) rather than « également » (also)."""
    folded = _fold(note)
    return is_appointment_note(note) and "uniquement" in folded


def _annuaire_week(horaires_json: str, notes: list[str]) -> list[list[TimeSlot]]:
    if not horaires_json.strip():
        raise _Rejected(NO_HOURS)
    try:
        document = json.loads(horaires_json)
    except (ValueError, RecursionError) as exc:
        raise _Rejected("horaires illisibles (JSON invalide)") from exc
    ranges = document.get("PlageJ") if isinstance(document, dict) else None
    if isinstance(ranges, dict):
        ranges = [ranges]
    if not isinstance(ranges, list) or not ranges:
        raise _Rejected("horaires au format inattendu (« PlageJ » attendu)")
    week: list[list[TimeSlot]] = [[] for _ in FRENCH_DAYS]
    for item in ranges:
        if not isinstance(item, dict):
            raise _Rejected(f"plage au format inattendu « {_short(item)} »")
        note = item.get("Note")
        if note is not None:
            if not isinstance(note, str) or not is_appointment_note(note):
                raise _Rejected(f"note qui peut changer les horaires « {_short(note)} »")
            notes.append(f"note conservée sans changer les heures : « {_short(note)} »")
        first, last = _json_day(item.get("début")), _json_day(item.get("fin"))
        if last < first:
            raise _Rejected(
                f"plage de jours à l'envers « {item.get('début')} – {item.get('fin')} »"
            )
        hours = item.get("PlageH")
        if isinstance(hours, dict):
            hours = [hours]
        if not isinstance(hours, list) or not hours:
            raise _Rejected(f"plage sans heures « {_short(item)} »")
        slots = [_annuaire_slot(slot) for slot in hours]
        for weekday in range(first, last + 1):
            week[weekday].extend(slots)
    return week


def _annuaire_slot(value: object) -> TimeSlot:
    if not isinstance(value, dict):
        raise _Rejected(f"créneau au format inattendu « {_short(value)} »")
    return _json_slot([value.get("début"), value.get("fin")])


def _conversion(days: list[list[TimeSlot]], errors: list[str], notes: list[str]) -> HoursConversion:
    if errors:
        return HoursConversion(None, " ; ".join(errors), tuple(notes))
    if not any(days):
        return HoursConversion(None, NO_HOURS, tuple(notes))
    osm = format_weekly_osm(days)
    problem = parse_error(osm)
    if problem is not None:  # would be a bug of ours: report it rather than store it
        return HoursConversion(None, f"Conversion invalide « {osm} » : {problem}", tuple(notes))
    return HoursConversion(osm, None, tuple(notes))


def _france_services_cell(value: str) -> list[TimeSlot]:
    text = " ".join(value.split())
    if not text or _fold(text) in ("ferme", "fermee", "closed"):
        return []
    slots = []
    for part in _SLOT_SEPARATORS.split(text):
        if not part:
            continue
        match = _SLOT.fullmatch(part)
        if match is None:
            if "rdv" in _fold(text) or "rendez" in _fold(text):
                raise _Rejected(f"horaires sur rendez-vous sans créneau exploitable « {text} »")
            raise _Rejected(f"horaire non reconnu « {text} »")
        start = _minutes(match.group(1), match.group(2) or match.group(3), text)
        end = _minutes(match.group(4), match.group(5) or match.group(6), text)
        slots.append(_slot(start, end, part))
    return slots


def _mairie_week(horaires_json: str) -> list[list[TimeSlot]]:
    if not horaires_json.strip():
        raise _Rejected(NO_HOURS)
    try:
        ranges = json.loads(horaires_json)
    except (ValueError, RecursionError) as exc:
        raise _Rejected("horaires illisibles (JSON invalide)") from exc
    if not isinstance(ranges, list):
        raise _Rejected("horaires au format inattendu (liste de plages attendue)")
    if not ranges:
        raise _Rejected(f"{NO_HOURS} (liste vide)")
    week: list[list[TimeSlot]] = [[] for _ in FRENCH_DAYS]
    for item in ranges:
        if not (isinstance(item, list) and len(item) == 3 and isinstance(item[2], list)):
            raise _Rejected(f"plage au format inattendu « {_short(item)} »")
        first, last = _json_day(item[0]), _json_day(item[1])
        if last < first:
            raise _Rejected(f"plage de jours à l'envers « {item[0]} – {item[1]} »")
        slots = [_json_slot(slot) for slot in item[2]]
        for weekday in range(first, last + 1):
            week[weekday].extend(slots)  # plages add up: "lundi-vendredi" + "jeudi" afternoon
    return week


def _json_day(value: object) -> int:
    name = _fold(value) if isinstance(value, str) else None
    if name not in FRENCH_DAYS:
        raise _Rejected(f"jour inconnu « {_short(value)} »")
    return FRENCH_DAYS.index(name)


def _json_slot(value: object) -> TimeSlot:
    if not (isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value)):
        raise _Rejected(f"créneau au format inattendu « {_short(value)} »")
    bounds = []
    for text in value:
        match = _JSON_TIME.fullmatch(text.strip())
        if match is None or (match.group(3) or "00") != "00":
            raise _Rejected(f"heure non reconnue « {_short(text)} »")
        bounds.append(_minutes(match.group(1), match.group(2), text))
    return _slot(bounds[0], bounds[1], f"{value[0]} - {value[1]}")


def _minutes(hours: str, minutes: str | None, context: str) -> int:
    hour, minute = int(hours), int(minutes or 0)
    if hour > 24 or minute > 59 or (hour == 24 and minute):
        raise _Rejected(f"heure impossible dans « {context} »")
    return hour * 60 + minute


def _slot(start: int, end: int, text: str) -> TimeSlot:
    if start == _MIDNIGHT:
        raise _Rejected(f"créneau commençant à 24:00 « {text} »")
    if end == 0 and start > 0:
        end = _MIDNIGHT  # "20:00 - 00:00" ends at midnight
    if end < start:
        raise _Rejected(f"créneau dont la fin précède le début « {text} »")
    return start, end


def _normalize_day(slots: list[TimeSlot], day_name: str, notes: list[str]) -> list[TimeSlot]:
    """Sort, drop empty and duplicate slots, join touching ones; reject overlaps."""
    result: list[TimeSlot] = []
    for start, end in sorted(set(slots)):
        if start == end:
            notes.append(f"{day_name} : créneau vide « {_slot_text((start, end))} » ignoré")
        elif result and start < result[-1][1]:
            raise _Rejected(
                f"créneaux qui se chevauchent « {_slot_text(result[-1])} » et "
                f"« {_slot_text((start, end))} » : horaires contradictoires"
            )
        elif result and start == result[-1][1]:
            notes.append(
                f"{day_name} : créneaux contigus « {_slot_text(result[-1])} » et "
                f"« {_slot_text((start, end))} » réunis"
            )
            result[-1] = (result[-1][0], end)
        else:
            result.append((start, end))
    if len(set(slots)) < len(slots):
        notes.append(f"{day_name} : créneau en double ignoré")
    return result


def _weekday_selector(weekdays: list[int]) -> str:
    runs: list[list[int]] = []
    for weekday in weekdays:
        if runs and runs[-1][-1] == weekday - 1:
            runs[-1].append(weekday)
        else:
            runs.append([weekday])
    return ",".join(
        WEEKDAY_CODES[run[0]]
        if len(run) == 1
        else f"{WEEKDAY_CODES[run[0]]}-{WEEKDAY_CODES[run[-1]]}"
        for run in runs
    )


def _slot_osm(slot: TimeSlot) -> str:
    return f"{_clock(slot[0])}-{_clock(slot[1])}"


def _slot_text(slot: TimeSlot) -> str:
    return f"{_clock(slot[0])} - {_clock(slot[1])}"


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _fold(text: str) -> str:
    """Lower case without accents: ``"Fermé"`` → ``"ferme"``."""
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _short(value: object) -> str:
    try:
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    except (RecursionError, ValueError):
        text = "…"
    return text if len(text) <= 60 else f"{text[:57]}…"
