"""What the index knows of a partner: one `PartnerDocument` per partner, read in bulk.

Documents are read with Core queries (no ORM objects): a rebuild reads 100 000 partners in
a few seconds. ``ST_X``/``ST_Y`` exist with the same meaning on SpatiaLite and PostGIS.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from directory.models import Partner, Right, Service, ServiceArea
from directory.search.thesaurus import RightTerms
from directory.vocabulary import PARTNER_KIND_LABELS
from geodata.models import Commune, Departement, Epci

BATCH_SIZE = 2_000


@dataclass(frozen=True)
class ServiceDocument:
    right_slug: str
    help_level: str
    description: str | None = None
    publics: tuple[str, ...] = ()


@dataclass(frozen=True)
class PartnerDocument:
    """The indexed view of a partner (texts, filters, position, hours)."""

    partner_id: int
    kind: str
    name: str
    updated_at: datetime
    description: str | None = None
    street: str | None = None
    address_complement: str | None = None
    postcode: str | None = None
    city: str | None = None
    insee_code: str | None = None
    commune_name: str | None = None
    departement_code: str | None = None
    departement_name: str | None = None
    epci_siren: str | None = None
    epci_name: str | None = None
    lon: float | None = None
    lat: float | None = None
    opening_hours: str | None = None
    accessibility: str = "inconnu"
    appointment: str = "inconnu"
    is_demo: bool = False
    services: tuple[ServiceDocument, ...] = ()
    verified_at: date | None = None  # when the information was last known true
    areas: tuple[tuple[str, str], ...] = ()

    @property
    def kind_text(self) -> str:
        return PARTNER_KIND_LABELS.get(self.kind, self.kind)

    @property
    def place_text(self) -> str:
        parts = (self.commune_name, self.city, self.postcode)
        return " ".join(dict.fromkeys(part for part in parts if part))

    @property
    def area_text(self) -> str:
        parts = (self.epci_name, self.departement_name, self.departement_code)
        return " ".join(part for part in parts if part)

    @property
    def address_text(self) -> str:
        return " ".join(part for part in (self.street, self.address_complement) if part)

    @property
    def body_text(self) -> str:
        parts: list[str] = [self.description or ""]
        for service in self.services:
            parts.append(service.description or "")
            parts.extend(service.publics)
        return " ".join(dict.fromkeys(part for part in parts if part))

    def texts(self) -> dict[str, str]:
        """The parts of the text, keyed like `directory.search.protocol.TEXT_WEIGHTS`."""
        return {
            "name": self.name,
            "kind": self.kind_text,
            "place": self.place_text,
            "body": self.body_text,
            "area": self.area_text,
            "address": self.address_text,
        }

    @property
    def right_slugs(self) -> tuple[str, ...]:
        return tuple(service.right_slug for service in self.services)


def load_right_terms(session: Session) -> list[RightTerms]:
    rows = session.execute(select(Right.slug, Right.name, Right.short_name, Right.content))
    terms = []
    for slug, name, short_name, content in rows:
        # Former names (RMI, CMU…) are searched like aliases, never shown as the right's name.
        stored = content or {}
        aliases = (*(stored.get("aliases") or ()), *(stored.get("former_names") or ()))
        terms.append(RightTerms(slug, name, short_name, tuple(str(alias) for alias in aliases)))
    return sorted(terms, key=lambda right: right.slug)


def iter_partner_documents(
    session: Session, partner_ids: Sequence[int] | None = None, batch_size: int = BATCH_SIZE
) -> Iterator[PartnerDocument]:
    """Documents of the given partners (all partners when None), in batches of ids."""
    territories = _Territories(session)
    if partner_ids is None:
        ids = iter(session.scalars(select(Partner.id).order_by(Partner.id)).all())
    else:
        ids = iter(sorted(set(partner_ids)))
    while batch := list(islice(ids, batch_size)):
        yield from _documents(session, batch, territories)


def _documents(
    session: Session,
    ids: list[int],
    territories: _Territories,
) -> Iterator[PartnerDocument]:
    services: dict[int, list[ServiceDocument]] = defaultdict(list)
    for row in session.execute(
        select(
            Service.partner_id,
            Service.right_slug,
            Service.help_level,
            Service.description,
            Service.publics,
        )
        .where(Service.partner_id.in_(ids))
        .order_by(Service.partner_id, Service.right_slug)
    ):
        publics = tuple(value for value in (row.publics or "").split("|") if value)
        services[row.partner_id].append(
            ServiceDocument(row.right_slug, row.help_level, row.description, publics)
        )
    areas: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for partner_id, level, code in session.execute(
        select(ServiceArea.partner_id, ServiceArea.level, ServiceArea.code).where(
            ServiceArea.partner_id.in_(ids)
        )
    ):
        areas[partner_id].append((level, code))
    columns = [
        Partner.id, Partner.kind, Partner.name, Partner.updated_at, Partner.description,
        Partner.street, Partner.address_complement, Partner.postcode, Partner.city,
        Partner.insee_code, Partner.opening_hours, Partner.accessibility, Partner.appointment,
        Partner.is_demo, Partner.verified_at,
        func.ST_X(Partner.location).label("lon"), func.ST_Y(Partner.location).label("lat"),
    ]  # fmt: skip
    for row in session.execute(select(*columns).where(Partner.id.in_(ids)).order_by(Partner.id)):
        partner_services = tuple(services.get(row.id, ()))
        commune = territories.commune(row.insee_code)
        yield PartnerDocument(
            partner_id=row.id,
            kind=row.kind,
            name=row.name,
            updated_at=row.updated_at,
            description=row.description,
            street=row.street,
            address_complement=row.address_complement,
            postcode=row.postcode,
            city=row.city,
            insee_code=row.insee_code,
            commune_name=commune[0],
            departement_code=commune[1],
            departement_name=territories.departement_name(commune[1]),
            epci_siren=commune[2],
            epci_name=territories.epci_name(commune[2]),
            lon=None if row.lon is None else float(row.lon),
            lat=None if row.lat is None else float(row.lat),
            opening_hours=row.opening_hours,
            accessibility=row.accessibility,
            appointment=row.appointment,
            is_demo=bool(row.is_demo),
            services=partner_services,
            areas=tuple(sorted(areas.get(row.id, ()))),
            verified_at=row.verified_at,
        )


class _Territories:
    """Commune → (name, département, EPCI) and the names of départements and EPCI."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._communes: dict[str, tuple[str | None, str | None, str | None]] = {}
        rows = session.execute(select(Departement.code, Departement.name)).tuples()
        self._departements: dict[str, str] = dict(rows.all())
        self._epcis: dict[str, str] | None = None

    def commune(self, insee_code: str | None) -> tuple[str | None, str | None, str | None]:
        if insee_code is None:
            return None, None, None
        if not self._communes:
            rows = self._session.execute(
                select(
                    Commune.insee_code, Commune.name, Commune.departement_code, Commune.epci_siren
                )
            )
            self._communes = {code: (name, dep, epci) for code, name, dep, epci in rows}
        return self._communes.get(insee_code, (None, None, None))

    def departement_name(self, code: str | None) -> str | None:
        return None if code is None else self._departements.get(code)

    def epci_name(self, siren: str | None) -> str | None:
        if siren is None:
            return None
        if self._epcis is None:
            rows = self._session.execute(select(Epci.siren, Epci.name)).tuples()
            self._epcis = dict(rows.all())
        return self._epcis.get(siren)
