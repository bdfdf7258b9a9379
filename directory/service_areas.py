"""A partner's zone d'intervention, resolved to the communes it serves."""

from __future__ import annotations

from sqlalchemy import delete, exists, insert, or_, select
from sqlalchemy.orm import Session

from directory.models import Partner, ServedCommune, ServiceArea
from geodata.territories import TerritoryLevel, list_member_insee_codes


def resolve_served_communes(session: Session, partner: Partner) -> int:
    """Rewrite the partner's served-commune rows from its declared areas; return their count."""
    session.flush()
    session.execute(delete(ServedCommune).where(ServedCommune.partner_id == partner.id))
    codes: set[str] = set()
    for area in partner.service_areas:
        codes.update(list_member_insee_codes(session, TerritoryLevel(area.level), area.code))
    if codes:
        session.execute(
            insert(ServedCommune),
            [{"partner_id": partner.id, "insee_code": code} for code in sorted(codes)],
        )
    return len(codes)


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
