"""Partners as the API sends them and the pages show them (one presentation: labels, hours
in words, confirmation state; no business rule)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy.orm import Session

from directory.confirmation import (
    CONFIRMATION_LABELS,
    ConfirmationPolicy,
    staleness_warning,
)
from directory.hours import (
    UNKNOWN_HOURS,
    HoursError,
    OpeningSchedule,
    describe_hours,
    opening_state,
    weekly_lines,
)
from directory.hours.schedule import schedule_for
from directory.models import Partner
from directory.partner_cards import PartnerCard, card_of
from directory.partner_rules import is_personal_email
from directory.search import SearchHit
from directory.vocabulary import (
    ACCESSIBILITY_LABELS,
    APPOINTMENT_LABELS,
    HELP_LEVEL_LABELS,
    PARTNER_KIND_LABELS,
)
from web.api.providers import partner_cards


def departement_of(insee_code: str | None) -> str | None:
    """Département of a commune from its INSEE code (three characters overseas)."""
    if not insee_code:
        return None
    return insee_code[:3] if insee_code.startswith("97") else insee_code[:2]


def schedule_of(card: PartnerCard) -> OpeningSchedule | None:
    departement = departement_of(card.insee_code)
    if departement is None:
        return None
    try:
        return schedule_for(
            card.opening_hours, departement, card.closures, insee_code=card.insee_code
        )
    except HoursError:
        return None


UNKNOWN_HOURS_FIELDS = {
    "opening_hours_text": UNKNOWN_HOURS,
    "opening_status": UNKNOWN_HOURS,
    "open_now": None,
    "next_opening": None,
}


@lru_cache(maxsize=16384)
def _today_text(schedule: OpeningSchedule, day: date) -> str:
    return describe_hours(schedule, day)


def hours_fields(card: PartnerCard, at: datetime) -> dict[str, Any]:
    """Opening fields at ``at``; the state is the one the orientation's ranking reads
    (`directory.hours.opening_state`, shared per schedule and minute)."""
    schedule = schedule_of(card)
    if schedule is None:
        return dict(UNKNOWN_HOURS_FIELDS)
    state = opening_state(schedule, at)
    return {
        "opening_hours_text": _today_text(schedule, schedule.local(at).date()),
        "opening_status": state.status,
        "open_now": state.is_open,
        "next_opening": state.next_opening,
    }


def current_confirmation_policy() -> ConfirmationPolicy:
    """The configured age of current information (``PARTNER_MAX_AGE_MONTHS``); the
    default outside an application."""
    if not has_app_context():
        return ConfirmationPolicy()
    return _policy(int(current_app.config["PARTNER_MAX_AGE_MONTHS"]))


@lru_cache(maxsize=4)
def _policy(max_age_months: int) -> ConfirmationPolicy:
    return ConfirmationPolicy(max_age_months)


def confirmation_fields(
    partner: PartnerCard, at: datetime, policy: ConfirmationPolicy | None = None
) -> dict[str, Any]:
    """How current the partner's information is on the day of ``at``."""
    state = (policy or current_confirmation_policy()).state(
        partner.verified_at, partner.source_date, at.date()
    )
    return {
        "confirmation_state": state.value,
        "confirmation_label": CONFIRMATION_LABELS[state],
        "staleness_warning": staleness_warning(state, partner.verified_at),
    }


def partner_document(
    partner: PartnerCard, at: datetime, distance_m: float | None = None
) -> dict[str, Any]:
    """The partner as the API shows it at ``at``. Nested values are shared between
    documents (see `_constant_fields`): replace them, never modify them in place."""
    document: dict[str, Any] = {
        **_constant_fields(partner),
        **hours_fields(partner, at),
        **confirmation_fields(partner, at),
    }
    if distance_m is not None:
        document["distance_m"] = round(distance_m, 1)
    return document


@lru_cache(maxsize=20_000)
def _constant_fields(partner: PartnerCard) -> dict[str, Any]:
    """Everything but the opening state and the distance: the same for every request, so
    computed once per card (cards are immutable, and a new one comes with every change)."""
    return {
        "id": partner.id,
        "name": partner.name,
        "kind": partner.kind,
        "kind_label": PARTNER_KIND_LABELS.get(partner.kind, partner.kind),
        "address": {
            "street": partner.street,
            "complement": partner.address_complement,
            "postcode": partner.postcode,
            "city": partner.city,
            "insee_code": partner.insee_code,
        },
        "location": ({"lon": partner.lon, "lat": partner.lat} if partner.lon is not None else None),
        "is_location_doubtful": partner.is_location_doubtful,
        "phone": partner.phone,
        "email": None if partner.email and is_personal_email(partner.email) else partner.email,
        "website": partner.website,
        "opening_hours": partner.opening_hours,
        "accessibility": partner.accessibility,
        "accessibility_label": ACCESSIBILITY_LABELS.get(partner.accessibility, ""),
        "appointment": partner.appointment,
        "appointment_label": APPOINTMENT_LABELS.get(partner.appointment, ""),
        "rights": [
            {
                "slug": s.right_slug,
                "help_level": s.help_level,
                "help_level_label": HELP_LEVEL_LABELS.get(s.help_level, s.help_level),
            }
            for s in partner.services
        ],
        "verified_at": partner.verified_at,
        "source": {
            "name": partner.source,
            "licence": partner.source_licence,
            "date": partner.source_date,
        },
        "is_demo": partner.is_demo,
    }


def partner_detail_document(
    partner: Partner, at: datetime, right_names: dict[str, str]
) -> dict[str, Any]:
    card = card_of(partner)
    document = partner_document(card, at)
    schedule = schedule_of(card)
    today = schedule.local(at).date() if schedule is not None else at.date()
    document.update(
        description=partner.description,
        location_note=partner.location_note,
        accessibility_details=partner.accessibility_details,
        languages=partner.language_list,
        transport_access=partner.transport_access,
        opening_hours_lines=(
            weekly_lines(schedule, today) if schedule is not None else ["Horaires non renseignés"]
        ),
        services=[
            {
                "right_slug": s.right_slug,
                "right_name": right_names.get(s.right_slug, s.right_slug),
                "help_level": s.help_level,
                "help_level_label": HELP_LEVEL_LABELS.get(s.help_level, s.help_level),
                "description": s.description,
                "publics": s.public_list,
                "source": s.source,
            }
            for s in partner.services
        ],
        service_areas=[{"level": a.level, "code": a.code} for a in partner.service_areas],
        closures=[
            {
                "starts_on": c.starts_on,
                "ends_on": c.ends_on,
                "reason": c.reason,
                "replacement_hours": c.replacement_hours,
            }
            for c in partner.closures
            if c.ends_on >= today
        ],
        updated_at=partner.updated_at,
    )
    return document


def partner_documents(
    session: Session, hits: Sequence[SearchHit], at: datetime
) -> list[dict[str, Any]]:
    """The documents of a page of search hits, in the hits' order (a partner deleted since
    the index was read is left out)."""
    cards = partner_cards().cards(session, [hit.partner_id for hit in hits])
    return [
        partner_document(cards[hit.partner_id], at, hit.distance_m)
        for hit in hits
        if hit.partner_id in cards
    ]
