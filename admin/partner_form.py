"""The partner form of the back office ↔ `PartnerValues` (one value type for edits and
imports). The form only parses text into values; every rule is checked by the directory's
operations, whose French messages come back next to the fields."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from werkzeug.datastructures import MultiDict

from directory.models import Right
from directory.values import PartnerValues, ServiceValues

TEXT_FIELDS = (
    "name", "siret", "description", "street", "address_complement", "postcode", "city",
    "insee_code", "phone", "email", "website", "accessibility_details", "languages",
    "transport_access",
)  # fmt: skip
"""Fields typed as they are (choices are `kind`, `accessibility`, `appointment`)."""
CHOICE_FIELDS = ("kind", "accessibility", "appointment")
PUBLICS_SEPARATOR = ";"
BACK_OFFICE_SOURCE = "Saisie par l'équipe du territoire"
"""``Partner.source`` of a partner created in the back office (shown on its page)."""


@dataclass
class ParsedForm:
    values: PartnerValues
    errors: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class ServiceRow:
    """One right of the services table, as the form shows it."""

    slug: str
    name: str
    offered: bool
    help_level: str
    publics: str
    description: str


def service_rows(rights: Sequence[Right], values: PartnerValues) -> list[ServiceRow]:
    offered = {s.right_slug: s for s in values.services}
    rows = []
    for right in rights:
        service = offered.get(right.slug)
        rows.append(
            ServiceRow(
                slug=right.slug,
                name=right.name,
                offered=service is not None,
                help_level=service.help_level if service else "information",
                publics=f"{PUBLICS_SEPARATOR} ".join(service.publics) if service else "",
                description=(service.description or "") if service else "",
            )
        )
    return rows


def areas_text(values: PartnerValues) -> str:
    return "\n".join(f"{level}:{code}" for level, code in values.areas)


def parse_areas(text: str) -> tuple[tuple[tuple[str, str], ...], list[str]]:
    """``commune:62041`` one per line (or separated by commas) → (level, code) pairs."""
    areas: list[tuple[str, str]] = []
    problems: list[str] = []
    for raw in text.replace(",", "\n").splitlines():
        item = raw.strip()
        if not item:
            continue
        level, sep, code = item.partition(":")
        if not sep or not code.strip():
            problems.append(f"« {item} » : écrivez niveau:code, par exemple commune:62041.")
            continue
        areas.append((level.strip().lower(), code.strip().upper() if level.strip().lower()
                      == "france" else code.strip()))  # fmt: skip
    return tuple(areas), problems


def parse_partner_form(
    form: MultiDict[str, str], base: PartnerValues, rights: Sequence[Right]
) -> ParsedForm:
    """The submitted form on top of ``base`` (fields the form does not show are kept)."""
    changes: dict[str, Any] = {name: form.get(name, "") for name in TEXT_FIELDS}
    changes["languages"] = changes["languages"].strip().lower() or "fr"
    for name in CHOICE_FIELDS:
        changes[name] = form.get(name, getattr(base, name))
    existing = {s.right_slug: s for s in base.services}
    services = []
    for right in rights:
        if form.get(f"service-{right.slug}") != "1":
            continue
        publics = tuple(
            p.strip()
            for p in form.get(f"publics-{right.slug}", "").split(PUBLICS_SEPARATOR)
            if p.strip()
        )
        previous = existing.get(right.slug)
        services.append(
            ServiceValues(
                right_slug=right.slug,
                help_level=form.get(f"level-{right.slug}", "information"),
                description=form.get(f"description-{right.slug}", ""),
                publics=publics,
                source=previous.source if previous else None,
            )
        )
    areas, problems = parse_areas(form.get("areas", ""))
    parsed = ParsedForm(replace(base, **changes, services=tuple(services), areas=areas))
    if problems:
        parsed.errors["areas"] = problems
    return parsed


def form_fields(values: PartnerValues) -> Mapping[str, Any]:
    """What the template shows in each input."""
    shown: dict[str, Any] = {name: getattr(values, name) or "" for name in TEXT_FIELDS}
    shown.update({name: getattr(values, name) for name in CHOICE_FIELDS})
    shown["areas"] = areas_text(values)
    return shown
