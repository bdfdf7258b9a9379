"""Process-wide engines of the API, built once per worker from the configuration."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import current_app

from directory.card_cache import PartnerCardCache
from directory.search import WhooshSearchIndex, open_search_index
from geodata.geocoding.results import Geocoder
from geodata.providers import make_geocoder, make_travel_time_provider
from geodata.travel_time import TravelTimeProvider
from routing.bilan import BenefitEngine
from routing.bilan.openfisca import OpenFiscaFrance


def _cached(key: str, build: Any) -> Any:
    extensions = current_app.extensions
    if key not in extensions:
        extensions[key] = build()
    return extensions[key]


def geocoder() -> Geocoder:
    found: Geocoder = _cached("aiguillage.geocoder", lambda: make_geocoder(current_app.config))
    return found


def travel_times() -> TravelTimeProvider:
    found: TravelTimeProvider = _cached(
        "aiguillage.travel_times", lambda: make_travel_time_provider(current_app.config)
    )
    return found


def search_index_dir() -> Path:
    return Path(current_app.config["SEARCH_INDEX_DIR"])


def search_index() -> WhooshSearchIndex:
    """The index of ``SEARCH_INDEX_DIR``; raises `IndexUnavailable` (503) if never built."""
    candidates = int(current_app.config["SEARCH_MATCH_CACHE_CANDIDATES"])
    return open_search_index(search_index_dir(), match_cache_candidates=candidates)


def partner_cards() -> PartnerCardCache:
    """This worker's partner cards, checked against the directory every
    ``PARTNER_CARD_CACHE_CHECK_S`` seconds (0: on every request)."""
    check_s = float(current_app.config["PARTNER_CARD_CACHE_CHECK_S"])
    found: PartnerCardCache = _cached(
        "aiguillage.partner_cards", lambda: PartnerCardCache(check_s=check_s)
    )
    return found


def benefit_engine() -> BenefitEngine:
    """The engine of the bilan des droits: OpenFisca-France, whose tax-benefit system is
    loaded on the first bilan and kept for the life of the process (one per worker)."""
    found: BenefitEngine = _cached("aiguillage.benefit_engine", OpenFiscaFrance)
    return found
