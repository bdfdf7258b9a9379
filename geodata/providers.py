"""Choose the geocoder and the travel-time provider from configuration (see docs/GEODATA.md).

Keys (Flask config or ``AIGUILLAGE_*`` environment variables, read by ``web/config.py``):

``GEOCODER_URL``
    Base URL of a BAN-compatible search API (``https://data.geopf.fr/geocodage``,
    ``https://api-adresse.data.gouv.fr`` or a self-hosted addok). Empty: offline only.
``GEOCODER_TIMEOUT_S`` (2.0), ``GEOCODER_RETRIES`` (1), ``GEOCODER_COOLDOWN_S`` (30)
    Per-attempt timeout, extra attempts after a timeout/5xx, pause after a failure.
``GEOCODER_PREFERRED_DEPARTEMENTS``
    Comma-separated codes of the territories served (``62,31``): homonyms there come first.
``TRAVEL_TIME_PROVIDER``
    ``estimate`` (default) or ``osrm``.
``OSRM_URL_CAR``, ``OSRM_URL_WALKING``, ``OSRM_TIMEOUT_S`` (2.0)
    One OSRM server per profile; a mode without a server keeps the estimate.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from geodata.errors import GeodataError
from geodata.geocoding.ban_api import BanApiGeocoder
from geodata.geocoding.offline import OfflineGeocoder
from geodata.geocoding.results import Geocoder
from geodata.osrm import OsrmTravelTimes
from geodata.travel_time import EstimatedTravelTimes, TravelMode, TravelTimeProvider


class InvalidGeodataSettings(GeodataError):
    code = "invalid_geodata_settings"


def _number(config: Mapping[str, Any], key: str, default: float) -> float:
    value = config.get(key)
    if value in (None, ""):
        return default
    try:
        return float(value)
    except (TypeError, ValueError) as exc:
        raise InvalidGeodataSettings(f"{key} doit être un nombre (reçu « {value} »).") from exc


def _codes(value: Any) -> tuple[str, ...]:
    if not value:
        return ()
    items = value.split(",") if isinstance(value, str) else list(value)
    return tuple(str(item).strip() for item in items if str(item).strip())


def preferred_departements(config: Mapping[str, Any]) -> tuple[str, ...]:
    """Départements served by this instance: their communes win over homonyms elsewhere."""
    return _codes(config.get("GEOCODER_PREFERRED_DEPARTEMENTS"))


def make_offline_geocoder(config: Mapping[str, Any]) -> OfflineGeocoder:
    return OfflineGeocoder(preferred_departements=preferred_departements(config))


def make_geocoder(config: Mapping[str, Any]) -> Geocoder:
    """The HTTP geocoder when ``GEOCODER_URL`` is set (with offline fallback), else offline.

    Build it once per process (it holds the in-memory gazetteer) and keep it, e.g. in
    ``app.extensions``.
    """
    offline = make_offline_geocoder(config)
    url = config.get("GEOCODER_URL")
    if not url:
        return offline
    if not str(url).startswith(("http://", "https://")):
        raise InvalidGeodataSettings(f"GEOCODER_URL doit commencer par http(s):// (« {url} »).")
    return BanApiGeocoder(
        str(url),
        offline,
        timeout_s=_number(config, "GEOCODER_TIMEOUT_S", 2.0),
        retries=int(_number(config, "GEOCODER_RETRIES", 1)),
        cooldown_s=_number(config, "GEOCODER_COOLDOWN_S", 30.0),
    )


def make_travel_time_provider(config: Mapping[str, Any]) -> TravelTimeProvider:
    kind = str(config.get("TRAVEL_TIME_PROVIDER") or "estimate").lower()
    if kind == "estimate":
        return EstimatedTravelTimes()
    if kind == "osrm":
        urls = {
            TravelMode.CAR: str(config.get("OSRM_URL_CAR") or ""),
            TravelMode.WALKING: str(config.get("OSRM_URL_WALKING") or ""),
        }
        if not any(urls.values()):
            raise InvalidGeodataSettings(
                "TRAVEL_TIME_PROVIDER=osrm demande OSRM_URL_CAR et/ou OSRM_URL_WALKING."
            )
        return OsrmTravelTimes(urls, timeout_s=_number(config, "OSRM_TIMEOUT_S", 2.0))
    raise InvalidGeodataSettings(
        f"TRAVEL_TIME_PROVIDER inconnu : « {kind} » (valeurs : estimate, osrm)."
    )
