"""A partner's zone d'intervention, resolved to the communes it serves."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, exists, insert, or_, select
from sqlalchemy.orm import Session

from directory.models import Partner, ServedCommune, ServiceArea
from geodata.territories import TerritoryIndex, TerritoryLevel

INSERT_BATCH = 5000


def resolve_served_communes(session: Session, partners: Partner | Sequence[Partner]) -> int:
    """Rewrite the served-commune rows of these partners from their declared areas.

    Returns the number of rows written. Unknown codes raise ``UnknownTerritory``.
    """
    if isinstance(partners, Partner):
        partners = [partners]
    if not partners:
        return 0
    session.flush()
    territories = TerritoryIndex.load(session)
    ids = [partner.id for partner in partners]
    for start in range(0, len(ids), INSERT_BATCH):
        session.execute(
            delete(ServedCommune).where(
                ServedCommune.partner_id.in_(ids[start : start + INSERT_BATCH])
            ),
            execution_options={"synchronize_session": False},
        )
    rows = [
        {"partner_id": partner.id, "insee_code": code}
        for partner in partners
        for code in sorted(
            {
                code
                for area in partner.service_areas
                for code in territories.member_insee_codes(TerritoryLevel(area.level), area.code)
            }
        )
    ]
    for start in range(0, len(rows), INSERT_BATCH):
        session.execute(insert(ServedCommune), rows[start : start + INSERT_BATCH])
    return len(rows)


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
