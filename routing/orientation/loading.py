"""Read side: candidate partners for a right around a place, with a spatial pre-filter.

Two index-backed look-ups give the candidates:

* the partners serving the commune through a declared area (commune, EPCI, département:
  the ``served_commune`` rows), whatever their distance — a CAF office far away is still
  the CAF of the département; the nearest ``SERVED_LIMIT`` of them, plus every deciding
  office;
* the ``NEAREST_LIMIT`` nearest partners offering the right within ``MAX_RADIUS_M``
  (bounding boxes of growing size read from the spatial index of geodata.spatial):
  partners open to everybody (France services) and the neighbours that do not serve the
  commune (kept for the "nothing else exists" fallback).

Details (service, areas, closures) are then read for those few ids only, with Core
statements built once (this is the hot read path of the application).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import CompoundSelect, Exists, Select, bindparam, exists, literal, select, union_all
from sqlalchemy.orm import Session

from directory.hours import Closure as HoursClosure
from directory.hours import InvalidClosure
from directory.models import Closure, Partner, ServedCommune, Service, ServiceArea
from geodata import spatial
from geodata.distance import haversine_m
from geodata.models import Commune
from geodata.territories import TerritoryLevel
from routing.orientation.answer import ResolvedPlace
from routing.orientation.areas import area_labels
from routing.orientation.candidates import AreaMatch, Candidate, Travel
from routing.orientation.request import LonLat

NEAREST_LIMIT = 8
SERVED_LIMIT = 12
MAX_RADIUS_M = 100_000.0
NEAREST_RADII_M = (10_000.0, 25_000.0, 50_000.0, MAX_RADIUS_M)


@dataclass(frozen=True)
class PartnerRow:
    """What the database says of a partner offering the right (before travel times)."""

    partner_id: int
    name: str
    kind: str
    help_level: str
    publics: tuple[str, ...]
    area_match: AreaMatch
    area_label: str
    address: str
    location: LonLat | None
    departement_code: str
    insee_code: str | None
    opening_hours: str | None
    closures: tuple[HoursClosure, ...]
    appointment: str
    accessibility: str
    languages: tuple[str, ...]
    phone: str | None
    website: str | None
    is_location_doubtful: bool
    is_demo: bool
    verified_at: date | None = None
    source_date: date | None = None

    def candidate(self, travel: Travel | None, is_current: bool = True) -> Candidate:
        return Candidate(
            partner_id=self.partner_id,
            name=self.name,
            kind=self.kind,
            help_level=self.help_level,
            area_match=self.area_match,
            area_label=self.area_label,
            address=self.address,
            location=self.location,
            travel=travel,
            departement_code=self.departement_code,
            insee_code=self.insee_code,
            opening_hours=self.opening_hours,
            closures=self.closures,
            appointment=self.appointment,
            accessibility=self.accessibility,
            languages=self.languages,
            publics=self.publics,
            phone=self.phone,
            website=self.website,
            is_location_doubtful=self.is_location_doubtful,
            is_demo=self.is_demo,
            verified_at=self.verified_at,
            is_current=is_current,
        )


_SERVED_OFFERING = (
    select(
        ServedCommune.partner_id,
        Service.help_level,
        *spatial.lon_lat_of(Partner.location),
        literal(1).label("is_served"),
    )
    .join(Service, Service.partner_id == ServedCommune.partner_id)
    .join(Partner, Partner.id == ServedCommune.partner_id)
    .where(ServedCommune.insee_code == bindparam("insee"), Service.right_slug == bindparam("right"))
)


def _declares(level: TerritoryLevel, code_parameter: str | None = None) -> Exists:
    """The partner declares an area of this level (with the code given as a parameter)."""
    condition = (ServiceArea.partner_id == Partner.id) & (ServiceArea.level == level.value)
    if code_parameter is not None:
        condition &= ServiceArea.code == bindparam(code_parameter)
    return exists().where(condition)


def _details_statement() -> Select[Any]:
    lon, lat = spatial.lon_lat_of(Partner.location)
    return (
        select(
            Partner.id,
            Partner.name,
            Partner.kind,
            Partner.street,
            Partner.address_complement,
            Partner.postcode,
            Partner.city,
            Partner.insee_code,
            lon.label("lon"),
            lat.label("lat"),
            Partner.is_location_doubtful,
            Partner.phone,
            Partner.website,
            Partner.opening_hours,
            Partner.appointment,
            Partner.accessibility,
            Partner.languages,
            Partner.is_demo,
            Partner.verified_at,
            Partner.source_date,
            Service.help_level,
            Service.publics,
            Commune.departement_code,
            ServedCommune.partner_id.label("served_id"),
            _declares(TerritoryLevel.COMMUNE, "insee").label("serves_commune"),
            _declares(TerritoryLevel.EPCI, "epci").label("serves_epci"),
            _declares(TerritoryLevel.DEPARTEMENT, "departement").label("serves_departement"),
            _declares(TerritoryLevel.FRANCE).label("serves_france"),
            exists()
            .where(Closure.partner_id == Partner.id, Closure.ends_on >= bindparam("today"))
            .label("has_closure"),
        )
        .join(Service, Service.partner_id == Partner.id)
        .outerjoin(Commune, Commune.insee_code == Partner.insee_code)
        .outerjoin(
            ServedCommune,
            (ServedCommune.partner_id == Partner.id)
            & (ServedCommune.insee_code == bindparam("insee")),
        )
        .where(
            Partner.id.in_(bindparam("ids", expanding=True)),
            Service.right_slug == bindparam("right"),
        )
    )


# Built once: SQLAlchemy then reuses their cache keys and compiled forms (hot read path).
_DETAILS = _details_statement()
_CLOSURES = (
    select(
        Closure.partner_id,
        Closure.starts_on,
        Closure.ends_on,
        Closure.reason,
        Closure.replacement_hours,
    )
    .where(
        Closure.partner_id.in_(bindparam("ids", expanding=True)),
        Closure.ends_on >= bindparam("today"),
    )
    .order_by(Closure.starts_on, Closure.id)
)


def _offering_in_box(
    session: Session, place: ResolvedPlace, right_slug: str, radius_m: float
) -> Select[Any]:
    """Partners offering the right in the box around the circle (from the spatial index)."""
    box = spatial.intersects_bbox(
        session, Partner.location, *spatial.bbox_around(place.lon, place.lat, radius_m)
    )
    return (
        select(
            Partner.id,
            Service.help_level,
            *spatial.lon_lat_of(Partner.location),
            literal(0).label("is_served"),
        )
        .join(Service, Service.partner_id == Partner.id)
        .where(Service.right_slug == bindparam("right"), box)
    )


def _measured(place: ResolvedPlace, rows: Iterable[Any]) -> list[tuple[float, int, str]]:
    """(metres, partner id, help level), nearest first; haversine (error < 0.5 %)."""
    return sorted(
        (
            math.inf if row[2] is None else haversine_m(place.lon, place.lat, row[2], row[3]),
            int(row[0]),
            row[1],
        )
        for row in rows
    )


def list_candidate_ids(session: Session, place: ResolvedPlace, right_slug: str) -> list[int]:
    """Ids of partners offering the right that serve the commune or are near the place.

    * The ``NEAREST_LIMIT`` nearest: boxes of growing size are read from the spatial index
      until one holds enough partners within its radius; measuring the few rows here costs
      far less than a geodesic distance per row in SQL. Exact up to ``MAX_RADIUS_M``.
    * Those serving the commune through a declared area, at any distance: a département
      or a large EPCI can hold many, so the ``SERVED_LIMIT`` nearest are kept, plus every
      deciding office (``instruction``), which is always shown for the right. They come
      with the first box, in the same round trip.
    """
    parameters = {"insee": place.insee_code, "right": right_slug}
    served: list[tuple[float, int, str]] = []
    near: list[tuple[float, int, str]] = []
    for step, radius_m in enumerate(NEAREST_RADII_M):
        query: Select[Any] | CompoundSelect[Any] = _offering_in_box(
            session, place, right_slug, radius_m
        )
        if step == 0:
            query = union_all(query, _SERVED_OFFERING)
        rows = session.connection().execute(query, parameters).all()
        if step == 0:
            served = _measured(place, [row for row in rows if row[4]])
        in_box = _measured(place, [row for row in rows if not row[4]])
        near = [item for item in in_box if item[0] <= radius_m]
        if len(near) >= NEAREST_LIMIT:
            break
    deciding = sorted(pid for _distance, pid, level in served if level == "instruction")
    ids = [pid for _distance, pid, _level in near[:NEAREST_LIMIT]]
    ids += [pid for _distance, pid, _level in served[:SERVED_LIMIT]] + deciding
    return list(dict.fromkeys(ids))


def load_partner_rows(
    session: Session,
    place: ResolvedPlace,
    right_slug: str,
    partner_ids: Sequence[int],
    today: date,
    excluded_kinds: Iterable[str] = (),
) -> list[PartnerRow]:
    """Details of the given partners for the right, in the given order.

    Partners that do not serve the commune are only kept when none of the others does (the
    rule of :func:`routing.orientation.ranking.keep_competent`, applied early to spare the
    work of describing them).
    """
    if not partner_ids:
        return []
    excluded = set(excluded_kinds)
    connection = session.connection()
    parameters = {
        "ids": list(partner_ids),
        "right": right_slug,
        "insee": place.insee_code,
        "epci": place.epci_siren or "",
        "departement": place.departement_code,
        "today": today,
    }
    rows = {
        row.id: row for row in connection.execute(_DETAILS, parameters) if row.kind not in excluded
    }
    ids = [partner_id for partner_id in partner_ids if partner_id in rows]
    matches = {pid: _area_match(rows[pid]) for pid in ids}
    if any(match is not AreaMatch.OUTSIDE for match in matches.values()):
        ids = [pid for pid in ids if matches[pid] is not AreaMatch.OUTSIDE]
        matches = {pid: matches[pid] for pid in ids}
    closures = _closures(session, [pid for pid in ids if rows[pid].has_closure], today)
    labels = area_labels(session, place, matches)
    result = []
    for partner_id in ids:
        row = rows[partner_id]
        location = None if row.lon is None else (float(row.lon), float(row.lat))
        address = ", ".join(
            part
            for part in (
                row.street,
                row.address_complement,
                " ".join(p for p in (row.postcode, row.city) if p),
            )
            if part
        )
        result.append(
            PartnerRow(
                partner_id=partner_id,
                name=row.name,
                kind=row.kind,
                help_level=row.help_level,
                publics=tuple(p for p in (row.publics or "").split("|") if p),
                area_match=matches[partner_id],
                area_label=labels[partner_id],
                address=address,
                location=location,
                departement_code=row.departement_code or place.departement_code,
                insee_code=row.insee_code,
                opening_hours=row.opening_hours,
                closures=closures.get(partner_id, ()),
                appointment=row.appointment,
                accessibility=row.accessibility,
                languages=tuple(code for code in (row.languages or "fr").split(",") if code),
                phone=row.phone,
                website=row.website,
                is_location_doubtful=bool(row.is_location_doubtful),
                is_demo=bool(row.is_demo),
                verified_at=row.verified_at,
                source_date=row.source_date,
            )
        )
    return result


def _closures(
    session: Session, ids: Sequence[int], today: date
) -> dict[int, tuple[HoursClosure, ...]]:
    closures: dict[int, list[HoursClosure]] = {}
    if not ids:
        return {}
    parameters = {"ids": list(ids), "today": today}
    for closure in session.connection().execute(_CLOSURES, parameters):
        try:
            item = HoursClosure(
                closure.starts_on, closure.ends_on, closure.reason, closure.replacement_hours
            )
        except InvalidClosure:
            continue  # a broken closure must not hide the partner; the back office reports it
        closures.setdefault(closure.partner_id, []).append(item)
    return {partner_id: tuple(items) for partner_id, items in closures.items()}


def _area_match(row: Any) -> AreaMatch:
    """The narrowest declared area covering the commune (flags read with the details)."""
    if row.serves_commune:
        return AreaMatch.COMMUNE
    if row.serves_epci:
        return AreaMatch.EPCI
    if row.serves_departement:
        return AreaMatch.DEPARTEMENT
    if row.serves_france:
        return AreaMatch.FRANCE
    return AreaMatch.OTHER if row.served_id is not None else AreaMatch.OUTSIDE
