"""Read side of the administrative divisions."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from geodata.errors import CommuneNotFound
from geodata.models import Commune


def count_communes(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Commune)) or 0)


def get_commune(session: Session, insee_code: str) -> Commune:
    commune = session.get(Commune, insee_code)
    if commune is None:
        raise CommuneNotFound(f"Aucune commune n'a le code INSEE « {insee_code} ».")
    return commune
