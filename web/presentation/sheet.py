"""The printable orientation sheet: one right, one place, what to bring, a plan, a QR code
and a text to copy into an SMS."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import segno
from flask import render_template, url_for
from markupsafe import Markup

from geodata.distance import METRES_PER_DEGREE_LAT
from web.page_filters import address_line
from web.presentation.sms import sms_text

PLAN_SIZE = 240


@dataclass(frozen=True)
class OrientationSheet:
    right_name: str
    right_slug: str
    place_label: str
    result: dict[str, Any] | None  # the chosen ranked partner (orientation document)
    documents: list[str]
    deciders: list[dict[str, Any]]
    remote: list[dict[str, Any]]
    qr_svg: Markup | None
    partner_url: str | None
    plan_svg: Markup | None
    sms: str
    at: Any


def orientation_sheet(answer: dict[str, Any], chosen_partner: str) -> OrientationSheet:
    right = answer["rights"][0]
    results = [r for r in answer["results"] if r["right"] == right["slug"]]
    chosen = next((r for r in results if str(r["partner"]["id"]) == chosen_partner), None)
    result = chosen or (results[0] if results else None)
    place = answer["query"]["place"]
    partner_url = (
        url_for("partner_pages.partner", partner_id=result["partner"]["id"], _external=True)
        if result
        else None
    )
    return OrientationSheet(
        right_name=right["name"],
        right_slug=right["slug"],
        place_label=place["label"],
        result=result,
        documents=right["documents"],
        deciders=right["deciders"],
        remote=[r for r in answer["remote"] if r["right"] == right["slug"]],
        qr_svg=_qr(partner_url) if partner_url else None,
        partner_url=partner_url,
        plan_svg=_plan(place, result) if result else None,
        sms=_sms(right, result, partner_url),
        at=answer["query"]["at"],
    )


def _qr(url: str) -> Markup:
    qr = segno.make(url, error="m")
    svg = qr.svg_inline(scale=3, title="Code QR vers la fiche du lieu", svgclass="qr")
    return Markup(svg)


def _sms(right: dict[str, Any], result: dict[str, Any] | None, url: str | None) -> str:
    if result is None:
        online = next((d["online"] for d in right["deciders"] if d.get("online")), None)
        where = f"Demande en ligne : {online['url']}" if online else ""
        return sms_text([f"{right['short_name'] or right['name']} :", where], [])
    partner = result["partner"]
    parts = [
        f"{right['short_name'] or right['name']} : {partner['name']},",
        address_line(partner["address"]) + ".",
        result["opening_status"] + ".",
    ]
    optional = []
    if partner.get("phone"):
        optional.append(f"Tel {partner['phone']}.")
    if url:
        optional.append(url)
    if right["documents"]:
        optional.append(
            "A apporter : " + "; ".join(d.split(" (")[0] for d in right["documents"][:3]) + "."
        )
    return sms_text(parts, optional)


def _plan(place: dict[str, Any], result: dict[str, Any]) -> Markup | None:
    """A plan without a background map: where the place is from the person's address."""
    location = result["partner"].get("location")
    if not location or place.get("lon") is None:
        return None
    lon0, lat0 = place["lon"], place["lat"]
    lon1, lat1 = location["lon"], location["lat"]
    scale_x = math.cos(math.radians((lat0 + lat1) / 2)) * METRES_PER_DEGREE_LAT
    dx, dy = (lon1 - lon0) * scale_x, (lat1 - lat0) * METRES_PER_DEGREE_LAT
    span = max(abs(dx), abs(dy), 200.0) * 1.3
    half = PLAN_SIZE / 2
    factor = (PLAN_SIZE / 2 - 24) / (span / 2)
    x1, y1 = half + dx / 2 * factor, half - dy / 2 * factor
    x0, y0 = half - dx / 2 * factor, half + dy / 2 * factor
    bar_m = _round_length(span / 3)
    bar_px = bar_m * factor
    distance = result.get("distance_m") or math.hypot(dx, dy)
    svg = render_template(
        "print/plan.svg",
        size=PLAN_SIZE,
        name=result["partner"]["name"],
        distance_km=f"{distance / 1000:.1f}".replace(".", ","),
        bearing=_bearing(dx, dy),
        home=(x0, y0),
        target=(x1, y1),
        bar_px=bar_px,
        bar_text=_length_text(bar_m),
    )
    return Markup(svg)


def _round_length(metres: float) -> float:
    power = 10 ** math.floor(math.log10(max(metres, 1)))
    for step in (5, 2, 1):
        if step * power <= metres:
            return float(step * power)
    return float(power)


def _length_text(metres: float) -> str:
    return f"{metres / 1000:g} km" if metres >= 1000 else f"{metres:g} m"


def _bearing(dx: float, dy: float) -> str:
    names = ("nord", "nord-est", "est", "sud-est", "sud", "sud-ouest", "ouest", "nord-ouest")
    angle = (math.degrees(math.atan2(dx, dy)) + 360) % 360
    return names[round(angle / 45) % 8]
