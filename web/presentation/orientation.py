"""Orientation answers as the API sends them and the pages show them (one presentation)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from directory.confirmation import ConfirmationState, staleness_warning
from routing.orientation import AgeBand, OrientationResult, RankedPartner, ResolvedPlace
from web.api.providers import partner_cards
from web.presentation.partners import partner_document


def _ranked_document(slug: str, ranked: RankedPartner, partner: dict[str, Any]) -> dict[str, Any]:
    return {
        "right": slug,
        "rank": ranked.rank,
        "partner": partner,
        "score": ranked.score,
        "help_level": ranked.help_level,
        "help_level_label": ranked.help_level_label,
        "is_in_service_area": ranked.is_in_service_area,
        "reasons": [
            {"scorer": r.scorer, "value": r.value, "weight": r.weight, "text": r.text}
            for r in ranked.reasons
        ],
        "distance_m": ranked.distance_m,
        "travel_time_s": ranked.travel_time_s,
        "travel_mode": ranked.travel_mode,
        "opening_status": ranked.opening_status,
        "documents": list(ranked.documents),
    }


def place_document(place: ResolvedPlace) -> dict[str, Any]:
    """Where the person is, as the orientation and the bilan echo it."""
    return {
        "label": place.label,
        "lon": place.lon,
        "lat": place.lat,
        "insee_code": place.insee_code,
        "commune_name": place.commune_name,
        "departement_code": place.departement_code,
        "epci_siren": place.epci_siren,
        "precision": place.precision.value,
        "notes": list(place.notes),
    }


def orientation_document(session: Session, result: OrientationResult) -> dict[str, Any]:
    """The answer of an orientation, as the API sends it and the pages show it."""
    ranked_ids = {p.partner_id for r in result.rights for p in r.partners}
    cards = partner_cards().cards(session, list(ranked_ids))
    documents = {pid: partner_document(card, result.at) for pid, card in cards.items()}
    results: list[dict[str, Any]] = []
    remote: list[dict[str, Any]] = []
    visits: dict[int, dict[str, Any]] = {}
    for right in result.rights:
        results.extend(
            _ranked_document(right.right_slug, p, documents[p.partner_id])
            for p in right.partners
            if p.partner_id in documents
        )
        remote.extend(
            {
                "right": right.right_slug,
                "kind": channel.kind,
                "label": channel.label,
                "url": channel.url,
                "phone": channel.phone,
                "partner_id": channel.partner_id,
            }
            for channel in right.remote_channels
        )
        for visit in right.bus_visits:
            entry = visits.setdefault(visit.visit_id, {**vars(visit), "rights": []})
            entry["rights"].append(right.right_slug)
    return {
        "query": {
            "rights": [r.right_slug for r in result.rights],
            "at": result.at,
            "profile": {
                key: (value.value if isinstance(value, AgeBand) else value)
                for key, value in vars(result.profile).items()
            },
            "place": place_document(result.place),
        },
        "results": results,
        "bus_visits": sorted(visits.values(), key=lambda v: v["starts_at"]),
        "remote": remote,
        "rights": [
            {
                "slug": right.right_slug,
                "name": right.right_name,
                "short_name": right.right_short_name,
                "decider_note": right.decider_note,
                "deciders": [
                    {
                        "decider": d.decider,
                        "label": d.label,
                        "partner_ids": [p.partner_id for p in d.partners],
                        "online": (
                            {"label": d.online.label, "url": d.online.url} if d.online else None
                        ),
                        "note": d.note,
                        "possible_offices": [
                            {
                                **vars(office),
                                "staleness_warning": staleness_warning(
                                    ConfirmationState.TO_CONFIRM, office.verified_at
                                ),
                            }
                            for office in d.possible_offices
                        ],
                    }
                    for d in right.deciders
                ],
                "documents": list(right.documents),
                "has_nearby_partner": right.has_nearby_partner,
                "notices": list(right.notices),
            }
            for right in result.rights
        ],
    }
