"""Coverage of a territory: for each commune, its population and the travel time to the
nearest permanent partner (see :mod:`.territory`), by car and without a car; communes
beyond the threshold are « zones éloignées ». Totals let a territory say « N personnes
habitent à plus de 30 minutes d'un lieu d'aide ».

Travel times come from the configured provider (straight-line estimates by default, see
:mod:`geodata.travel_time`). Without a car, a trip is the faster of walking and public
transport, as in orientation. For speed, each commune asks the provider only about the
few partners nearest as the crow flies (``NEAREST_CANDIDATES``).
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy.orm import Session

from geodata.distance import haversine_many_m, local_distance_matrix_m
from geodata.travel_time import TravelMode, TravelTimeProvider
from routing.bus.planning.territory import (
    DEFAULT_HELP_LEVELS,
    CommunePoint,
    PartnerSet,
    TerritoryRequest,
    list_permanent_partners,
    list_territory_communes,
)
from routing.errors import InvalidCoverageRequest

NEAREST_CANDIDATES = 3
SHORTLIST_BLOCK = 400
DEFAULT_THRESHOLD_S = 30 * 60
MAX_THRESHOLD_S = 3 * 3600


class CoverageMode(enum.StrEnum):
    CAR = "car"
    WITHOUT_CAR = "without_car"


COVERAGE_MODE_LABELS = {
    CoverageMode.CAR: "en voiture",
    CoverageMode.WITHOUT_CAR: "sans voiture (à pied ou en transports en commun)",
}
TRAVEL_MODES = {
    CoverageMode.CAR: (TravelMode.CAR,),
    CoverageMode.WITHOUT_CAR: (TravelMode.WALKING, TravelMode.PUBLIC_TRANSPORT),
}
LonLat = tuple[float, float]


@dataclass(frozen=True)
class NearestPartner:
    partner_id: int
    name: str
    kind: str
    travel_time_s: int
    straight_distance_m: float


@dataclass(frozen=True)
class CommuneCoverage:
    commune: CommunePoint
    by_car: NearestPartner | None
    without_car: NearestPartner | None
    is_remote: bool
    """Beyond the threshold by the chosen mode (or no partner at all): « zone éloignée »."""

    def nearest(self, mode: CoverageMode) -> NearestPartner | None:
        return self.by_car if mode is CoverageMode.CAR else self.without_car


@dataclass(frozen=True)
class CoverageTotals:
    communes: int
    population: int
    remote_communes: int
    remote_population: int

    @property
    def covered_population(self) -> int:
        return self.population - self.remote_population


@dataclass(frozen=True)
class CoverageReport:
    communes: tuple[CommuneCoverage, ...]
    mode: CoverageMode
    threshold_s: int
    right: str | None
    help_levels: tuple[str, ...]
    totals: CoverageTotals
    partner_count: int

    @property
    def sentence(self) -> str:
        """« N personnes habitent à plus de 30 minutes … » (French, for pages and exports)."""
        minutes = self.threshold_s // 60
        people = f"{self.totals.remote_population:,}".replace(",", "\u202f")
        return (
            f"{people} personnes ({self.totals.remote_communes} communes sur "
            f"{self.totals.communes}) habitent à plus de {minutes} minutes "
            f"{COVERAGE_MODE_LABELS[self.mode]} d'un lieu d'accompagnement permanent."
        )


def best_trip_s(
    provider: TravelTimeProvider,
    origin: LonLat,
    destinations: Sequence[LonLat],
    modes: Sequence[TravelMode],
) -> list[int]:
    """For each destination, the fastest time (seconds) among the modes."""
    if not destinations:
        return []
    per_mode = [provider.travel_times(origin, destinations, mode) for mode in modes]
    return [min(t.travel_time_s for t in options) for options in zip(*per_mode, strict=True)]


def check_threshold(threshold_s: int) -> None:
    if not 60 <= threshold_s <= MAX_THRESHOLD_S:
        message = "Le seuil doit être compris entre 1 et 180 minutes."
        raise InvalidCoverageRequest(message, {"threshold_min": [message]})


def compute_coverage(
    communes: Sequence[CommunePoint],
    partner_set: PartnerSet,
    provider: TravelTimeProvider,
    *,
    mode: CoverageMode,
    threshold_s: int,
    right: str | None = None,
    help_levels: Collection[str] = DEFAULT_HELP_LEVELS,
) -> CoverageReport:
    """The coverage of these communes by these partners (pure: no database)."""
    check_threshold(threshold_s)
    shortlists = _shortlists(communes, partner_set)
    rows = []
    for commune, shortlist in zip(communes, shortlists, strict=True):
        found = {
            travel: _nearest(commune, shortlist, partner_set, provider, travel)
            for travel in CoverageMode
        }
        chosen = found[mode]
        rows.append(
            CommuneCoverage(
                commune=commune,
                by_car=found[CoverageMode.CAR],
                without_car=found[CoverageMode.WITHOUT_CAR],
                is_remote=chosen is None or chosen.travel_time_s > threshold_s,
            )
        )
    remote = [row for row in rows if row.is_remote]
    totals = CoverageTotals(
        communes=len(rows),
        population=sum(row.commune.population for row in rows),
        remote_communes=len(remote),
        remote_population=sum(row.commune.population for row in remote),
    )
    return CoverageReport(
        communes=tuple(rows),
        mode=mode,
        threshold_s=threshold_s,
        right=right,
        help_levels=tuple(help_levels),
        totals=totals,
        partner_count=len(partner_set.partners),
    )


def _shortlists(
    communes: Sequence[CommunePoint], partner_set: PartnerSet
) -> list[list[tuple[int, float]]]:
    """For each commune, its eligible partners nearest as the crow flies: (index, metres).

    The national partners are ranked in blocks of communes with numpy (approximate
    distances), the kept ones measured again on the sphere; the few local partners serving
    a commune are added to its list.
    """
    partners = partner_set.partners
    national = np.array(partner_set.national_indexes, dtype=np.int64)
    lons = np.array([p.lon for p in partners], dtype=np.float64)
    lats = np.array([p.lat for p in partners], dtype=np.float64)
    shortlists: list[list[tuple[int, float]]] = []
    for start in range(0, len(communes), SHORTLIST_BLOCK):
        block = communes[start : start + SHORTLIST_BLOCK]
        block_lons = np.array([c.lon for c in block], dtype=np.float64)
        block_lats = np.array([c.lat for c in block], dtype=np.float64)
        if national.size:
            ranks = local_distance_matrix_m(block_lons, block_lats, lons[national], lats[national])
            count = min(NEAREST_CANDIDATES, national.size)
            nearest = np.argpartition(ranks, count - 1, axis=1)[:, :count]
        for row, commune in enumerate(block):
            shortlist: list[tuple[int, float]] = []
            if national.size:
                kept = national[nearest[row]]
                metres = haversine_many_m(commune.lon, commune.lat, lons[kept], lats[kept])
                shortlist = [(int(i), float(m)) for i, m in zip(kept, metres, strict=True)]
            local = partner_set.serving.get(commune.insee_code, ())
            if local:
                local_m = haversine_many_m(
                    commune.lon, commune.lat, lons[list(local)], lats[list(local)]
                )
                shortlist += [(i, float(m)) for i, m in zip(local, local_m, strict=True)]
            shortlists.append(shortlist)
    return shortlists


def _nearest(
    commune: CommunePoint,
    shortlist: Sequence[tuple[int, float]],
    partner_set: PartnerSet,
    provider: TravelTimeProvider,
    mode: CoverageMode,
) -> NearestPartner | None:
    if not shortlist:
        return None
    partners = [partner_set.partners[index] for index, _ in shortlist]
    times = best_trip_s(
        provider, (commune.lon, commune.lat), [(p.lon, p.lat) for p in partners], TRAVEL_MODES[mode]
    )
    best = min(range(len(partners)), key=lambda k: (times[k], partners[k].partner_id))
    partner = partners[best]
    return NearestPartner(
        partner_id=partner.partner_id,
        name=partner.name,
        kind=partner.kind,
        travel_time_s=times[best],
        straight_distance_m=round(shortlist[best][1], 1),
    )


def analyse_coverage(
    session: Session,
    territory: TerritoryRequest,
    provider: TravelTimeProvider,
    *,
    right: str | None = None,
    mode: CoverageMode = CoverageMode.CAR,
    threshold_s: int = DEFAULT_THRESHOLD_S,
    help_levels: Collection[str] = DEFAULT_HELP_LEVELS,
    include_demo: bool = False,
) -> CoverageReport:
    """Coverage of a territory by the permanent partners of the directory."""
    check_threshold(threshold_s)
    communes = list_territory_communes(session, territory)
    partner_set = list_permanent_partners(
        session, communes, right=right, help_levels=help_levels, include_demo=include_demo
    )
    return compute_coverage(
        communes,
        partner_set,
        provider,
        mode=mode,
        threshold_s=threshold_s,
        right=right,
        help_levels=help_levels,
    )
