"""Jinja filters and globals of the pages: phone links, distances, addresses, the territory."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import Flask, current_app

from directory.hours import format_day
from geodata.distance import distance_in_words
from geodata.travel_time import TRAVEL_MODE_LABELS


@dataclass(frozen=True)
class Territory:
    """The deploying territory's identity, from configuration (never from code)."""

    site_name: str
    name: str
    colour: str
    logo_url: str | None
    contact_email: str | None
    contact_phone: str | None


def territory_from(config: Mapping[str, Any]) -> Territory:
    return Territory(
        site_name=config["SITE_NAME"],
        name=config["TERRITORY_NAME"],
        colour=config["TERRITORY_COLOUR"],
        logo_url=config["TERRITORY_LOGO_URL"] or None,
        contact_email=config["TERRITORY_CONTACT_EMAIL"] or None,
        contact_phone=config["TERRITORY_CONTACT_PHONE"] or None,
    )


def tel(phone: str | None) -> str:
    """``03 21 00 00 00`` → ``+33321000000`` for a ``tel:`` link (other forms: digits kept)."""
    if not phone:
        return ""
    digits = "".join(ch for ch in phone if ch.isascii() and (ch.isdigit() or ch == "+"))
    if digits.startswith("0") and len(digits) == 10:
        return "+33" + digits[1:]
    return digits


def distance(metres: float | None) -> str:
    if metres is None:
        return ""
    return f"à {distance_in_words(metres)}"


def address_line(address: Mapping[str, Any] | None) -> str:
    if not address:
        return "Adresse non renseignée"
    parts = [address.get("street"), address.get("complement")]
    town = " ".join(p for p in (address.get("postcode"), address.get("city")) if p)
    return ", ".join(p for p in [*parts, town] if p) or "Adresse non renseignée"


def travel_mode(mode: str | None) -> str:
    """« à pied », « en voiture »… (the stored value is never shown)."""
    if not mode:
        return ""
    return next((label for key, label in TRAVEL_MODE_LABELS.items() if key == mode), "")


def status_class(partner: Mapping[str, Any]) -> str:
    is_open = partner.get("open_now")
    if is_open is None:
        return "status-unknown"
    return "status-open" if is_open else "status-closed"


def french_date(value: date | datetime | str | None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    if isinstance(value, datetime):
        value = value.date()
    return f"{format_day(value, with_weekday=False)} {value.year}"


def init_page_filters(app: Flask) -> None:
    app.jinja_env.filters.update(
        tel=tel,
        distance=distance,
        address_line=address_line,
        status_class=status_class,
        travel_mode=travel_mode,
        french_date=french_date,
    )

    @app.context_processor
    def _territory() -> dict[str, Any]:
        return {"territory": territory_from(current_app.config)}
