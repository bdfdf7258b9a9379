"""Keeping a partner true between two edits of its whole record: dated closures, « these
details are still right » (``verified_at``), a corrected position on the map, and two
records of one place merged into one.

Like `directory.operations`, these flush and never commit, touch ``Partner.updated_at``
(the caches and the search index rely on it) and stage the partner for the index.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date

from geoalchemy2.shape import from_shape
from shapely.geometry import Point
from sqlalchemy import update
from sqlalchemy.orm import Session

from directory.errors import InvalidPartner
from directory.hours import Closure
from directory.models import Closure as ClosureRow
from directory.models import ErrorReport, Partner
from directory.queries import get_partner
from directory.search.protocol import SearchIndex
from directory.search.sync import stage_index_changes
from directory.service_areas import resolve_served_communes
from geodata.models import SRID
from geodata.types import utc_now

MAX_CLOSURE_REASON = 300
"""Longest reason of a closure (the column's size)."""


def replace_closures(
    session: Session, index: SearchIndex, partner_id: int, closures: Sequence[Closure]
) -> Partner:
    """The partner's dated closures become ``closures`` (already checked by `Closure`)."""
    partner = get_partner(session, partner_id)
    errors = [
        f"Fermeture n° {number} : le motif ne doit pas dépasser {MAX_CLOSURE_REASON} caractères."
        for number, closure in enumerate(closures, start=1)
        if len(closure.reason.strip()) > MAX_CLOSURE_REASON
    ]
    if errors:
        raise InvalidPartner("Les fermetures contiennent des erreurs.", {"closures": errors})
    partner.closures = [
        ClosureRow(
            starts_on=c.starts_on,
            ends_on=c.ends_on,
            reason=c.reason.strip(),
            replacement_hours=c.replacement_hours,
        )
        for c in sorted(closures, key=lambda c: (c.starts_on, c.ends_on))
    ]
    return _touched(session, index, partner)


def confirm_partner(session: Session, index: SearchIndex, partner_id: int, on: date) -> Partner:
    """Someone checked the record on ``on``: every field is still right."""
    partner = get_partner(session, partner_id)
    partner.verified_at = on
    return _touched(session, index, partner)


def move_partner(
    session: Session,
    index: SearchIndex,
    partner_id: int,
    location: tuple[float, float],
    note: str,
) -> Partner:
    """A person placed the partner at ``location`` (lon, lat): the position is no longer
    doubtful, and ``note`` (who, when, from where) replaces the doubt's explanation."""
    lon, lat = location
    if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
        raise InvalidPartner(
            "Position invalide.",
            {"location": ["Position invalide : donnez (longitude, latitude) en degrés."]},
        )
    partner = get_partner(session, partner_id)
    partner.location = from_shape(Point(lon, lat), srid=SRID)
    partner.is_location_doubtful = False
    partner.location_note = note.strip() or None
    return _touched(session, index, partner)


def _touched(session: Session, index: SearchIndex, partner: Partner) -> Partner:
    partner.updated_at = utc_now()
    session.flush()
    stage_index_changes(session, index, [partner.id])
    return partner


def merge_partners(session: Session, index: SearchIndex, keep_id: int, remove_id: int) -> Partner:
    """One place listed twice becomes one partner: ``keep_id`` keeps its own values, gains
    the services (rights it did not offer), service areas and closures of ``remove_id``,
    and the public error reports on it; then ``remove_id`` is deleted."""
    if keep_id == remove_id:
        raise InvalidPartner(
            "Une fiche ne se fusionne pas avec elle-même.", {"id": ["Même fiche."]}
        )
    kept, removed = get_partner(session, keep_id), get_partner(session, remove_id)
    offered = {service.right_slug for service in kept.services}
    for service in list(removed.services):
        if service.right_slug not in offered:
            removed.services.remove(service)
            kept.services.append(service)
    areas = {(area.level, area.code) for area in kept.service_areas}
    moved_areas = False
    for area in list(removed.service_areas):
        if (area.level, area.code) not in areas:
            removed.service_areas.remove(area)
            kept.service_areas.append(area)
            moved_areas = True
    if not kept.closures:
        for closure in list(removed.closures):
            removed.closures.remove(closure)
            kept.closures.append(closure)
    session.execute(
        update(ErrorReport).where(ErrorReport.partner_id == remove_id).values(partner_id=keep_id)
    )
    session.flush()
    session.delete(removed)
    session.flush()
    if moved_areas:
        resolve_served_communes(session, kept)
    stage_index_changes(session, index, [remove_id])
    return _touched(session, index, kept)
