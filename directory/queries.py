"""Read side of the directory."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from directory.errors import PartnerNotFound, RightNotFound
from directory.models import Partner, Right


def count_partners(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Partner)) or 0)


def rights_fingerprint(session: Session) -> tuple[int, str]:
    """(number of rights, latest change of the catalogue in the database): changes with an
    import and with an edit made in the back office."""
    row = session.execute(select(func.count(Right.slug), func.max(Right.updated_at))).one()
    return (int(row[0]), str(row[1]))


def count_partners_by_kind(session: Session) -> dict[str, int]:
    rows = session.execute(select(Partner.kind, func.count()).group_by(Partner.kind))
    return {kind: int(count) for kind, count in rows}


def get_partner(session: Session, partner_id: int) -> Partner:
    partner = session.get(
        Partner,
        partner_id,
        options=[
            selectinload(Partner.services),
            selectinload(Partner.service_areas),
            selectinload(Partner.closures),
        ],
    )
    if partner is None:
        raise PartnerNotFound(f"Aucun partenaire n'a l'identifiant {partner_id}.")
    return partner


def list_rights(session: Session) -> list[Right]:
    return list(session.scalars(select(Right).order_by(Right.slug)))


def get_right(session: Session, slug: str) -> Right:
    right = session.get(Right, slug)
    if right is None:
        raise RightNotFound(f"Droit inconnu : « {slug} ».")
    return right
