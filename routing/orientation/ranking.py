"""Pure ranking: scorers combined by configurable weights, with a fair daily tie-break.

Rules that hold whatever the weights:

* partners whose zone d'intervention does not include the person's commune are dropped,
  unless no partner of the list serves it; they then come last, with the reason stated;
* a partner « à confirmer » (old information, `Candidate.is_current` false) never comes
  before a current one, whatever their scores;
* equal scores are ordered by a hash of (local date, partner id): the order is stable for a
  day and rotates from one day to the next, so equidistant partners share the first place.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date

from directory.vocabulary import HELP_LEVEL_LABELS, PARTNER_KIND_LABELS
from routing.orientation.answer import RankedPartner, Reason
from routing.orientation.candidates import Candidate
from routing.orientation.request import Profile
from routing.orientation.scorers import (
    DEFAULT_SCORERS,
    DEFERRED_SCORERS,
    RankingContext,
    Scorer,
    ScoreTerm,
)

SCORE_DIGITS = 6


@dataclass(frozen=True)
class RankingWeights:
    """Weight of each scorer, by scorer name. A zero weight keeps the reason, not the effect."""

    competence: float = 3.0
    help_level: float = 2.0
    distance: float = 3.0
    opening: float = 1.0
    appointment: float = 0.5
    accessibility: float = 0.2
    language: float = 1.0
    public: float = 1.0
    reduced_mobility_accessibility: float = 3.0
    """Accessibility weight for a person with reduced mobility."""
    digital_help_level: float = 3.0
    """Help-level weight for a person who needs help with online procedures."""

    def weight_of(self, scorer: str) -> float:
        value = getattr(self, scorer, None)
        return float(value) if isinstance(value, int | float) else 1.0

    def for_profile(self, profile: Profile) -> RankingWeights:
        """The weights applied to this person (reduced mobility, digital help)."""
        weights = self
        if profile.has_reduced_mobility:
            weights = replace(weights, accessibility=self.reduced_mobility_accessibility)
        if profile.needs_digital_help:
            weights = replace(weights, help_level=self.digital_help_level)
        return weights

    def __post_init__(self) -> None:
        for item in fields(self):
            if getattr(self, item.name) < 0:
                raise ValueError(f"RankingWeights.{item.name} must not be negative")


def daily_tie_break(day: date, partner_id: int) -> int:
    """A stable pseudo-random number for (day, partner): same all day, new the next day."""
    digest = hashlib.blake2b(f"{day.isoformat()}:{partner_id}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def keep_competent(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Partners serving the commune; all of them when none does (they will rank last)."""
    candidates = list(candidates)
    competent = [c for c in candidates if c.is_in_service_area]
    return competent or candidates


def scorer_name(scorer: Scorer) -> str:
    """``score_by_distance`` → ``"distance"`` (the name its terms and weights use)."""
    return getattr(scorer, "__name__", "scorer").removeprefix("score_by_")


def _terms_score(
    terms: Iterable[ScoreTerm], weights: RankingWeights
) -> tuple[float, tuple[Reason, ...]]:
    total = 0.0
    reasons = []
    for term in terms:
        weight = weights.weight_of(term.scorer)
        total += weight * term.value
        if term.reason is not None:
            reasons.append(Reason(term.scorer, term.value, weight, term.reason))
    return round(total, SCORE_DIGITS), tuple(reasons)


@dataclass
class _Scored:
    candidate: Candidate
    terms: list[ScoreTerm | None]
    tie_break: int
    score: float = 0.0
    reasons: tuple[Reason, ...] = ()

    def key(self) -> tuple[bool, bool, float, int]:
        candidate = self.candidate
        return (not candidate.is_in_service_area, not candidate.is_current, -self.score,
                self.tie_break)  # fmt: skip


def rank_candidates(
    candidates: Iterable[Candidate],
    context: RankingContext,
    *,
    documents: tuple[str, ...] = (),
    weights: RankingWeights | None = None,
    scorers: Sequence[Scorer] = DEFAULT_SCORERS,
    deferred: Collection[Scorer] = DEFERRED_SCORERS,
    limit: int | None = None,
    local_day: date | None = None,
) -> list[RankedPartner]:
    """Competent partners best first (out-of-area ones last, and only when needed).

    ``local_day`` seeds the tie-break (the day at the person's place; default: the date of
    ``context.at``). ``deferred`` scorers (costly ones, such as opening hours) are only run
    for candidates that can still reach the first ``limit`` places: every value is at most
    1, so a candidate whose other scores plus the deferred weights cannot beat the last kept
    one is left out. The result is the same as scoring everybody.
    """
    applied = (weights or RankingWeights()).for_profile(context.profile)
    day = local_day or context.at.date()
    later = [i for i, scorer in enumerate(scorers) if scorer in deferred]
    headroom = sum(applied.weight_of(scorer_name(scorers[i])) for i in later)
    pending: list[tuple[tuple[bool, bool, float, int], _Scored]] = []
    for candidate in keep_competent(candidates):
        terms: list[ScoreTerm | None] = [
            None if i in later else scorer(candidate, context) for i, scorer in enumerate(scorers)
        ]
        item = _Scored(candidate, terms, daily_tie_break(day, candidate.partner_id))
        known = sum(applied.weight_of(t.scorer) * t.value for t in terms if t is not None)
        optimistic = (
            not candidate.is_in_service_area,
            not candidate.is_current,
            -(known + headroom + 1e-6),
            item.tie_break,
        )
        pending.append((optimistic, item))
    pending.sort(key=lambda entry: entry[0])
    done: list[_Scored] = []
    for optimistic, item in pending:
        if limit is not None and len(done) >= limit and optimistic > done[limit - 1].key():
            break
        for i in later:
            item.terms[i] = scorers[i](item.candidate, context)
        item.score, item.reasons = _terms_score([t for t in item.terms if t is not None], applied)
        done.append(item)
        done.sort(key=_Scored.key)
    if limit is not None:
        done = done[:limit]
    return [
        _ranked(rank, item.candidate, item.score, item.reasons, documents)
        for rank, item in enumerate(done, start=1)
    ]


def _ranked(
    rank: int,
    candidate: Candidate,
    score: float,
    reasons: tuple[Reason, ...],
    documents: tuple[str, ...],
) -> RankedPartner:
    travel = candidate.travel
    opening = next((r.text for r in reasons if r.scorer == "opening"), "")
    return RankedPartner(
        rank=rank,
        partner_id=candidate.partner_id,
        name=candidate.name,
        kind=candidate.kind,
        kind_label=PARTNER_KIND_LABELS.get(candidate.kind, candidate.kind),
        address=candidate.address,
        phone=candidate.phone,
        website=candidate.website,
        location=candidate.location,
        distance_m=None if travel is None else travel.straight_distance_m,
        travel_time_s=None if travel is None else travel.travel_time_s,
        travel_mode=None if travel is None else travel.mode,
        help_level=candidate.help_level,
        help_level_label=HELP_LEVEL_LABELS.get(candidate.help_level, candidate.help_level),
        is_in_service_area=candidate.is_in_service_area,
        opening_status=opening,
        score=score,
        reasons=reasons,
        documents=documents,
        is_demo=candidate.is_demo,
        verified_at=candidate.verified_at,
        is_current=candidate.is_current,
    )
