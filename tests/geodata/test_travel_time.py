"""Travel-time estimates (honest, with their assumptions) and the OSRM provider over HTTP."""

from __future__ import annotations

import pytest

from geodata.distance import haversine_m
from geodata.errors import GeodataError
from geodata.osrm import OsrmTravelTimes
from geodata.providers import make_travel_time_provider
from geodata.travel_time import EstimatedTravelTimes, TravelMode
from tests.geodata.http_stub import Reply, StubServer

ARRAS_TOWN_HALL = (2.778515, 50.293056)
ARRAS_RUE_DE_DOUAI = (2.78429, 50.288445)  # France services Pimms Médiation Arras
BEAURAINS = (2.79, 50.2667)
CADOURS = (1.050428, 43.729401)


def test_walking_estimate_is_detour_times_distance_over_speed() -> None:
    trip = EstimatedTravelTimes().travel_time(
        ARRAS_TOWN_HALL, ARRAS_RUE_DE_DOUAI, TravelMode.WALKING
    )
    assert trip.is_estimate and trip.method == "estimate"
    expected_m = haversine_m(*ARRAS_TOWN_HALL, *ARRAS_RUE_DE_DOUAI)
    assert trip.straight_distance_m == pytest.approx(expected_m, rel=0.005)
    assert trip.distance_m == pytest.approx(trip.straight_distance_m * 1.3, abs=0.2)
    assert trip.travel_time_s == round(trip.distance_m / (4.5 / 3.6))
    assert "4,5 km/h" in trip.assumptions


def test_car_is_slower_in_town_than_on_the_road_and_longer_trips_take_longer() -> None:
    estimate = EstimatedTravelTimes()
    near = estimate.travel_time(ARRAS_TOWN_HALL, BEAURAINS, TravelMode.CAR)
    far = estimate.travel_time(ARRAS_TOWN_HALL, CADOURS, TravelMode.CAR)
    assert near.travel_time_s < far.travel_time_s
    assert far.distance_m / (far.travel_time_s - 180) > near.distance_m / (near.travel_time_s - 180)


def test_public_transport_gives_the_walking_time_when_walking_is_faster() -> None:
    estimate = EstimatedTravelTimes()
    short = estimate.travel_time(ARRAS_TOWN_HALL, ARRAS_RUE_DE_DOUAI, TravelMode.PUBLIC_TRANSPORT)
    walk = estimate.travel_time(ARRAS_TOWN_HALL, ARRAS_RUE_DE_DOUAI, TravelMode.WALKING)
    assert short.travel_time_s == walk.travel_time_s
    assert "plus rapide à pied" in short.assumptions
    longer = estimate.travel_time(ARRAS_TOWN_HALL, BEAURAINS, TravelMode.PUBLIC_TRANSPORT)
    assert "ligne" in longer.assumptions and longer.travel_time_s >= 1200


def osrm_table(durations: list[float | None], distances: list[float | None]) -> dict[str, object]:
    return {"code": "Ok", "durations": [durations], "distances": [distances]}


def test_osrm_answers_are_routed_not_estimated(stub_server: StubServer) -> None:
    stub_server.answer(Reply(200, osrm_table([0, 412.3, None], [0, 2310.5, None])))
    provider = OsrmTravelTimes({TravelMode.CAR: stub_server.base_url}, timeout_s=2)
    near, unreachable = provider.travel_times(ARRAS_TOWN_HALL, [BEAURAINS, CADOURS], TravelMode.CAR)
    path, query = stub_server.requests[0]
    assert path == "/table/v1/driving/2.778515,50.293056;2.790000,50.266700;1.050428,43.729401"
    assert query == {"sources": ["0"], "annotations": ["duration,distance"]}
    assert (near.travel_time_s, near.distance_m, near.is_estimate) == (412, 2310.5, False)
    assert unreachable.is_estimate  # OSRM found no route: the estimate says so


@pytest.mark.parametrize(
    "reply",
    [Reply(500, {"message": "boom"}), Reply(200, {"code": "NoTable"}), Reply(200, b"<html>")],
)
def test_osrm_failures_fall_back_to_the_estimate(stub_server: StubServer, reply: Reply) -> None:
    stub_server.answer(reply)
    provider = OsrmTravelTimes({TravelMode.CAR: stub_server.base_url}, timeout_s=2)
    [trip] = provider.travel_times(ARRAS_TOWN_HALL, [BEAURAINS], TravelMode.CAR)
    assert trip.is_estimate and trip.method == "estimate"


def test_osrm_timeout_falls_back_to_the_estimate(stub_server: StubServer) -> None:
    stub_server.answer(Reply(200, osrm_table([0, 1.0], [0, 1.0]), delay_s=1.0))
    provider = OsrmTravelTimes({TravelMode.CAR: stub_server.base_url}, timeout_s=0.2)
    [trip] = provider.travel_times(ARRAS_TOWN_HALL, [BEAURAINS], TravelMode.CAR)
    assert trip.is_estimate


def test_modes_without_a_server_are_estimated(stub_server: StubServer) -> None:
    provider = OsrmTravelTimes({TravelMode.CAR: stub_server.base_url})
    [trip] = provider.travel_times(ARRAS_TOWN_HALL, [BEAURAINS], TravelMode.PUBLIC_TRANSPORT)
    assert trip.is_estimate and stub_server.requests == []


def test_provider_is_chosen_by_configuration() -> None:
    assert isinstance(make_travel_time_provider({}), EstimatedTravelTimes)
    osrm = make_travel_time_provider(
        {"TRAVEL_TIME_PROVIDER": "osrm", "OSRM_URL_CAR": "http://127.0.0.1:5000"}
    )
    assert isinstance(osrm, OsrmTravelTimes)
    with pytest.raises(GeodataError, match="OSRM_URL_CAR"):
        make_travel_time_provider({"TRAVEL_TIME_PROVIDER": "osrm"})
    with pytest.raises(GeodataError, match="inconnu"):
        make_travel_time_provider({"TRAVEL_TIME_PROVIDER": "valhalla"})
