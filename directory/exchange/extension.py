"""Read back the ``aiguillage`` extension object of our own data·inclusion export."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from directory.exchange.mapping import EXTENSION_VERSION
from directory.hours import Closure, HoursError
from directory.vocabulary import (
    ACCESSIBILITY_LABELS,
    APPOINTMENT_LABELS,
    HELP_LEVELS,
    PARTNER_KINDS,
    SERVICE_AREA_LEVELS,
)


class ExtensionError(ValueError):
    """The extension object is not what we export (tampered with, or another version)."""


def _text(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ExtensionError(f"extension : « {key} » doit être un texte")
    return value


def _required(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str):
        raise ExtensionError(f"extension : « {key} » doit être un texte")
    return value


def _choice(data: Mapping[str, Any], key: str, allowed: Collection[str]) -> str:
    value = _required(data, key)
    if value not in allowed:
        raise ExtensionError(f"extension : valeur inconnue pour « {key} » : « {value} »")
    return value


def _flag(data: Mapping[str, Any], key: str) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        raise ExtensionError(f"extension : « {key} » doit valoir true ou false")
    return value


def _date(data: Mapping[str, Any], key: str) -> date | None:
    text = _text(data, key)
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise ExtensionError(f"extension : date invalide pour « {key} » : « {text} »") from exc


@dataclass(frozen=True)
class StructureExtension:
    kind: str
    values: dict[str, Any]
    """Partner fields with no data·inclusion equivalent, already typed."""
    source: str
    source_id: str | None
    source_licence: str | None
    source_date: date | None
    areas: tuple[tuple[str, str], ...]
    closures: tuple[Closure, ...]
    overrides: dict[str, str | None]


def read_structure_extension(data: object) -> StructureExtension:
    if not isinstance(data, Mapping):
        raise ExtensionError("extension : un objet est attendu")
    if data.get("version") != EXTENSION_VERSION:
        raise ExtensionError(f"extension : version non prise en charge « {data.get('version')} »")
    values: dict[str, Any] = {
        "is_location_doubtful": _flag(data, "is_location_doubtful"),
        "location_note": _text(data, "location_note"),
        "opening_hours_source": _text(data, "opening_hours_source"),
        "accessibility": _choice(data, "accessibility", ACCESSIBILITY_LABELS),
        "accessibility_details": _text(data, "accessibility_details"),
        "languages": _required(data, "languages"),
        "appointment": _choice(data, "appointment", APPOINTMENT_LABELS),
        "transport_access": _text(data, "transport_access"),
        "verified_at": _date(data, "verified_at"),
        "is_demo": _flag(data, "is_demo"),
    }
    return StructureExtension(
        kind=_choice(data, "kind", PARTNER_KINDS),
        values=values,
        source=_required(data, "source"),
        source_id=_text(data, "source_id"),
        source_licence=_text(data, "source_licence"),
        source_date=_date(data, "source_date"),
        areas=_areas(data.get("service_areas", [])),
        closures=_closures(data.get("closures", [])),
        overrides=_overrides(data.get("overrides", {})),
    )


def _areas(value: object) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, list):
        raise ExtensionError("extension : « service_areas » doit être une liste")
    areas: list[tuple[str, str]] = []
    for item in value:
        if (
            not isinstance(item, list)
            or len(item) != 2
            or item[0] not in SERVICE_AREA_LEVELS
            or not isinstance(item[1], str)
        ):
            raise ExtensionError(f"extension : zone d'intervention invalide « {item} »")
        areas.append((item[0], item[1]))
    return tuple(areas)


def _closures(value: object) -> tuple[Closure, ...]:
    if not isinstance(value, list):
        raise ExtensionError("extension : « closures » doit être une liste")
    closures: list[Closure] = []
    for item in value:
        if not isinstance(item, Mapping):
            raise ExtensionError("extension : fermeture invalide")
        starts_on, ends_on = _date(item, "starts_on"), _date(item, "ends_on")
        reason = _required(item, "reason")
        if starts_on is None or ends_on is None:
            raise ExtensionError("extension : fermeture sans dates")
        try:
            closures.append(Closure(starts_on, ends_on, reason, _text(item, "replacement_hours")))
        except HoursError as exc:
            raise ExtensionError(f"extension : fermeture invalide : {exc.message}") from exc
    return tuple(closures)


def _overrides(value: object) -> dict[str, str | None]:
    allowed = {"name", "description", "postcode", "siret"}
    if not isinstance(value, Mapping) or not set(value) <= allowed:
        raise ExtensionError("extension : « overrides » invalide")
    result: dict[str, str | None] = {}
    for key, text in value.items():
        if text is not None and not isinstance(text, str):
            raise ExtensionError(f"extension : « overrides.{key} » doit être un texte")
        result[str(key)] = text
    return result


@dataclass(frozen=True)
class ServiceExtension:
    right_slug: str
    help_level: str
    description: str | None
    publics: tuple[str, ...]
    source: str | None


def read_service_extension(data: object) -> ServiceExtension:
    if not isinstance(data, Mapping) or data.get("version") != EXTENSION_VERSION:
        raise ExtensionError("extension du service invalide ou d'une autre version")
    publics = data.get("publics", [])
    if not isinstance(publics, list) or not all(isinstance(p, str) for p in publics):
        raise ExtensionError("extension : « publics » doit être une liste de textes")
    return ServiceExtension(
        right_slug=_required(data, "right_slug"),
        help_level=_choice(data, "help_level", HELP_LEVELS),
        description=_text(data, "description"),
        publics=tuple(publics),
        source=_text(data, "source"),
    )
