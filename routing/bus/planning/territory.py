"""What coverage is computed on: the communes of a territory and the permanent partners.

A commune is represented by its town hall (else its centre): the place most residents know
and where a bus usually parks. A permanent partner is a located partner, not a bus, that
gives the chosen help level (``accompagnement`` by default) for the right (or any right);
France services listed as itinerant (« Bus_équivalent », « Itinérante » in the ANCT list)
are left out: they are buses themselves. Made-up partners (``is_demo``) are left out
unless asked.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from directory.imports.france_services import FORMAT_DESCRIPTIONS
from directory.models import Partner, Right, ServedCommune, Service, ServiceArea
from geodata import spatial
from geodata.models import Commune, Departement, Epci
from geodata.territories import TerritoryLevel
from routing.errors import InvalidCoverageRequest

DEFAULT_HELP_LEVELS = ("accompagnement",)
ITINERANT_DESCRIPTIONS = (FORMAT_DESCRIPTIONS["Bus_équivalent"], FORMAT_DESCRIPTIONS["Itinérante"])
MAX_TERRITORY_COMMUNES = 5_000


@dataclass(frozen=True)
class TerritoryRequest:
    """EPCI (SIREN), départements and/or INSEE codes: their communes together."""

    epci_sirens: tuple[str, ...] = ()
    departement_codes: tuple[str, ...] = ()
    insee_codes: tuple[str, ...] = ()

    def is_empty(self) -> bool:
        return not (self.epci_sirens or self.departement_codes or self.insee_codes)


@dataclass(frozen=True)
class CommunePoint:
    insee_code: str
    name: str
    population: int
    departement_code: str
    lon: float
    lat: float


@dataclass(frozen=True)
class PermanentPartner:
    partner_id: int
    name: str
    kind: str
    lon: float
    lat: float
    serves_everyone: bool
    """Its zone d'intervention is all of France (France services): no served-commune check."""


@dataclass(frozen=True)
class PartnerSet:
    """The permanent partners, and which of the territory's communes each local one serves."""

    partners: tuple[PermanentPartner, ...]
    serving: dict[str, tuple[int, ...]]
    """INSEE code → indexes (in ``partners``) of the non-national partners serving it."""

    @property
    def national_indexes(self) -> tuple[int, ...]:
        return tuple(i for i, partner in enumerate(self.partners) if partner.serves_everyone)


def list_territory_communes(session: Session, territory: TerritoryRequest) -> list[CommunePoint]:
    """The communes of the territory with a point, ordered by INSEE code."""
    if territory.is_empty():
        message = "Indiquez un territoire : epci, departement ou insee_code."
        raise InvalidCoverageRequest(message, {"territory": [message]})
    _check_known(session, territory)
    hall_lon, hall_lat = spatial.lon_lat_of(Commune.town_hall)
    centre_lon, centre_lat = spatial.lon_lat_of(Commune.centre)
    conditions = []
    if territory.epci_sirens:
        conditions.append(Commune.epci_siren.in_(territory.epci_sirens))
    if territory.departement_codes:
        conditions.append(Commune.departement_code.in_(territory.departement_codes))
    if territory.insee_codes:
        conditions.append(Commune.insee_code.in_(territory.insee_codes))
    query = (
        select(
            Commune.insee_code,
            Commune.name,
            Commune.population,
            Commune.departement_code,
            hall_lon,
            hall_lat,
            centre_lon,
            centre_lat,
        )
        .where(or_(*conditions))
        .order_by(Commune.insee_code)
        .limit(MAX_TERRITORY_COMMUNES + 1)
    )
    communes = []
    for code, name, population, departement, lon, lat, c_lon, c_lat in session.execute(query):
        if lon is None:
            lon, lat = c_lon, c_lat
        if lon is None:
            continue
        communes.append(
            CommunePoint(code, name, int(population or 0), departement, float(lon), float(lat))
        )
    if len(communes) > MAX_TERRITORY_COMMUNES:
        message = f"Territoire trop grand : {MAX_TERRITORY_COMMUNES} communes au plus."
        raise InvalidCoverageRequest(message, {"territory": [message]})
    return communes


def _check_known(session: Session, territory: TerritoryRequest) -> None:
    errors: dict[str, list[str]] = {}
    for field, key, codes in (
        ("epci", Epci.siren, territory.epci_sirens),
        ("departement", Departement.code, territory.departement_codes),
        ("insee_code", Commune.insee_code, territory.insee_codes),
    ):
        if not codes:
            continue
        known = set(session.scalars(select(key).where(key.in_(codes))))
        unknown = [code for code in codes if code not in known]
        if unknown:
            errors[field] = [f"Inconnu : {', '.join(unknown)}."]
    if errors:
        raise InvalidCoverageRequest("Territoire inconnu : voir « errors ».", errors)


def check_right(session: Session, right: str | None) -> None:
    if right is not None and session.get(Right, right) is None:
        message = f"Droit inconnu : « {right} »."
        raise InvalidCoverageRequest(message, {"right": [message]})


def list_permanent_partners(
    session: Session,
    communes: Sequence[CommunePoint],
    *,
    right: str | None,
    help_levels: Collection[str] = DEFAULT_HELP_LEVELS,
    include_demo: bool = False,
) -> PartnerSet:
    """Permanent partners giving that help for the right (any right when None)."""
    check_right(session, right)
    lon, lat = spatial.lon_lat_of(Partner.location)
    offers = select(Service.partner_id).where(Service.help_level.in_(list(help_levels)))
    if right is not None:
        offers = offers.where(Service.right_slug == right)
    query = select(Partner.id, Partner.name, Partner.kind, lon, lat).where(
        Partner.id.in_(offers),
        Partner.location.is_not(None),
        Partner.kind != "bus",
        *[
            or_(Partner.description.is_(None), ~Partner.description.startswith(text))
            for text in ITINERANT_DESCRIPTIONS
        ],
    )
    if not include_demo:
        query = query.where(Partner.is_demo.is_(False))
    rows = session.execute(query.order_by(Partner.id)).all()
    national = set(
        session.scalars(
            select(ServiceArea.partner_id).where(ServiceArea.level == TerritoryLevel.FRANCE)
        )
    )
    partners = tuple(
        PermanentPartner(pid, name, kind, float(x), float(y), pid in national)
        for pid, name, kind, x, y in rows
    )
    local_ids = [p.partner_id for p in partners if not p.serves_everyone]
    codes = [c.insee_code for c in communes]
    serving: dict[str, set[int]] = {}
    chunk = 900
    for start in range(0, len(local_ids), chunk):
        served = select(ServedCommune.insee_code, ServedCommune.partner_id).where(
            ServedCommune.partner_id.in_(local_ids[start : start + chunk]),
            ServedCommune.insee_code.in_(codes),
        )
        for insee_code, partner_id in session.execute(served):
            serving.setdefault(insee_code, set()).add(partner_id)
    index_of = {partner.partner_id: index for index, partner in enumerate(partners)}
    return PartnerSet(
        partners,
        {code: tuple(sorted(index_of[pid] for pid in ids)) for code, ids in serving.items()},
    )
