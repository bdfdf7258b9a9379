"""Use cases that write partners: create, update, delete — and keep the search index in step.

Operations take a `Session` and plain typed values, check the directory's rules (raising
`InvalidPartner` with French messages per field), ``flush()`` but never commit: the caller
(view, command, import) commits once. The search index is updated *after* that commit (see
`directory.search.sync`): a transaction that fails leaves the index untouched.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date

from geoalchemy2.shape import from_shape
from shapely.geometry import Point
from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.errors import InvalidPartner
from directory.hours import parse_error
from directory.models import Partner, Right, Service, ServiceArea
from directory.queries import get_partner
from directory.search.protocol import SearchIndex
from directory.search.sync import stage_index_changes
from directory.service_areas import resolve_served_communes
from directory.values import ServiceValues
from directory.vocabulary import (
    ACCESSIBILITY_LABELS,
    APPOINTMENT_LABELS,
    HELP_LEVELS,
    PARTNER_KINDS,
    SERVICE_AREA_LEVELS,
)
from geodata.models import SRID, Commune, Departement, Epci
from geodata.types import utc_now

_Fail = Callable[[str, str], None]
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_POSTCODE = re.compile(r"[0-9]{5}")
_LANGUAGES = re.compile(r"[a-z]{2,3}(,[a-z]{2,3})*")
_TEXT_LIMITS = {"name": 250, "street": 250, "address_complement": 250, "city": 100,
                "phone": 40, "email": 200, "website": 300, "source": 60, "source_id": 80,
                "source_licence": 120}  # fmt: skip


@dataclass(frozen=True)
class PartnerValues:
    """Every editable field of a partner; ``location`` is (lon, lat) in WGS 84 degrees."""

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
    services: tuple[ServiceValues, ...] = ()
    areas: tuple[tuple[str, str], ...] = ()  # (level, code): ("commune", "62041"), ("france", "FR")


_SCALARS = tuple(
    f.name for f in fields(PartnerValues) if f.name not in {"location", "services", "areas"}
)


def create_partner(session: Session, index: SearchIndex, values: PartnerValues) -> Partner:
    check_partner_values(session, values)
    partner = Partner(services=[], service_areas=[], closures=[])
    session.add(partner)
    _apply(session, partner, values)
    stage_index_changes(session, index, [partner.id])
    return partner


def update_partner(
    session: Session, index: SearchIndex, partner_id: int, values: PartnerValues
) -> Partner:
    """Replace every field of the partner (raises `PartnerNotFound`, `InvalidPartner`)."""
    partner = get_partner(session, partner_id)
    check_partner_values(session, values, partner_id=partner_id)
    _apply(session, partner, values)
    partner.updated_at = utc_now()  # also when only services changed: the index relies on it
    session.flush()
    stage_index_changes(session, index, [partner.id])
    return partner


def delete_partner(session: Session, index: SearchIndex, partner_id: int) -> None:
    partner = get_partner(session, partner_id)
    session.delete(partner)
    session.flush()
    stage_index_changes(session, index, [partner_id])


def _apply(session: Session, partner: Partner, values: PartnerValues) -> None:
    for name in _SCALARS:
        value = getattr(values, name)
        setattr(partner, name, value.strip() or None if isinstance(value, str) else value)
    partner.name = values.name.strip()
    partner.source = values.source.strip()
    partner.accessibility, partner.appointment = values.accessibility, values.appointment
    partner.languages = values.languages
    partner.location = (
        None if values.location is None else from_shape(Point(*values.location), srid=SRID)
    )
    existing = {service.right_slug: service for service in partner.services}
    partner.services = [
        _service(existing.get(wanted.right_slug), wanted) for wanted in values.services
    ]
    areas_before = sorted((area.level, area.code) for area in partner.service_areas)
    if areas_before != sorted(values.areas) or partner.id is None:
        current = {(area.level, area.code): area for area in partner.service_areas}
        partner.service_areas = [
            current.get(area) or ServiceArea(level=area[0], code=area[1]) for area in values.areas
        ]
        session.flush()
        resolve_served_communes(session, partner)
    session.flush()


def _service(service: Service | None, wanted: ServiceValues) -> Service:
    service = service or Service(right_slug=wanted.right_slug)
    service.help_level = wanted.help_level
    service.description = (wanted.description or "").strip() or None
    service.publics = "|".join(p.strip() for p in wanted.publics if p.strip())
    service.source = wanted.source
    return service


def check_partner_values(
    session: Session, values: PartnerValues, *, partner_id: int | None = None
) -> None:
    """Raise `InvalidPartner` listing every broken rule, per field, in French."""
    errors: dict[str, list[str]] = {}

    def fail(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if values.kind not in PARTNER_KINDS:
        fail("kind", f"Type de structure inconnu : « {values.kind} ».")
    if not values.name.strip():
        fail("name", "Le nom est obligatoire.")
    if not values.source.strip():
        fail("source", "La source des informations est obligatoire.")
    for name, limit in _TEXT_LIMITS.items():
        value = getattr(values, name)
        if isinstance(value, str) and len(value.strip()) > limit:
            fail(name, f"Ce champ ne doit pas dépasser {limit} caractères.")
    if values.postcode and not _POSTCODE.fullmatch(values.postcode.strip()):
        fail("postcode", "Le code postal doit compter 5 chiffres.")
    if values.insee_code and session.get(Commune, values.insee_code) is None:
        fail("insee_code", f"Commune inconnue (code INSEE « {values.insee_code} »).")
    if values.location is not None:
        lon, lat = values.location
        if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180
                and -90 <= lat <= 90):  # fmt: skip
            fail("location", "Position invalide : donnez (longitude, latitude) en degrés.")
    if values.email and not _EMAIL.fullmatch(values.email.strip()):
        fail("email", "Adresse électronique invalide.")
    if values.website and not values.website.strip().startswith(("https://", "http://")):
        fail("website", "Le site doit commencer par https:// (ou http://).")
    if values.opening_hours and (problem := parse_error(values.opening_hours)):
        fail("opening_hours", problem)
    if values.accessibility not in ACCESSIBILITY_LABELS:
        fail("accessibility", f"Valeur d'accessibilité inconnue : « {values.accessibility} ».")
    if values.appointment not in APPOINTMENT_LABELS:
        fail("appointment", f"Modalité d'accueil inconnue : « {values.appointment} ».")
    if not _LANGUAGES.fullmatch(values.languages):
        fail("languages", "Langues : codes ISO séparés par des virgules, par exemple « fr,en ».")
    _check_services(session, values, fail)
    _check_areas(session, values, fail)
    if values.source_id:
        query = select(Partner.id).where(
            Partner.source == values.source.strip(), Partner.source_id == values.source_id
        )
        other = session.scalar(query)
        if other is not None and other != partner_id:
            fail("source_id", f"La fiche n° {other} a déjà cet identifiant pour cette source.")
    if errors:
        raise InvalidPartner("La fiche du partenaire contient des erreurs.", errors)


def _check_services(session: Session, values: PartnerValues, fail: _Fail) -> None:
    known = set(session.scalars(select(Right.slug)))
    seen: set[str] = set()
    for number, service in enumerate(values.services, start=1):
        if service.right_slug not in known:
            fail("services", f"Service n° {number} : droit inconnu « {service.right_slug} ».")
        if service.right_slug in seen:
            fail("services", f"Service n° {number} : le droit « {service.right_slug} » est "
                             "déjà proposé par un autre service de la fiche.")  # fmt: skip
        seen.add(service.right_slug)
        if service.help_level not in HELP_LEVELS:
            fail(
                "services", f"Service n° {number} : niveau d'aide inconnu « {service.help_level} »."
            )


def _check_areas(session: Session, values: PartnerValues, fail: _Fail) -> None:
    if not values.areas:
        fail("areas", "Indiquez au moins une zone d'intervention (commune, EPCI, département).")
    models = {"commune": Commune, "epci": Epci, "departement": Departement}
    for level, code in values.areas:
        if level not in SERVICE_AREA_LEVELS:
            fail("areas", f"Niveau de zone inconnu : « {level} ».")
        elif level == "france":
            if code != "FR":
                fail("areas", "La zone « toute la France » a pour code « FR ».")
        elif session.get(models[level], code) is None:
            fail("areas", f"Zone inconnue : {level} « {code} ».")
    if len(set(values.areas)) != len(values.areas):
        fail("areas", "Une zone d'intervention est indiquée deux fois.")
