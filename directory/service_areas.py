"""A partner's zone d'intervention, resolved to the communes it serves."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import CompoundSelect, Select, delete, exists, func, insert, or_, select, union
from sqlalchemy.orm import Session

from directory.models import Partner, ServedCommune, ServiceArea
from geodata.models import Commune
from geodata.territories import TerritoryIndex, TerritoryLevel

INSERT_BATCH = 5000


def resolve_served_communes(session: Session, partners: Partner | Sequence[Partner]) -> int:
    """Rewrite the served-commune rows of these partners from their declared areas.

    Returns the number of rows written. Unknown codes raise ``UnknownTerritory``. The rows
    are written by the database itself (``INSERT … SELECT`` from the declared areas and
    the communes): a national import writes millions of them, which row-by-row inserts
    from Python made the slowest part of the import.
    """
    if isinstance(partners, Partner):
        partners = [partners]
    if not partners:
        return 0
    session.flush()
    territories = TerritoryIndex.load(session)
    for partner in partners:
        for area in partner.service_areas:  # raises for an unknown territory
            territories.member_insee_codes(TerritoryLevel(area.level), area.code)
    ids = [partner.id for partner in partners]
    written = 0
    for start in range(0, len(ids), INSERT_BATCH):
        batch = ids[start : start + INSERT_BATCH]
        session.execute(
            delete(ServedCommune).where(ServedCommune.partner_id.in_(batch)),
            execution_options={"synchronize_session": False},
        )
        session.execute(
            insert(ServedCommune).from_select(["partner_id", "insee_code"], _served_rows(batch)),
            execution_options={"synchronize_session": False},
        )
        counted = select(func.count()).where(ServedCommune.partner_id.in_(batch))
        written += int(session.scalar(counted) or 0)  # rowcount is -1 on psycopg here
    return written


def _served_rows(partner_ids: Sequence[int]) -> CompoundSelect[Any]:
    """(partner id, INSEE code) of every commune inside the partners' declared areas."""

    def members(level: TerritoryLevel, column: Any) -> Select[Any]:
        return (
            select(ServiceArea.partner_id, Commune.insee_code)
            .join(Commune, column == ServiceArea.code)
            .where(ServiceArea.partner_id.in_(partner_ids), ServiceArea.level == level.value)
        )

    return union(
        members(TerritoryLevel.COMMUNE, Commune.insee_code),
        members(TerritoryLevel.EPCI, Commune.epci_siren),
        members(TerritoryLevel.DEPARTEMENT, Commune.departement_code),
    )


def is_commune_served(session: Session, partner_id: int, insee_code: str) -> bool:
    """Does the partner serve this commune? Two primary-key/index look-ups."""
    query = select(
        or_(
            exists().where(
                ServedCommune.partner_id == partner_id, ServedCommune.insee_code == insee_code
            ),
            exists().where(
                ServiceArea.partner_id == partner_id, ServiceArea.level == TerritoryLevel.FRANCE
            ),
        )
    )
    return bool(session.scalar(query))


def list_partner_ids_serving(session: Session, insee_code: str) -> set[int]:
    served = select(ServedCommune.partner_id).where(ServedCommune.insee_code == insee_code)
    national = select(ServiceArea.partner_id).where(ServiceArea.level == TerritoryLevel.FRANCE)
    return set(session.scalars(served.union(national)))
