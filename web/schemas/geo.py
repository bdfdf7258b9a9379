"""Coordinates given in query strings: ``near=lon,lat``, ``bbox=west,south,east,north``.

Only places in France are accepted (checked by `geodata.points.check_lon_lat`, which also
recognises swapped latitude and longitude).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

import marshmallow as ma

from geodata.errors import InvalidLocation
from geodata.imports.divisions import FRANCE_LON_LAT_BOXES
from geodata.points import check_lon_lat

LON_LAT_EXAMPLE = "2.7772,50.2910"
# A decimal number written with ASCII digits: float() alone would also take « ٢.٧ », « 1_0 »,
# « nan » or surrounding spaces, none of which the documented pattern allows.
DECIMAL = r"-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?"
LON_LAT_PATTERN = rf"^{DECIMAL},{DECIMAL}$"
BBOX_PATTERN = rf"^{DECIMAL}(,{DECIMAL}){{3}}$"


def _numbers(value: object, pattern: str) -> list[float] | None:
    if not isinstance(value, str) or re.fullmatch(pattern, value) is None:
        return None
    numbers = [float(part) for part in value.split(",")]
    return numbers if all(math.isfinite(n) for n in numbers) else None


class LonLat(ma.fields.Field[tuple[float, float]]):
    """``"2.7772,50.2910"`` → ``(2.7772, 50.291)``, GeoJSON order, in France."""

    def __init__(self, **kwargs: Any) -> None:
        metadata = {
            "description": "Point « longitude,latitude » (WGS 84, ordre GeoJSON), en France.",
            "example": LON_LAT_EXAMPLE,
            "type": "string",
            "pattern": LON_LAT_PATTERN,
            **kwargs.pop("metadata", {}),
        }
        super().__init__(metadata=metadata, **kwargs)

    def _deserialize(
        self, value: object, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> tuple[float, float]:
        numbers = _numbers(value, LON_LAT_PATTERN)
        if numbers is None:
            raise ma.ValidationError("Format attendu : « longitude,latitude », ex. 2.7772,50.2910.")
        try:
            return check_lon_lat(*numbers)
        except InvalidLocation as exc:
            raise ma.ValidationError(exc.message) from exc


class Bbox(ma.fields.Field[tuple[float, float, float, float]]):
    """``"west,south,east,north"`` in degrees; must cross France."""

    def __init__(self, **kwargs: Any) -> None:
        metadata = {
            "description": "Emprise « ouest,sud,est,nord » en degrés (WGS 84).",
            "example": "2.6,50.2,2.9,50.4",
            "type": "string",
            "pattern": BBOX_PATTERN,
            **kwargs.pop("metadata", {}),
        }
        super().__init__(metadata=metadata, **kwargs)

    def _deserialize(
        self, value: object, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> tuple[float, float, float, float]:
        numbers = _numbers(value, BBOX_PATTERN)
        if numbers is None:
            raise ma.ValidationError("Format attendu : « ouest,sud,est,nord », en degrés.")
        west, south, east, north = numbers
        if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
            raise ma.ValidationError("Emprise invalide : il faut ouest < est et sud < nord.")
        if not any(
            w <= east and west <= e and s <= north and south <= n
            for w, s, e, n in FRANCE_LON_LAT_BOXES
        ):
            raise ma.ValidationError("Cette emprise ne recoupe pas la France.")
        return west, south, east, north


class PointSchema(ma.Schema):
    lon = ma.fields.Float(required=True, metadata={"description": "Longitude (WGS 84)"})
    lat = ma.fields.Float(required=True, metadata={"description": "Latitude (WGS 84)"})
