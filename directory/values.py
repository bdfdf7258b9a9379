"""Plain values describing a partner and its offer, shared by editing operations and imports."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any


@dataclass(frozen=True)
class ServiceValues:
    """What a partner does for one right, at which help level, for which publics."""

    right_slug: str
    help_level: str
    description: str | None = None
    publics: tuple[str, ...] = ()
    source: str | None = None

    def normalised(self) -> ServiceValues:
        """As stored: description trimmed (blank: None), blank publics dropped."""
        description = (self.description or "").strip() or None
        publics = tuple(p.strip() for p in self.publics if p.strip())
        if (description, publics) == (self.description, self.publics):
            return self
        return replace(self, description=description, publics=publics)


@dataclass(frozen=True)
class PartnerValues:
    """Every field of a partner, as an edit or an import gives it.

    ``location`` is (lon, lat) in WGS 84 degrees; ``areas`` are (level, code) pairs such
    as ("commune", "62041") or ("france", "FR"). An import sets ``source_id`` (the
    partner's key within its source) and the source's licence and date.
    """

    kind: str
    name: str
    source: str
    location: tuple[float, float] | None = None
    description: str | None = None
    street: str | None = None
    address_complement: str | None = None
    postcode: str | None = None
    city: str | None = None
    insee_code: str | None = None
    is_location_doubtful: bool = False
    location_note: str | None = None
    phone: str | None = None
    email: str | None = None
    website: str | None = None
    opening_hours: str | None = None
    opening_hours_source: str | None = None
    accessibility: str = "inconnu"
    accessibility_details: str | None = None
    languages: str = "fr"
    appointment: str = "inconnu"
    transport_access: str | None = None
    source_id: str | None = None
    source_licence: str | None = None
    source_date: date | None = None
    verified_at: date | None = None
    is_demo: bool = False
    siret: str | None = None
    services: tuple[ServiceValues, ...] = ()
    areas: tuple[tuple[str, str], ...] = ()

    def normalised(self) -> PartnerValues:
        """As stored: texts trimmed, blank optional texts None, services normalised."""
        changes: dict[str, Any] = {
            name: text
            for name in SCALAR_FIELDS
            if isinstance(value := getattr(self, name), str)
            and (text := value.strip() if name in REQUIRED_TEXTS else value.strip() or None)
            != value
        }
        services = tuple(s.normalised() for s in self.services)
        if any(new is not old for new, old in zip(services, self.services, strict=True)):
            changes["services"] = services
        return replace(self, **changes) if changes else self


SCALAR_FIELDS = tuple(
    f.name for f in fields(PartnerValues) if f.name not in {"location", "services", "areas"}
)
"""The fields copied as they are onto a `Partner` column of the same name."""
REQUIRED_TEXTS = frozenset({"kind", "name", "source", "accessibility", "languages", "appointment"})
