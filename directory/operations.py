"""Use cases that write partners: create, update, delete — and keep the search index in step.

Operations take a `Session` and plain typed values, check the directory's rules (raising
`InvalidPartner` with French messages per field), ``flush()`` but never commit: the caller
(view, command, import) commits once. The search index is updated *after* that commit (see
`directory.search.sync`): a transaction that fails leaves the index untouched.
"""

from __future__ import annotations

import math

from geoalchemy2.shape import from_shape, to_shape
from shapely.geometry import Point
from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.errors import InvalidPartner
from directory.models import Partner, Service, ServiceArea
from directory.partner_rules import PartnerReference, partner_value_errors
from directory.queries import get_partner
from directory.search.protocol import SearchIndex
from directory.search.sync import stage_index_changes
from directory.service_areas import resolve_served_communes
from directory.values import SCALAR_FIELDS, PartnerValues, ServiceValues
from geodata.models import SRID
from geodata.types import utc_now

LOCATION_TOLERANCE_DEG = 1e-7
"""Positions closer than this (about a centimetre) are the same position."""


def create_partner(session: Session, index: SearchIndex, values: PartnerValues) -> Partner:
    check_partner_values(session, values)
    partner = Partner(services=[], service_areas=[], closures=[])
    session.add(partner)
    _apply_and_resolve(session, partner, values)
    stage_index_changes(session, index, [partner.id])
    return partner


def update_partner(
    session: Session, index: SearchIndex, partner_id: int, values: PartnerValues
) -> Partner:
    """Replace every field of the partner (raises `PartnerNotFound`, `InvalidPartner`)."""
    partner = get_partner(session, partner_id)
    check_partner_values(session, values, partner_id=partner_id)
    _apply_and_resolve(session, partner, values)
    partner.updated_at = utc_now()  # also when only services changed: the index relies on it
    session.flush()
    stage_index_changes(session, index, [partner.id])
    return partner


def delete_partner(session: Session, index: SearchIndex, partner_id: int) -> None:
    partner = get_partner(session, partner_id)
    session.delete(partner)
    session.flush()
    stage_index_changes(session, index, [partner_id])


def _apply_and_resolve(session: Session, partner: Partner, values: PartnerValues) -> None:
    if apply_partner_values(partner, values):
        resolve_served_communes(session, partner)
    session.flush()


def apply_partner_values(partner: Partner, values: PartnerValues) -> bool:
    """Copy the values, as stored, onto the partner; True when its service areas changed.

    The caller then resolves the served communes (`resolve_served_communes`), for this
    partner alone or for a whole import at once.
    """
    values = values.normalised()
    for name in SCALAR_FIELDS:
        setattr(partner, name, getattr(values, name))
    partner.location = (
        None if values.location is None else from_shape(Point(*values.location), srid=SRID)
    )
    existing = {service.right_slug: service for service in partner.services}
    partner.services = [
        _service(existing.get(wanted.right_slug), wanted) for wanted in values.services
    ]
    if _same_areas(partner, values):
        return False
    current = {(area.level, area.code): area for area in partner.service_areas}
    partner.service_areas = [
        current.get(area) or ServiceArea(level=area[0], code=area[1]) for area in values.areas
    ]
    return True


def partner_values(partner: Partner) -> PartnerValues:
    """The partner as values (the inverse of `apply_partner_values`): what an edit starts from."""
    point = to_shape(partner.location) if partner.location is not None else None
    services = tuple(
        ServiceValues(
            right_slug=s.right_slug,
            help_level=s.help_level,
            description=s.description,
            publics=tuple(s.public_list),
            source=s.source,
        )
        for s in partner.services
    )
    return PartnerValues(
        **{name: getattr(partner, name) for name in SCALAR_FIELDS},
        location=None if point is None else (point.x, point.y),
        services=services,
        areas=tuple(sorted((a.level, a.code) for a in partner.service_areas)),
    )


def has_same_values(partner: Partner, values: PartnerValues) -> bool:
    """Does the partner already hold these values (an import then leaves it untouched)?"""
    values = values.normalised()
    if any(getattr(partner, name) != getattr(values, name) for name in SCALAR_FIELDS):
        return False
    if partner.location is None or values.location is None:
        if partner.location is not None or values.location is not None:
            return False
    else:
        point = to_shape(partner.location)
        if math.dist((point.x, point.y), values.location) > LOCATION_TOLERANCE_DEG:
            return False
    services = sorted(
        (s.right_slug, s.help_level, s.description, tuple(s.public_list), s.source)
        for s in partner.services
    )
    wanted = sorted(
        (s.right_slug, s.help_level, s.description, s.publics, s.source) for s in values.services
    )
    return services == wanted and _same_areas(partner, values)


def _same_areas(partner: Partner, values: PartnerValues) -> bool:
    return sorted((a.level, a.code) for a in partner.service_areas) == sorted(values.areas)


def _service(service: Service | None, wanted: ServiceValues) -> Service:
    service = service or Service(right_slug=wanted.right_slug)
    service.help_level = wanted.help_level
    service.description = wanted.description
    service.publics = "|".join(wanted.publics)
    service.source = wanted.source
    return service


def check_partner_values(
    session: Session, values: PartnerValues, *, partner_id: int | None = None
) -> None:
    """Raise `InvalidPartner` listing every broken rule, per field, in French.

    ``partner_id`` is the partner that these values replace (None: a new partner).
    """
    errors = partner_value_errors(values, PartnerReference.load(session))
    if values.source_id:
        query = select(Partner.id).where(
            Partner.source == values.source.strip(), Partner.source_id == values.source_id
        )
        other = session.scalar(query)
        if other is not None and other != partner_id:
            errors.setdefault("source_id", []).append(
                f"La fiche n° {other} a déjà cet identifiant pour cette source."
            )
    if errors:
        raise InvalidPartner("La fiche du partenaire contient des erreurs.", errors)
