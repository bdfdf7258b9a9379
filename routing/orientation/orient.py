"""The orientation use case: which partners, for these rights, this person, here, now.

``orient`` reads the database (place, candidates, bus visits) and hands plain values to the
pure ranking. It never writes. The instant ``at`` is always given by the caller.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.confirmation import ConfirmationPolicy
from directory.deciders import decider_label
from directory.errors import RightNotFound
from directory.hours import timezone_for
from directory.models import Right
from directory.rights_catalogue import RightContent
from geodata.geocoding.results import Geocoder
from geodata.travel_time import EstimatedTravelTimes, TravelTimeProvider
from routing.errors import InvalidOrientationRequest
from routing.orientation.answer import (
    BusVisitOption,
    DeciderOrientation,
    OrientationResult,
    PossibleOffice,
    RankedPartner,
    RemoteChannel,
    ResolvedPlace,
    RightOrientation,
)
from routing.orientation.bus import (
    bus_rights,
    bus_visit_options,
    handles_right,
    list_nearby_bus_visits,
)
from routing.orientation.candidates import Candidate
from routing.orientation.deciders import (
    deciders_for,
    excluded_partner_kinds,
    is_office_of,
    online_channel_for,
    right_online_channel,
)
from routing.orientation.loading import list_candidate_ids, load_partner_rows
from routing.orientation.places import resolve_place
from routing.orientation.ranking import RankingWeights, rank_candidates
from routing.orientation.request import OrientationRequest
from routing.orientation.scorers import RankingContext
from routing.orientation.travel import trips

NEARBY_MAX_TRAVEL_S = 30 * 60
"""A partner is "near" when the trip by the person's modes takes at most this."""
DECIDER_OFFICES_SHOWN = 3
DECIDER_REACH_S = 60 * 60
"""An office of the deciding body « à confirmer » is shown when the trip takes at most this."""
REMOTE_PHONES_SHOWN = 2


def orient(
    session: Session,
    request: OrientationRequest,
    at: datetime,
    *,
    geocoder: Geocoder | None = None,
    travel_times: TravelTimeProvider | None = None,
    weights: RankingWeights | None = None,
    confirmation: ConfirmationPolicy | None = None,
) -> OrientationResult:
    """Answer an orientation request at the instant ``at`` (an aware datetime).

    ``confirmation`` says how old a partner's information may be before it is « à
    confirmer » (default: `ConfirmationPolicy`'s 24 months); such partners are never
    ranked before current ones, and the deciding body's are shown apart.
    """
    if at.tzinfo is None or at.utcoffset() is None:
        raise InvalidOrientationRequest("L'instant doit porter un fuseau horaire.")
    place = resolve_place(session, request.place, geocoder)
    provider = travel_times or EstimatedTravelTimes()
    zone = timezone_for(place.departement_code, place.insee_code)
    bus_rows = list_nearby_bus_visits(session, place, at)
    offered_by_bus = bus_rights(session, bus_rows)
    local_day = at.astimezone(zone).date()
    rights = []
    for content in _rights_content(session, request.rights):
        candidates = _candidates(
            session,
            request,
            place,
            content,
            local_day,
            provider,
            confirmation or ConfirmationPolicy(),
        )
        context = RankingContext(content.short_name, request.profile, at)
        ranked = rank_candidates(
            candidates,
            context,
            documents=content.documents,
            weights=weights,
            limit=request.max_partners,
            local_day=local_day,
        )
        deciders = tuple(
            _decider(content, decider, place, candidates, context, weights, local_day)
            for decider in deciders_for(content, request.profile)
        )
        visits = [row for row in bus_rows if handles_right(row, content, offered_by_bus)]
        rights.append(
            _right_orientation(
                content,
                request,
                place,
                ranked,
                deciders,
                bus_visit_options(visits, place, request.profile, provider, zone),
            )
        )
    return OrientationResult(place=place, profile=request.profile, at=at, rights=tuple(rights))


def _rights_content(session: Session, slugs: Sequence[str]) -> list[RightContent]:
    """The catalogue content of the asked rights, in the asked order (one query)."""
    stored = {
        right.slug: right.content
        for right in session.scalars(select(Right).where(Right.slug.in_(slugs)))
    }
    for slug in slugs:
        if slug not in stored:
            raise RightNotFound(f"Droit inconnu : « {slug} ».")
    return [RightContent.from_dict(stored[slug], origin=slug) for slug in slugs]


def _candidates(
    session: Session,
    request: OrientationRequest,
    place: ResolvedPlace,
    content: RightContent,
    local_day: date,
    provider: TravelTimeProvider,
    confirmation: ConfirmationPolicy,
) -> list[Candidate]:
    ids = list_candidate_ids(session, place, content.slug)
    excluded = excluded_partner_kinds(content, request.profile)
    rows = load_partner_rows(session, place, content.slug, ids, local_day, excluded)
    travels = trips(provider, place.lon_lat, [row.location for row in rows], request.profile)
    return [
        row.candidate(travel, confirmation.is_current(row.verified_at, local_day))
        for row, travel in zip(rows, travels, strict=True)
    ]


