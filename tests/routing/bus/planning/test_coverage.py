"""Coverage figures checked against a hand computation on a small made-up territory, with
an honest fake provider (time proportional to the straight-line distance)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from geodata.distance import haversine_m
from geodata.travel_time import TravelMode, TravelTime
from routing.bus.planning.coverage import CoverageMode, compute_coverage
from routing.bus.planning.territory import CommunePoint, PartnerSet, PermanentPartner
from routing.errors import InvalidCoverageRequest

KM_PER_DEGREE = 111.195  # haversine, mean Earth radius, along a meridian
SECONDS_PER_KM = {TravelMode.CAR: 60, TravelMode.WALKING: 720, TravelMode.PUBLIC_TRANSPORT: 180}
"""Car 60 km/h, walking 5 km/h, public transport 20 km/h (plus 15 min waiting)."""


class SpeedFake:
    """Time = straight distance × a speed per mode (+15 min for public transport)."""

    def travel_times(
        self,
        origin: tuple[float, float],
        destinations: Sequence[tuple[float, float]],
        mode: TravelMode,
    ) -> list[TravelTime]:
        out = []
        for lon, lat in destinations:
            km = haversine_m(origin[0], origin[1], lon, lat) / 1000
            extra = 900 if mode is TravelMode.PUBLIC_TRANSPORT else 0
            seconds = round(km * SECONDS_PER_KM[mode]) + extra
            out.append(TravelTime(mode, seconds, km * 1000, km * 1000, True, "fake", "fake"))
        return out


def commune(code: str, population: int, km_north: float) -> CommunePoint:
    return CommunePoint(
        code, f"[Test] {code}", population, "62", 2.0, 50.0 + km_north / KM_PER_DEGREE
    )


def partner(pid: int, km_north: float, *, national: bool = True) -> PermanentPartner:
    return PermanentPartner(
        pid, f"[Test] P{pid}", "france-services", 2.0, 50.0 + km_north / KM_PER_DEGREE, national
    )


COMMUNES = [
    commune("00001", 1000, 0),  # the partner is here
    commune("00002", 300, 10),  # 10 km: 10 min by car, 15 + 30 = 45 min by transport
    commune("00003", 200, 25),  # 25 km: 25 min by car, 15 + 75 = 90 min by transport
    commune("00004", 50, 40),  # 40 km: 40 min by car, 15 + 120 = 135 min by transport
]


def test_totals_match_a_hand_computation() -> None:
    partners = PartnerSet((partner(1, 0),), {})
    report = compute_coverage(
        COMMUNES, partners, SpeedFake(), mode=CoverageMode.CAR, threshold_s=20 * 60
    )
    by_code = {row.commune.insee_code: row for row in report.communes}
    assert [round((by_code[c].by_car.travel_time_s or 0) / 60, 1) for c in by_code] == [
        0.0, 10.0, 25.0, 40.0,
    ]  # fmt: skip
    assert by_code["00003"].without_car.travel_time_s == 900 + 25 * 180
    assert [by_code[c].is_remote for c in by_code] == [False, False, True, True]
    totals = report.totals
    assert (totals.communes, totals.population) == (4, 1550)
    assert (totals.remote_communes, totals.remote_population) == (2, 250)
    assert totals.covered_population == 1300
    assert report.sentence.startswith("250 personnes (2 communes sur 4) habitent à plus de 20")


def test_without_a_car_the_faster_of_walking_and_transport_counts() -> None:
    partners = PartnerSet((partner(1, 0),), {})
    report = compute_coverage(
        COMMUNES, partners, SpeedFake(), mode=CoverageMode.WITHOUT_CAR, threshold_s=20 * 60
    )
    times = [row.without_car.travel_time_s for row in report.communes if row.without_car]
    # 0 km: walking (0 s) beats transport (15 min); 10 km: transport, 900 + 1800 s.
    assert times == [0, 2700, 5400, 8100]
    assert [row.is_remote for row in report.communes] == [False, True, True, True]


def test_a_local_partner_counts_only_for_the_communes_it_serves() -> None:
    partners = PartnerSet(
        (partner(1, 0), partner(2, 40, national=False)),
        {"00004": (1,)},  # the local partner (index 1) serves commune 00004 only
    )
    report = compute_coverage(
        COMMUNES, partners, SpeedFake(), mode=CoverageMode.CAR, threshold_s=20 * 60
    )
    nearest = {row.commune.insee_code: row.by_car.partner_id for row in report.communes}
    assert nearest == {"00001": 1, "00002": 1, "00003": 1, "00004": 2}
    assert report.totals.remote_population == 200


def test_without_any_partner_every_commune_is_remote() -> None:
    report = compute_coverage(
        COMMUNES, PartnerSet((), {}), SpeedFake(), mode=CoverageMode.CAR, threshold_s=1800
    )
    assert all(row.is_remote and row.by_car is None for row in report.communes)
    assert report.totals.remote_population == 1550


def test_thresholds_outside_three_hours_are_refused() -> None:
    with pytest.raises(InvalidCoverageRequest) as caught:
        compute_coverage(
            COMMUNES, PartnerSet((), {}), SpeedFake(), mode=CoverageMode.CAR, threshold_s=0
        )
    assert "threshold_min" in caught.value.field_errors
