"""Asking for an orientation in scenario tests: one commune, some rights, a frozen instant."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from routing.orientation import OrientationRequest, PlaceQuery, Profile, RightOrientation, orient

PARIS = ZoneInfo("Europe/Paris")
TUESDAY_10H = datetime(2026, 12, 1, 10, 0, tzinfo=PARIS)


def ask(
    session: Session,
    insee_code: str,
    *rights: str,
    profile: Profile | None = None,
    at: datetime = TUESDAY_10H,
) -> list[RightOrientation]:
    request = OrientationRequest(rights, PlaceQuery(insee_code=insee_code), profile or Profile())
    return list(orient(session, request, at).rights)


def texts(partner: object) -> list[str]:
    return [reason.text for reason in partner.reasons]  # type: ignore[attr-defined]
