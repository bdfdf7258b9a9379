"""Geocoder over the BAN / Géoplateforme search API, or a self-hosted addok, with offline fallback.

Request: ``GET {base_url}/search/?q=…&limit=…&autocomplete=0|1``. Answer: a GeoJSON
FeatureCollection whose features have ``[lon, lat]`` points and the properties ``label``,
``score``, ``type`` (housenumber, street, locality, municipality), ``citycode``,
``postcode``, ``city`` and ``context``. Base URLs: ``https://api-adresse.data.gouv.fr``
(historical), ``https://data.geopf.fr/geocodage`` (Géoplateforme), or an addok server.

When the service times out, cannot be reached, answers 4xx/5xx or something that is not
such a FeatureCollection, the query is answered by the offline geocoder instead; those
results say so in their ``notes`` and keep their own (often coarser) precision. After a
failure the service is left alone for ``cooldown_s`` seconds, so a dead server does not add
its timeout to every request.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from dataclasses import replace
from typing import Any

import requests
from sqlalchemy.orm import Session

from geodata.geocoding.normalise import MAX_QUERY_CHARS, fold
from geodata.geocoding.offline import OfflineGeocoder
from geodata.geocoding.results import (
    BAN_API_SOURCE,
    MAX_SUGGESTIONS,
    PRECISION_NOTES,
    GeocodingResult,
    Precision,
)

logger = logging.getLogger(__name__)

MIN_QUERY_CHARS = 3
"""The BAN API refuses shorter queries (HTTP 400)."""
FALLBACK_NOTE = "service national d'adresses indisponible : résultat de la recherche locale"
BAN_TYPES = {
    "housenumber": Precision.HOUSENUMBER,
    "street": Precision.STREET,
    "locality": Precision.STREET,
    "municipality": Precision.COMMUNE,
}


class ServiceUnavailable(Exception):
    """The HTTP geocoder could not give a usable answer (internal: triggers the fallback)."""


class BanApiGeocoder:
    """HTTP geocoder (BAN, Géoplateforme or addok) that falls back to ``fallback``."""

    source = BAN_API_SOURCE

    def __init__(
        self,
        base_url: str,
        fallback: OfflineGeocoder,
        *,
        timeout_s: float = 2.0,
        retries: int = 1,
        cooldown_s: float = 30.0,
        http: requests.Session | None = None,
    ) -> None:
        self.search_url = base_url.rstrip("/") + "/search/"
        self.fallback = fallback
        self.timeout_s = timeout_s
        self.retries = max(0, retries)
        self.cooldown_s = cooldown_s
        self.http = http or requests.Session()
        self.http.headers.setdefault("User-Agent", "Aiguillage (geocodage)")
        self._down_until = 0.0
        self._lock = threading.Lock()

    def geocode(self, session: Session, query: str, *, limit: int = 5) -> list[GeocodingResult]:
        if not isinstance(query, str):
            return []
        limit = max(1, min(limit, 20))
        if _too_short(query):
            return self.fallback.geocode(session, query, limit=limit)
        try:
            return self._search(query, limit, autocomplete=False)
        except ServiceUnavailable as exc:
            logger.warning("géocodeur HTTP indisponible (%s) : recherche locale", exc)
            return _with_fallback_note(self.fallback.geocode(session, query, limit=limit))

    def autocomplete(
        self, session: Session, prefix: str, *, limit: int = MAX_SUGGESTIONS
    ) -> list[GeocodingResult]:
        if not isinstance(prefix, str):
            return []
        limit = max(1, min(limit, MAX_SUGGESTIONS))
        if _too_short(prefix):
            return self.fallback.autocomplete(session, prefix, limit=limit)
        try:
            return self._search(prefix, limit, autocomplete=True)
        except ServiceUnavailable as exc:
            logger.warning("géocodeur HTTP indisponible (%s) : recherche locale", exc)
            return _with_fallback_note(self.fallback.autocomplete(session, prefix, limit=limit))

    # -- HTTP ------------------------------------------------------------------------------

    def _search(self, query: str, limit: int, *, autocomplete: bool) -> list[GeocodingResult]:
        text = " ".join(query.split())[:MAX_QUERY_CHARS]
        with self._lock:
            if time.monotonic() < self._down_until:
                raise ServiceUnavailable("service en pause après une panne récente")
        params: dict[str, str | int] = {
            "q": text,
            "limit": limit,
            "autocomplete": 1 if autocomplete else 0,
        }
        problem = "aucune tentative"
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(min(0.2 * attempt, 1.0))
            try:
                response = self.http.get(self.search_url, params=params, timeout=self.timeout_s)
            except requests.Timeout:
                problem = f"délai de {self.timeout_s} s dépassé"
                continue
            except requests.RequestException as exc:
                problem = f"connexion impossible ({type(exc).__name__})"
                continue
            if response.status_code >= 500:
                problem = f"erreur HTTP {response.status_code}"
                continue
            if response.status_code != 200:
                self._mark_down()
                raise ServiceUnavailable(f"réponse HTTP {response.status_code}")
            try:
                return parse_feature_collection(response.json(), limit)
            except ValueError as exc:
                self._mark_down()
                raise ServiceUnavailable(f"réponse illisible : {exc}") from exc
        self._mark_down()
        raise ServiceUnavailable(problem)

    def _mark_down(self) -> None:
        with self._lock:
            self._down_until = time.monotonic() + self.cooldown_s


def _too_short(query: str) -> bool:
    """Queries the service would refuse (HTTP 400) are answered locally straight away."""
    return len(fold(query).replace(" ", "")) < MIN_QUERY_CHARS


def _with_fallback_note(results: list[GeocodingResult]) -> list[GeocodingResult]:
    return [replace(r, notes=(*r.notes, FALLBACK_NOTE)) for r in results]


def parse_feature_collection(document: Any, limit: int) -> list[GeocodingResult]:
    """Results from a BAN/addok GeoJSON answer; ``ValueError`` when it is not one."""
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise ValueError("une FeatureCollection GeoJSON est attendue")
    features = document.get("features")
    if not isinstance(features, list):
        raise ValueError("la liste « features » est absente")
    results = [r for r in (_feature(f) for f in features) if r is not None]
    if features and not results:
        raise ValueError("aucun résultat exploitable dans la réponse")
    return sorted(results, key=lambda r: -r.score)[:limit]


def _feature(feature: Any) -> GeocodingResult | None:
    """One result, or None for a feature that does not follow the format."""
    if not isinstance(feature, dict):
        return None
    geometry, properties = feature.get("geometry"), feature.get("properties")
    if not isinstance(geometry, dict) or not isinstance(properties, dict):
        return None
    coordinates = geometry.get("coordinates")
    if geometry.get("type") != "Point" or not isinstance(coordinates, list | tuple):
        return None
    if len(coordinates) < 2:
        return None
    try:
        lon, lat, score = float(coordinates[0]), float(coordinates[1]), float(properties["score"])
    except (KeyError, TypeError, ValueError):
        return None
    precision = BAN_TYPES.get(str(properties.get("type")))
    label, citycode = properties.get("label"), properties.get("citycode")
    if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
        return None
    if precision is None or not isinstance(label, str) or not isinstance(citycode, str):
        return None
    notes = [PRECISION_NOTES[precision]]
    if properties.get("type") == "locality":
        notes.append("lieu-dit")
    postcode = properties.get("postcode")
    return GeocodingResult(
        label=label,
        lon=lon,
        lat=lat,
        insee_code=citycode,
        city=str(properties.get("city") or ""),
        postcode=postcode if isinstance(postcode, str) and postcode else None,
        precision=precision,
        score=round(max(0.0, min(1.0, score)), 3),
        context=str(properties.get("context") or ""),
        source=BAN_API_SOURCE,
        notes=tuple(notes),
    )
