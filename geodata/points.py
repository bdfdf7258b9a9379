"""Checking a (lon, lat) point given by a person, a click on the map or another system."""

from __future__ import annotations

import math

from geodata.errors import InvalidLocation
from geodata.imports.divisions import FRANCE_LON_LAT_BOXES, is_in_france


def check_lon_lat(lon: float, lat: float) -> tuple[float, float]:
    """Return ``(lon, lat)`` as floats, or raise :class:`InvalidLocation` with a French reason.

    Refuses non-numbers, impossible coordinates, swapped latitude/longitude and points
    outside France (metropolitan, Corsica, overseas).
    """
    try:
        lon, lat = float(lon), float(lat)
    except (TypeError, ValueError) as exc:
        raise InvalidLocation("Coordonnées illisibles : longitude et latitude attendues.") from exc
    if not (math.isfinite(lon) and math.isfinite(lat)):
        raise InvalidLocation("Coordonnées illisibles : longitude et latitude attendues.")
    if not (-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0):
        if -90.0 <= lon <= 90.0 and -180.0 <= lat <= 180.0 and is_in_france(lat, lon):
            raise InvalidLocation(_swapped(lon, lat))
        raise InvalidLocation(
            f"Coordonnées impossibles (longitude {lon}, latitude {lat}) : la longitude va "
            "de -180 à 180 et la latitude de -90 à 90."
        )
    if not is_in_france(lon, lat):
        if is_in_france(lat, lon):
            raise InvalidLocation(_swapped(lon, lat))
        raise InvalidLocation(
            f"Ce point (longitude {lon}, latitude {lat}) est hors de France : "
            "aucune commune ne peut lui être associée."
        )
    return lon, lat


def _swapped(lon: float, lat: float) -> str:
    return (
        f"Latitude et longitude semblent inversées (longitude {lon}, latitude {lat}) : "
        f"l'ordre attendu est longitude puis latitude ({lat}, {lon} ?)."
    )


def is_metropolitan(lon: float, lat: float) -> bool:
    """Inside the box of metropolitan France and Corsica (the first of the French boxes)."""
    west, south, east, north = FRANCE_LON_LAT_BOXES[0]
    return west <= lon <= east and south <= lat <= north
