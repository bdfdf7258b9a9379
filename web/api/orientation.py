"""GET /api/v1/orientation: which partner for this right, this person, this place, now."""

from __future__ import annotations

from typing import Any

from routing.orientation import (
    AgeBand,
    OrientationRequest,
    OrientationResult,
    PlaceQuery,
    Profile,
    RankedPartner,
    orient,
)
from web.api import API_PREFIX, ApiBlueprint
from web.api.presenters import partner_document
from web.api.providers import geocoder, partner_cards, travel_times
from web.database import db_session
from web.http_cache import set_max_age
from web.schemas.instants import now
from web.schemas.orientation import OrientationQuerySchema, OrientationSchema

ORIENTATION_MAX_AGE_S = 60

blp = ApiBlueprint(
    "orientation",
    __name__,
    url_prefix=API_PREFIX,
    description="Orientation : partenaires compétents classés, avec les raisons du choix.",
)


def _request(args: dict[str, Any]) -> OrientationRequest:
    place = PlaceQuery(
        address=args.get("address"),
        point=(args["lon"], args["lat"]) if "lon" in args else None,
        insee_code=args.get("insee_code"),
    )
    profile = Profile(
        age_band=AgeBand(args["age_band"]) if "age_band" in args else None,
        is_agricultural=args["is_agricultural"],
        has_car=args["has_car"],
        needs_digital_help=args["needs_digital_help"],
        language=args.get("language"),
        has_reduced_mobility=args["has_reduced_mobility"],
    )
    return OrientationRequest(
        rights=tuple(args["right"]),
        place=place,
        profile=profile,
        max_partners=args["max_partners"],
    )


def _result(slug: str, ranked: RankedPartner, partner: dict[str, Any]) -> dict[str, Any]:
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


def orientation_document(result: OrientationResult, args: dict[str, Any]) -> dict[str, Any]:
    session = db_session()
    ranked_ids = {p.partner_id for r in result.rights for p in r.partners}
    cards = partner_cards().cards(session, list(ranked_ids))
    documents = {pid: partner_document(card, result.at) for pid, card in cards.items()}
    results: list[dict[str, Any]] = []
    remote: list[dict[str, Any]] = []
    visits: dict[int, dict[str, Any]] = {}
    for right in result.rights:
        results.extend(
            _result(right.right_slug, p, documents[p.partner_id])
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
    place = result.place
    return {
        "query": {
            "rights": [r.right_slug for r in result.rights],
            "at": result.at,
            "profile": {
                key: (value.value if isinstance(value, AgeBand) else value)
                for key, value in vars(result.profile).items()
            },
            "place": {
                "label": place.label,
                "lon": place.lon,
                "lat": place.lat,
                "insee_code": place.insee_code,
                "commune_name": place.commune_name,
                "departement_code": place.departement_code,
                "epci_siren": place.epci_siren,
                "precision": place.precision.value,
                "notes": list(place.notes),
            },
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


@blp.get("/orientation")
@blp.arguments(OrientationQuerySchema, location="query")
@blp.response(200, OrientationSchema)
def orientation(args: dict[str, Any]) -> dict[str, Any]:
    """Orienter une personne

    Pour un ou plusieurs droits (`right`, répétable) et un lieu (`address`, ou `lon` et
    `lat`, ou `insee_code`) : les partenaires compétents classés, avec pour chacun les
    raisons lisibles du classement, la distance et le temps de trajet estimé ; les
    passages du bus des droits à portée ; les démarches à distance.
    """
    set_max_age(ORIENTATION_MAX_AGE_S)
    at = args.get("at") or now()
    result = orient(
        db_session(), _request(args), at, geocoder=geocoder(), travel_times=travel_times()
    )
    return orientation_document(result, args)
