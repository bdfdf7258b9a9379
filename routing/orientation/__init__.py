"""Orientation: which partner is competent for which right, for this person, here, now.

Entry point: :func:`orient` (:mod:`.orient`), asked an :class:`OrientationRequest`
(:mod:`.request`) and answering an :class:`OrientationResult` (:mod:`.answer`). The matching
and ranking are pure functions over `Candidate` values (:mod:`.ranking`, :mod:`.scorers`);
:mod:`.places`, :mod:`.loading` and :mod:`.bus` read the database.
"""

from routing.orientation.answer import (
    BusVisitOption,
    DeciderOrientation,
    OrientationResult,
    PlacePrecision,
    PossibleOffice,
    RankedPartner,
    Reason,
    RemoteChannel,
    ResolvedPlace,
    RightOrientation,
)
from routing.orientation.candidates import AreaMatch, Candidate, Travel
from routing.orientation.orient import orient
from routing.orientation.ranking import RankingWeights, rank_candidates
from routing.orientation.request import AgeBand, OrientationRequest, PlaceQuery, Profile
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
    "PossibleOffice",
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