def _decider(
    content: RightContent,
    decider: str,
    place: ResolvedPlace,
    candidates: Sequence[Candidate],
    context: RankingContext,
    weights: RankingWeights | None,
    local_day: date,
) -> DeciderOrientation:
    """This body's current offices serving the commune, or its remote channel when it has
    none, beside its offices within reach whose information is « à confirmer »."""
    offices = [
        c
        for c in candidates
        if c.help_level == "instruction" and c.is_in_service_area and is_office_of(c.kind, decider)
    ]
    possible = _possible_offices([c for c in offices if not c.is_current])
    ranked = rank_candidates(
        [c for c in offices if c.is_current],
        context,
        documents=content.documents,
        weights=weights,
        limit=DECIDER_OFFICES_SHOWN,
        local_day=local_day,
    )
    label = decider_label(decider)
    if ranked:
        return DeciderOrientation(decider, label, tuple(ranked), None, None, possible)
    online = online_channel_for(content, decider)
    if possible:
        note = (
            f"Aucun accueil confirmé de cet organisme pour {place.commune_name} ; lieux "
            "possibles, à vérifier : leurs informations sont anciennes, appelez avant de "
            "vous déplacer"
        )
        note += " (la démarche peut aussi se faire à distance)." if online is not None else "."
        return DeciderOrientation(decider, label, (), online, note, possible)
    if any(not c.is_current for c in offices):
        note = (
            f"Aucun accueil de cet organisme à moins d'une heure de {place.commune_name} "
            "dans l'annuaire"
        )
    else:
        note = (
            "Aucun accueil de cet organisme n'est enregistré dans l'annuaire pour "
            f"{place.commune_name}"
        )
    note += " : la démarche se fait à distance." if online is not None else "."
    return DeciderOrientation(decider, label, (), online, note, possible)


def _possible_offices(offices: Sequence[Candidate]) -> tuple[PossibleOffice, ...]:
    """The nearest offices « à confirmer » within `DECIDER_REACH_S` (nearest first)."""
    reachable = sorted(
        (c for c in offices if c.travel is not None and c.travel.travel_time_s <= DECIDER_REACH_S),
        key=lambda c: (c.travel.travel_time_s if c.travel else 0, c.partner_id),
    )
    return tuple(
        PossibleOffice(
            partner_id=c.partner_id,
            name=c.name,
            address=c.address,
            phone=c.phone,
            verified_at=c.verified_at,
            distance_m=c.distance_m,
            travel_time_s=c.travel.travel_time_s if c.travel else None,
            travel_mode=c.travel.mode if c.travel else None,
        )
        for c in reachable[:DECIDER_OFFICES_SHOWN]
    )


def _right_orientation(
    content: RightContent,
    request: OrientationRequest,
    place: ResolvedPlace,
    ranked: list[RankedPartner],
    deciders: tuple[DeciderOrientation, ...],
    bus_visits: Sequence[BusVisitOption],
) -> RightOrientation:
    nearby = any(
        p.is_in_service_area
        and p.travel_time_s is not None
        and p.travel_time_s <= NEARBY_MAX_TRAVEL_S
        for p in ranked
    )
    notices = list(place.notes)
    if request.profile.is_agricultural and content.agricultural_decider:
        notices.append(
            f"Régime agricole : votre dossier est étudié par la "
            f"{decider_label(content.agricultural_decider)}."
        )
    if not ranked:
        notices.append(
            f"Aucun partenaire de l'annuaire n'aide pour : {content.short_name}, près de chez vous."
        )
    elif not any(p.is_in_service_area for p in ranked):
        notices.append(
            f"Aucun partenaire n'est compétent pour {place.commune_name} : ceux proposés "
            "interviennent ailleurs, appelez-les avant de vous déplacer."
        )
    elif not nearby:
        notices.append("Aucun partenaire à moins de 30 minutes : vous pouvez agir à distance.")
    remote: list[RemoteChannel] = []
    if not nearby:
        online = right_online_channel(content, request.profile)
        channels = [online] if online is not None else []
        channels += [d.online for d in deciders if d.online is not None]
        for channel in dict.fromkeys(channels):
            remote.append(RemoteChannel("online", channel.label, url=channel.url))
        for partner in [p for p in ranked if p.phone][:REMOTE_PHONES_SHOWN]:
            remote.append(
                RemoteChannel(
                    "phone",
                    f"Appeler {partner.name}",
                    phone=partner.phone,
                    partner_id=partner.partner_id,
                )
            )
    return RightOrientation(
        right_slug=content.slug,
        right_name=content.name,
        right_short_name=content.short_name,
        partners=tuple(ranked),
        deciders=deciders,
        decider_note=content.decider_note,
        documents=content.documents,
        bus_visits=tuple(bus_visits),
        remote_channels=tuple(remote),
        has_nearby_partner=nearby,
        notices=tuple(notices),
    )
