"""Maps of the pages, built with folium: the map itself and its tile layer come from
folium; the markers are added by our own script (`static/map.js`) from JSON, so that a page
never inlines thousands of markers and a popup never receives unescaped text.

Leaflet and the cluster plugin are served by the app (`static/vendor/`, from npm): folium's
default CDN files are never referenced.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

import folium
from branca.element import Figure
from markupsafe import Markup

# Marker of each kind of place: a letter (never colour alone) and a colour with a contrast
# of at least 4.5:1 against white text.
KIND_MARKERS: Mapping[str, tuple[str, str]] = {
    "france-services": ("F", "#1d4f91"),
    "mairie": ("M", "#4b4b4b"),
    "ccas": ("C", "#7a3b00"),
    "mds": ("D", "#6a1b7a"),
    "caf": ("A", "#0b6e4f"),
    "cpam": ("S", "#a21a1a"),
    "msa": ("G", "#3b6b00"),
    "carsat": ("R", "#8a4b00"),
    "france-travail": ("T", "#244a9b"),
    "mission-locale": ("J", "#7a2048"),
    "association": ("As", "#005f73"),
    "bus": ("B", "#b3261e"),
    "point-justice": ("PJ", "#3d3d8f"),
    "pmi": ("P", "#8f3d6b"),
    "clic": ("L", "#5c4d00"),
    "mdph": ("H", "#00566b"),
    "cidff": ("Fe", "#7a1f5c"),
    "adil": ("Lo", "#4d5c00"),
    "cicas": ("Rc", "#6b4a1f"),
    "conseiller-numerique": ("N", "#005c46"),
    "other": ("?", "#555555"),
}
_SCRIPT_OR_STYLE = re.compile(r"<(script|style)(?=[\s>])")


@dataclass(frozen=True)
class MapSettings:
    tile_url: str
    tile_attribution: str
    max_zoom: int


@dataclass(frozen=True)
class PageMap:
    """The map's container and its script, ready for a template (with the CSP nonce)."""

    body: Markup
    script: Markup


def settings_from(config: Mapping[str, Any]) -> MapSettings:
    return MapSettings(
        tile_url=str(config["MAP_TILE_URL"]),
        tile_attribution=str(config["MAP_TILE_ATTRIBUTION"]),
        max_zoom=int(config["MAP_MAX_ZOOM"]),
    )


def build_map(
    settings: MapSettings,
    *,
    bounds: tuple[float, float, float, float] | None = None,
    centre: tuple[float, float] | None = None,
    zoom: int = 13,
    data: Mapping[str, Any],
    nonce: str,
    css_class: str = "map",
    label: str,
) -> PageMap:
    """A folium map (tiles, view), and the JSON our script reads to add markers and layers.

    ``bounds`` is (west, south, east, north); ``centre`` is (lon, lat).
    """
    lon, lat = centre if centre is not None else (2.5, 46.6)
    figure_map = folium.Map(
        location=[lat, lon],
        zoom_start=zoom,
        tiles=None,
        max_zoom=settings.max_zoom,
        control_scale=True,
        prefer_canvas=False,
    )
    folium.TileLayer(
        tiles=settings.tile_url,
        attr=settings.tile_attribution,
        max_zoom=settings.max_zoom,
        name="Fond de carte",
    ).add_to(figure_map)
    if bounds is not None:
        west, south, east, north = bounds
        figure_map.fit_bounds([[south, west], [north, east]])
    figure = cast(Figure, figure_map.get_root())
    figure.render()
    div = figure.html.render()
    script = figure.script.render()
    payload = json.dumps(
        {"map": figure_map.get_name(), **data}, ensure_ascii=False, separators=(",", ":")
    ).replace("</", "<\\/")
    body = (
        f'<div class="{css_class}" role="region" aria-label="{Markup.escape(label)}">{div}</div>'
        f'<script type="application/json" id="map-data">{payload}</script>'
    )
    return PageMap(
        body=Markup(body),
        script=Markup(_with_nonce(f"<script>{script}</script>", nonce)),
    )


def _with_nonce(html: str, nonce: str) -> str:
    return _SCRIPT_OR_STYLE.sub(lambda m: f'<{m.group(1)} nonce="{nonce}"', html)


def point_features(partners: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Partner documents → the small features our script draws (escaped by the script)."""
    features = []
    for partner in partners:
        location = partner.get("location")
        if not location:
            continue
        features.append(
            {
                "id": partner["id"],
                "name": partner["name"],
                "kind": partner["kind"],
                "kind_label": partner["kind_label"],
                "status": partner["opening_status"],
                "lon": location["lon"],
                "lat": location["lat"],
            }
        )
    return features


def legend() -> list[dict[str, str]]:
    from directory.vocabulary import PARTNER_KIND_LABELS

    return [
        {"kind": kind, "letter": letter, "colour": colour, "label": PARTNER_KIND_LABELS[kind]}
        for kind, (letter, colour) in KIND_MARKERS.items()
        if kind in PARTNER_KIND_LABELS
    ]


def marker_styles() -> list[tuple[str, str, str]]:
    """(kind, letter, colour) of every marker, for the pages' style block."""
    return [(kind, letter, colour) for kind, (letter, colour) in KIND_MARKERS.items()]
