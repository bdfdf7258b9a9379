"""Asking for an orientation in scenario tests: one commune, some rights, a frozen instant."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from directory.confirmation import ConfirmationPolicy
from routing.orientation import OrientationRequest, PlaceQuery, Profile, RightOrientation, orient

PARIS = ZoneInfo("Europe/Paris")
TUESDAY_10H = datetime(2026, 12, 1, 10, 0, tzinfo=PARIS)
SCENARIO_AGE = ConfirmationPolicy(max_age_months=36)
"""The scenarios compare places of today's sources: the France services list of 2024-08
(28 months old on that Tuesday) counts as current, the Annuaire offices of 2017 do not.
The default age (24 months) is tested in test_orientation_confirmation."""


def ask(
    session: Session,
    insee_code: str,
    *rights: str,
    profile: Profile | None = None,
    at: datetime = TUESDAY_10H,
    confirmation: ConfirmationPolicy = SCENARIO_AGE,
) -> list[RightOrientation]:
    request = OrientationRequest(rights, PlaceQuery(insee_code=insee_code), profile or Profile())
    return list(orient(session, request, at, confirmation=confirmation).rights)


def texts(partner: object) -> list[str]:
    return [reason.text for reason in partner.reasons]  # type: ignore[attr-defined]
