"""The directory's rules for a partner's values, the same for an edit and for an import row.

`partner_value_errors` lists every broken rule, per field, in French; the editing
operations raise `InvalidPartner` with that list (see `directory.operations`), an import
rejects the row with it (see `directory.imports.partner_sync`). The known territories and
rights are read once into a `PartnerReference`, so that an import of thousands of rows
checks them without a query per row.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.hours import parse_error
from directory.models import Right
from directory.values import PartnerValues
from directory.vocabulary import (
    ACCESSIBILITY_LABELS,
    APPOINTMENT_LABELS,
    HELP_LEVELS,
    PARTNER_KINDS,
    SERVICE_AREA_LEVELS,
)
from geodata.errors import GeodataError
from geodata.territories import TerritoryIndex, TerritoryLevel

EMAIL_ADDRESS = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_POSTCODE = re.compile(r"[0-9]{5}")
SIRET_PATTERN = re.compile(r"[0-9]{14}")
_LANGUAGES = re.compile(r"[a-z]{2,3}(,[a-z]{2,3})*")
TEXT_LIMITS = {"name": 250, "street": 250, "address_complement": 250, "city": 100,
               "phone": 40, "email": 200, "website": 300, "languages": 100, "source": 60,
               "source_id": 80, "source_licence": 120}  # fmt: skip
"""Longest text of each bounded column of a partner (PostgreSQL refuses longer ones)."""
SERVICE_TEXT_LIMIT = 300
"""Longest publics (joined by « | ») and source of a service."""

FIELD_LABELS: Mapping[str, str] = {
    "kind": "type de structure", "name": "nom", "source": "source", "location": "position",
    "siret": "SIRET",
    "street": "adresse",
    "address_complement": "complément d'adresse", "postcode": "code postal", "city": "ville",
    "insee_code": "code INSEE", "phone": "téléphone", "email": "courriel",
    "website": "site internet", "opening_hours": "horaires", "accessibility": "accessibilité",
    "languages": "langues", "appointment": "modalité d'accueil",
    "source_id": "identifiant dans la source", "source_licence": "licence de la source",
    "services": "services", "areas": "zones d'intervention",
}  # fmt: skip
"""French name of each field that a rule can refuse, for import reports."""

_Fail = Callable[[str, str], None]


def is_email_address(text: str) -> bool:
    return EMAIL_ADDRESS.fullmatch(text.strip()) is not None


_SERVICE_WORDS_TEXT = (
    "accueil contact contacts info infos information informations mairie ville commune ccas "
    "cias caf cpam msa mds pmi clic mdph cidff adil cicas secretariat secretariat direction "
    "service services social sociale franceservices france services espace maison agence "
    "antenne bureau permanence centre mediatheque bibliotheque bibli numerique emploi "
    "insertion jeunesse jeunes mission locale ml cs csc efs ordisol courrier dgs dga rh "
    "communication admin administration standard reception pole point relais tiers lieu "
    "association asso cyber cybercentre epn mjc cob bta msap sie sip sip-sie cio pij bij cij "
    "greta ce greffe act ademe conseillers pif centresocial plateforme espacejeunes poms "
    "cidf circo communaute pointinfo missionlocale animation associations mio epa utas milo "
    "tas direccte cdas sde com sec peche restaurant cma ant csi mda relaisfamilles codecom "
    "residence chambre pointcyb eref paph mli hotel douane rectorat cdad mjd spip paj lefoyer "
    "maisondeservicespublics resto cafe centre-social acceuil csocial"
)
SERVICE_WORDS = frozenset(_SERVICE_WORDS_TEXT.split())
"""Words of a local part that name a service, not a person (« accueil.mairie@… »)."""
_NAME_PART = re.compile(r"[a-zà-öø-ÿ]+(?:-[a-zà-öø-ÿ]+)*")
_VOWELS = frozenset("aeiouyàâäéèêëîïôöùûüÿ")


def is_personal_email(text: str) -> bool:
    """Does this address look like a person's (« prenom.nom@… », « p.nom@… »)?

    Such addresses are kept as published (the source may be corrected later) but never
    shown to the public. In doubt, an address is treated as personal: the local part is
    two name-like words joined by « . » or « _ », neither of which names a service
    (« accueil.csc@… », « franceservices.cazeres@… ») nor is a vowel-less acronym
    (« mlhg.muret@… »).
    """
    local, _, domain = text.strip().lower().partition("@")
    if not domain:
        return False
    parts = re.split(r"[._]", local)
    if len(parts) != 2 or not all(_NAME_PART.fullmatch(part) for part in parts):
        return False
    first, last = parts
    if first in SERVICE_WORDS or last in SERVICE_WORDS:
        return False
    if len(first) == 1:  # an initial: « j.dupont@… »
        return len(last) > 1
    return all(set(part) & _VOWELS for part in parts)


@dataclass(frozen=True)
class PartnerReference:
    """What values are checked against, read once: the territories and the known rights."""

    territories: TerritoryIndex
    right_slugs: frozenset[str]

    @classmethod
    def load(cls, session: Session) -> PartnerReference:
        rights = frozenset(session.scalars(select(Right.slug)))
        return cls(TerritoryIndex.load(session), rights)

    def has_commune(self, insee_code: str) -> bool:
        return insee_code in self.territories.communes

    def has_area(self, level: str, code: str) -> bool:
        """Does this service area exist, i.e. can its served communes be resolved?"""
        if level == TerritoryLevel.FRANCE:
            return code == "FR"
        try:
            self.territories.member_insee_codes(TerritoryLevel(level), code)
        except (GeodataError, ValueError):
            return False
        return True


def partner_value_errors(
    values: PartnerValues, reference: PartnerReference, *, require_area: bool = True
) -> dict[str, list[str]]:
    """Every broken rule, per field, in French (empty: the values are acceptable).

    An edit must give at least one service area; an import may not (a file of another
    producer does not always say where a structure works), hence ``require_area``.
    Whether another partner already has this source id is checked by the operations.
    """
    errors: dict[str, list[str]] = {}

    def fail(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if values.kind not in PARTNER_KINDS:
        fail("kind", f"Type de structure inconnu : « {values.kind} ».")
    if not values.name.strip():
        fail("name", "Le nom est obligatoire.")
    if not values.source.strip():
        fail("source", "La source des informations est obligatoire.")
    for name, limit in TEXT_LIMITS.items():
        value = getattr(values, name)
        if isinstance(value, str) and len(value.strip()) > limit:
            fail(name, f"Ce champ ne doit pas dépasser {limit} caractères.")
    if values.postcode and not _POSTCODE.fullmatch(values.postcode.strip()):
        fail("postcode", "Le code postal doit compter 5 chiffres.")
    if values.siret and not SIRET_PATTERN.fullmatch(values.siret.strip()):
        fail("siret", "Le SIRET doit compter 14 chiffres, sans espace.")
    if values.insee_code and not reference.has_commune(values.insee_code):
        fail("insee_code", f"Commune inconnue (code INSEE « {values.insee_code} »).")
    if values.location is not None:
        lon, lat = values.location
        if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180
                and -90 <= lat <= 90):  # fmt: skip
            fail("location", "Position invalide : donnez (longitude, latitude) en degrés.")
    if values.email and not is_email_address(values.email):
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
    _check_services(values, reference, fail)
    _check_areas(values, reference, fail, require_area)
    return errors


def describe_partner_errors(errors: Mapping[str, list[str]]) -> str:
    """One French line for an import report: « code postal » : Le code postal doit…"""
    return " ; ".join(
        f"« {FIELD_LABELS.get(name, name)} » : {message}"
        for name, messages in errors.items()
        for message in messages
    )


def _check_services(values: PartnerValues, reference: PartnerReference, fail: _Fail) -> None:
    seen: set[str] = set()
    for number, service in enumerate(values.services, start=1):
        if service.right_slug not in reference.right_slugs:
            fail("services", f"Service n° {number} : droit inconnu « {service.right_slug} ».")
        if service.right_slug in seen:
            fail("services", f"Service n° {number} : le droit « {service.right_slug} » est "
                             "déjà proposé par un autre service de la fiche.")  # fmt: skip
        seen.add(service.right_slug)
        if service.help_level not in HELP_LEVELS:
            fail(
                "services", f"Service n° {number} : niveau d'aide inconnu « {service.help_level} »."
            )
        publics = "|".join(p.strip() for p in service.publics if p.strip())
        for text, what in ((publics, "publics"), (service.source or "", "source")):
            if len(text) > SERVICE_TEXT_LIMIT:
                fail("services", f"Service n° {number} : {what} de plus de "
                                 f"{SERVICE_TEXT_LIMIT} caractères.")  # fmt: skip


def _check_areas(
    values: PartnerValues, reference: PartnerReference, fail: _Fail, require_area: bool
) -> None:
    if require_area and not values.areas:
        fail("areas", "Indiquez au moins une zone d'intervention (commune, EPCI, département).")
    for level, code in values.areas:
        if level not in SERVICE_AREA_LEVELS:
            fail("areas", f"Niveau de zone inconnu : « {level} ».")
        elif level == "france":
            if code != "FR":
                fail("areas", "La zone « toute la France » a pour code « FR ».")
        elif not reference.has_area(level, code):
            fail("areas", f"Zone inconnue : {level} « {code} ».")
    if len(set(values.areas)) != len(values.areas):
        fail("areas", "Une zone d'intervention est indiquée deux fois.")
