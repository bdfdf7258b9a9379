"""Configuration: defaults, then `AIGUILLAGE_*` environment variables, then explicit values."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

DEFAULTS: dict[str, Any] = {
    "DATABASE_URL": None,  # None: SpatiaLite file in the instance folder
    "SEARCH_INDEX_DIR": None,  # None: "search-index" in the instance folder
    "GEOCODER_URL": None,  # BAN / Géoplateforme / addok base URL; None: offline only
    "GEOCODER_TIMEOUT_S": 2.0,
    "GEOCODER_RETRIES": 1,
    # Homonyms are settled in favour of the territories this instance serves (TZNR 62 and 31).
    "GEOCODER_PREFERRED_DEPARTEMENTS": "62,31",
    "TRAVEL_TIME_PROVIDER": "estimate",
    "RATE_LIMIT_PER_MINUTE": 600,
    # Memory of each worker (see docs/API.md, « Caches »): matches of recent search words,
    # counted in partners (0: none), and how often partner cards are checked against the
    # directory, in seconds (0: on every request).
    "SEARCH_MATCH_CACHE_CANDIDATES": 200_000,
    "PARTNER_CARD_CACHE_CHECK_S": 2.0,
    "SECRET_KEY": None,
    "JSON_AS_ASCII": False,
}
INTEGER_KEYS = {"GEOCODER_RETRIES", "RATE_LIMIT_PER_MINUTE", "SEARCH_MATCH_CACHE_CANDIDATES"}
FLOAT_KEYS = {"GEOCODER_TIMEOUT_S", "PARTNER_CARD_CACHE_CHECK_S"}
ENV_PREFIX = "AIGUILLAGE_"


def _coerce(key: str, value: str) -> Any:
    if key in INTEGER_KEYS:
        return int(value)
    if key in FLOAT_KEYS:
        return float(value)
    return value


def load_config(
    instance_path: Path,
    explicit: Mapping[str, Any] | None,
    environ: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    environ = os.environ if environ is None else environ
    config = dict(DEFAULTS)
    for key, value in environ.items():
        if key.startswith(ENV_PREFIX):
            name = key.removeprefix(ENV_PREFIX)
            config[name] = _coerce(name, value)
    config.update(explicit or {})
    if not config["DATABASE_URL"]:
        config["DATABASE_URL"] = f"sqlite:///{instance_path / 'aiguillage.db'}"
    if not config["SEARCH_INDEX_DIR"]:
        config["SEARCH_INDEX_DIR"] = str(instance_path / "search-index")
    return config
