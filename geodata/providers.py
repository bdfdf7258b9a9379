"""Choose the geocoder and the travel-time provider from configuration (see docs/GEODATA.md).

The keys, their defaults and their meaning are listed once, in the application's settings
(``web/config.py``, docs/CONFIGURATION.md): ``GEOCODER_URL``, ``GEOCODER_TIMEOUT_S``,
``GEOCODER_RETRIES``, ``GEOCODER_COOLDOWN_S``, ``GEOCODER_PREFERRED_DEPARTEMENTS``,
``TRAVEL_TIME_PROVIDER`` (``estimate`` or ``osrm``), ``OSRM_URL_CAR``, ``OSRM_URL_WALKING``,
``OSRM_TIMEOUT_S``. A key missing from the mapping given here keeps the implementation's own
default (no geocoding service, estimated travel times, the constructors' timeouts).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypedDict

from geodata.errors import GeodataError
from geodata.geocoding.ban_api import BanApiGeocoder
from geodata.geocoding.offline import OfflineGeocoder
from geodata.geocoding.results import Geocoder
from geodata.osrm import OsrmTravelTimes
from geodata.travel_time import EstimatedTravelTimes, TravelMode, TravelTimeProvider


class InvalidGeodataSettings(GeodataError):
    code = "invalid_geodata_settings"


def _number(config: Mapping[str, Any], key: str) -> float | None:
    value = config.get(key)
    if value in (None, ""):
        return None
    try:
        return float(value)
    except (TypeError, ValueError) as exc:
        raise InvalidGeodataSettings(f"{key} doit être un nombre (reçu « {value} »).") from exc


class _GeocoderOptions(TypedDict, total=False):
    timeout_s: float
    retries: int
    cooldown_s: float


def _geocoder_options(config: Mapping[str, Any]) -> _GeocoderOptions:
    """The options set in ``config``; the others keep `BanApiGeocoder`'s defaults."""
    options: _GeocoderOptions = {}
    if (timeout_s := _number(config, "GEOCODER_TIMEOUT_S")) is not None:
        options["timeout_s"] = timeout_s
    if (retries := _number(config, "GEOCODER_RETRIES")) is not None:
        options["retries"] = int(retries)
    if (cooldown_s := _number(config, "GEOCODER_COOLDOWN_S")) is not None:
        options["cooldown_s"] = cooldown_s
    return options


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
    return BanApiGeocoder(str(url), offline, **_geocoder_options(config))


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
        timeout_s = _number(config, "OSRM_TIMEOUT_S")
        if timeout_s is None:
            return OsrmTravelTimes(urls)
        return OsrmTravelTimes(urls, timeout_s=timeout_s)
    raise InvalidGeodataSettings(
        f"TRAVEL_TIME_PROVIDER inconnu : « {kind} » (valeurs : estimate, osrm)."
    )
