"""Orientation: which partner is competent for which right, for this person, here, now.

Entry point: :func:`orient`. The matching and ranking are pure functions over `Candidate`
values (:mod:`.ranking`, :mod:`.scorers`); :mod:`.loading` and :mod:`.bus` read the database.
"""

from routing.orientation.candidates import AreaMatch, Candidate, Travel
from routing.orientation.model import (
    AgeBand,
    BusVisitOption,
    DeciderOrientation,
    OrientationRequest,
    OrientationResult,
    PlacePrecision,
    PlaceQuery,
    Profile,
    RankedPartner,
    Reason,
    RemoteChannel,
    ResolvedPlace,
    RightOrientation,
)
from routing.orientation.queries import orient
from routing.orientation.ranking import RankingWeights, rank_candidates
from routing.orientation.scorers import RankingContext, ScoreTerm

__all__ = [
    "AgeBand",
    "AreaMatch",
    "BusVisitOption",
    "Candidate",
    "DeciderOrientation",
    "OrientationRequest",
    "OrientationResult",
    "PlacePrecision",
    "PlaceQuery",
    "Profile",
    "RankedPartner",
    "RankingContext",
    "RankingWeights",
    "Reason",
    "RemoteChannel",
    "ResolvedPlace",
    "RightOrientation",
    "ScoreTerm",
    "Travel",
    "orient",
    "rank_candidates",
]
