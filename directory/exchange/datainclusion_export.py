"""Export the directory as data·inclusion schema v1 structures and services.

Standard fields get every value that has an exact data·inclusion equivalent; the
``aiguillage`` extension object carries the rest (see `directory.exchange.mapping`), and
the original value of any standard field that had to be altered to fit the schema (a
name longer than 150 characters, a description shorter than 5…).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import Any, BinaryIO

from sqlalchemy.orm import Session

from directory.exchange.json_stream import write_json_object
from directory.exchange.mapping import (
    APPOINTMENT_TO_MOBILISATION,
    DATAINCLUSION_PUBLICS,
    EXTENSION_KEY,
    EXTENSION_VERSION,
    HELP_LEVEL_TO_TYPE,
    KIND_TO_NETWORK,
    PRODUCER_SOURCE,
    SCHEMA_VERSION,
    themes_for,
    zone_code,
)
from directory.exchange.snapshot import (
    iter_partners_for_export,
    list_partners_for_export,
    lon_lat,
    right_names,
    stable_key,
)
from directory.models import Partner, Service
from directory.partner_rules import SIRET_PATTERN
from directory.vocabulary import HELP_LEVEL_LABELS

NAME_MAX = 150
NAME_MIN = 3
DESCRIPTION_MIN = 5
DESCRIPTION_MAX = 10000

EXTENSION_FIELDS = (
    "kind",
    "is_location_doubtful",
    "location_note",
    "opening_hours_source",
    "accessibility",
    "accessibility_details",
    "languages",
    "appointment",
    "transport_access",
    "source",
    "source_id",
    "source_licence",
    "source_date",
    "verified_at",
    "is_demo",
)
"""Partner fields with no data·inclusion equivalent: always in the extension."""


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _bounded_text(text: str | None, minimum: int, maximum: int) -> str | None:
    if text is None or len(text) < minimum:
        return None
    return text[:maximum]


def information_date(partner: Partner) -> date:
    """The real date of the information: the day it was last known true (the source's own
    date, or a person's confirmation), else the source's date, else the last edit."""
    return partner.verified_at or partner.source_date or partner.updated_at.date()


def structure_id(partner: Partner) -> str:
    return f"{PRODUCER_SOURCE}--{stable_key(partner)}"


def _fitted_standard(partner: Partner) -> tuple[dict[str, Any], dict[str, Any]]:
    """(standard fields, original values that the standard fields could not carry)."""
    name = partner.name[:NAME_MAX]
    if len(name) < NAME_MIN:
        name = (name + " " * NAME_MIN)[:NAME_MIN]
    standard = {
        "nom": name,
        "description": _bounded_text(partner.description, DESCRIPTION_MIN, DESCRIPTION_MAX),
        "adresse": partner.street,
        "complement_adresse": partner.address_complement,
        "code_postal": partner.postcode
        if partner.postcode and len(partner.postcode) == 5
        else None,
        "commune": partner.city,
        "code_insee": partner.insee_code,
        "telephone": partner.phone,
        "courriel": partner.email,
        "site_web": partner.website,
        "horaires_accueil": partner.opening_hours,
        "siret": partner.siret
        if partner.siret and SIRET_PATTERN.fullmatch(partner.siret)
        else None,
    }
    originals = {
        "name": partner.name,
        "description": partner.description,
        "postcode": partner.postcode,
        "siret": partner.siret,
    }
    by_standard = {
        "nom": "name",
        "description": "description",
        "code_postal": "postcode",
        "siret": "siret",
    }
    overrides = {
        field: originals[field]
        for key, field in by_standard.items()
        if standard[key] != originals[field]
    }
    return standard, overrides


def export_structure(partner: Partner, position: tuple[float, float] | None) -> dict[str, Any]:
    standard, overrides = _fitted_standard(partner)
    network = KIND_TO_NETWORK.get(partner.kind)
    extension: dict[str, Any] = {
        "version": EXTENSION_VERSION,
        **{name: getattr(partner, name) for name in EXTENSION_FIELDS},
        "source_date": _iso(partner.source_date),
        "verified_at": _iso(partner.verified_at),
        "service_areas": [[area.level, area.code] for area in partner.service_areas],
        "closures": [
            {
                "starts_on": closure.starts_on.isoformat(),
                "ends_on": closure.ends_on.isoformat(),
                "reason": closure.reason,
                "replacement_hours": closure.replacement_hours,
            }
            for closure in partner.closures
        ],
        "overrides": overrides,
    }
    return {
        "source": PRODUCER_SOURCE,
        "id": structure_id(partner),
        "date_maj": information_date(partner).isoformat(),
        **standard,
        "longitude": position[0] if position else None,
        "latitude": position[1] if position else None,
        "lien_source": None,
        "accessibilite_lieu": None,
        "reseaux_porteurs": [network] if network else None,
        EXTENSION_KEY: extension,
    }


def _mobilisation(partner: Partner) -> list[str] | None:
    modes = list(APPOINTMENT_TO_MOBILISATION.get(partner.appointment, ()))
    if partner.phone:
        modes.append("telephoner")
    if partner.email:
        modes.append("envoyer-un-courriel")
    return modes or None


def export_service(
    partner: Partner,
    service: Service,
    position: tuple[float, float] | None,
    names: dict[str, tuple[str, str]],
) -> dict[str, Any]:
    right_name, short_name = names.get(service.right_slug, (service.right_slug, service.right_slug))
    level_label = HELP_LEVEL_LABELS.get(service.help_level, service.help_level)
    generated = f"{right_name} : {level_label.lower()}."
    description = _bounded_text(service.description, DESCRIPTION_MIN, DESCRIPTION_MAX)
    publics = [p for p in service.public_list if p in DATAINCLUSION_PUBLICS]
    zones = [zone_code(area.level, area.code) for area in partner.service_areas]
    return {
        "source": PRODUCER_SOURCE,
        "id": f"{structure_id(partner)}--{service.right_slug}",
        "structure_id": structure_id(partner),
        "date_maj": information_date(partner).isoformat(),
        "nom": f"{short_name} — {level_label}"[:NAME_MAX],
        "description": description or generated,
        "type": HELP_LEVEL_TO_TYPE.get(service.help_level),
        "thematiques": themes_for(service.right_slug),
        "publics": publics or None,
        "zone_eligibilite": list(dict.fromkeys(zones)) or None,
        "modes_accueil": ["en-presentiel"] if position is not None else None,
        "modes_mobilisation": _mobilisation(partner),
        "mobilisation_precisions": None,
        "adresse": partner.street,
        "complement_adresse": partner.address_complement,
        "code_postal": partner.postcode
        if partner.postcode and len(partner.postcode) == 5
        else None,
        "commune": partner.city,
        "code_insee": partner.insee_code,
        "longitude": position[0] if position else None,
        "latitude": position[1] if position else None,
        "telephone": partner.phone,
        "courriel": partner.email,
        "horaires_accueil": partner.opening_hours,
        EXTENSION_KEY: {
            "version": EXTENSION_VERSION,
            "right_slug": service.right_slug,
            "help_level": service.help_level,
            "description": service.description,
            "publics": service.public_list,
            "source": service.source,
        },
    }


def export_partners(partners: Iterable[Partner], session: Session) -> dict[str, Any]:
    names = right_names(session)
    structures: list[dict[str, Any]] = []
    services: list[dict[str, Any]] = []
    for partner in partners:
        position = lon_lat(partner)
        structures.append(export_structure(partner, position))
        services.extend(export_service(partner, s, position, names) for s in partner.services)
    return {"structures": structures, "services": services}


def _header(generated_at: datetime) -> dict[str, str]:
    return {
        "schema": "data·inclusion",
        "schema_version": SCHEMA_VERSION,
        "producer": PRODUCER_SOURCE,
        "generated_at": generated_at.isoformat(),
    }


def export_datainclusion(session: Session, generated_at: datetime) -> dict[str, Any]:
    """The whole directory as one document: ``{"structures": [...], "services": [...]}``."""
    document = export_partners(list_partners_for_export(session), session)
    return {**_header(generated_at), **document}


def write_datainclusion(session: Session, out: BinaryIO, generated_at: datetime) -> None:
    """`export_datainclusion` written to ``out`` as JSON (keys sorted), a partner at a time."""
    names = right_names(session)

    def structures() -> Iterator[dict[str, Any]]:
        for partner in iter_partners_for_export(session):
            yield export_structure(partner, lon_lat(partner))

    def services() -> Iterator[dict[str, Any]]:
        for partner in iter_partners_for_export(session):
            position = lon_lat(partner)
            for service in partner.services:
                yield export_service(partner, service, position, names)

    arrays = {"structures": structures, "services": services}
    write_json_object(out, _header(generated_at), arrays)
