"""Travel times from an OSRM server (``/table/v1`` service), with the estimate as fallback.

One OSRM server serves one profile (``car``, ``foot``…), so each travel mode gets its own
base URL; modes without a server (public transport: OSRM has no timetables) and any
failure (timeout, connection, non-"Ok" answer, malformed JSON) fall back to
:class:`~geodata.travel_time.EstimatedTravelTimes`, whose answers say ``is_estimate=True``.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from typing import Any

import requests

from geodata.distance import geodesic_distance_m
from geodata.travel_time import EstimatedTravelTimes, LonLat, TravelMode, TravelTime

logger = logging.getLogger(__name__)

OSRM_PROFILES = {TravelMode.CAR: "driving", TravelMode.WALKING: "foot"}
MAX_DESTINATIONS = 100


class OsrmTravelTimes:
    """Routed travel times (``is_estimate=False``) for the modes that have a server."""

    method = "osrm"

    def __init__(
        self,
        base_urls: Mapping[TravelMode, str],
        *,
        timeout_s: float = 2.0,
        fallback: EstimatedTravelTimes | None = None,
        http: requests.Session | None = None,
    ) -> None:
        self.base_urls = {mode: url.rstrip("/") for mode, url in base_urls.items() if url}
        self.timeout_s = timeout_s
        self.fallback = fallback or EstimatedTravelTimes()
        self.http = http or requests.Session()

    def travel_times(
        self, origin: LonLat, destinations: Sequence[LonLat], mode: TravelMode
    ) -> list[TravelTime]:
        if mode not in self.base_urls or not destinations:
            return self.fallback.travel_times(origin, destinations, mode)
        results: list[TravelTime] = []
        for start in range(0, len(destinations), MAX_DESTINATIONS):
            chunk = destinations[start : start + MAX_DESTINATIONS]
            try:
                results.extend(self._table(origin, chunk, mode))
            except (requests.RequestException, ValueError) as exc:
                logger.warning("OSRM indisponible (%s) : temps de trajet estimés", exc)
                results.extend(self.fallback.travel_times(origin, chunk, mode))
        return results

    def _table(
        self, origin: LonLat, destinations: Sequence[LonLat], mode: TravelMode
    ) -> list[TravelTime]:
        points = ";".join(f"{lon:.6f},{lat:.6f}" for lon, lat in (origin, *destinations))
        profile = OSRM_PROFILES.get(mode, "driving")
        url = f"{self.base_urls[mode]}/table/v1/{profile}/{points}"
        response = self.http.get(
            url,
            params={"sources": "0", "annotations": "duration,distance"},
            timeout=self.timeout_s,
        )
        if response.status_code != 200:
            raise ValueError(f"réponse HTTP {response.status_code}")
        document: Any = response.json()
        if not isinstance(document, dict) or document.get("code") != "Ok":
            raise ValueError("réponse OSRM sans code « Ok »")
        durations = _first_row(document, "durations", len(destinations) + 1)
        distances = _first_row(document, "distances", len(destinations) + 1)
        results = []
        for index, destination in enumerate(destinations, start=1):
            straight_m = geodesic_distance_m(*origin, *destination)
            duration, distance = durations[index], distances[index]
            if duration is None or distance is None:
                results.append(self.fallback.travel_time(origin, destination, mode))
                continue
            results.append(
                TravelTime(
                    mode=mode,
                    travel_time_s=round(duration),
                    distance_m=round(distance, 1),
                    straight_distance_m=round(straight_m, 1),
                    is_estimate=False,
                    method=self.method,
                    assumptions="Itinéraire calculé sur le réseau OpenStreetMap (OSRM).",
                )
            )
        return results


def _first_row(document: dict[str, Any], key: str, size: int) -> list[float | None]:
    table = document.get(key)
    if not isinstance(table, list) or not table or not isinstance(table[0], list):
        raise ValueError(f"tableau « {key} » absent de la réponse OSRM")
    row = table[0]
    if len(row) != size:
        raise ValueError(f"tableau « {key} » de taille inattendue")
    values: list[float | None] = []
    for value in row:
        if value is None:
            values.append(None)
        elif isinstance(value, int | float) and math.isfinite(value) and value >= 0:
            values.append(float(value))
        else:
            raise ValueError(f"valeur invalide dans « {key} »")
    return values
