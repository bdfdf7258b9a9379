"""Field clean-up shared by the partner importers."""

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from directory.partner_rules import is_email_address
from geodata.import_report import ImportReport
from geodata.imports.divisions import parse_point
from geodata.models import Commune, FormerCommune

PHONE_DIGITS = re.compile(r"\D")


def clean_phone(text: str) -> str | None:
    """French numbers as ``03 21 00 00 00``; anything else is kept as written."""
    digits = PHONE_DIGITS.sub("", text)
    if digits.startswith("33") and len(digits) == 11:
        digits = "0" + digits[2:]
    if len(digits) == 10 and digits.startswith("0"):
        return " ".join(digits[i : i + 2] for i in range(0, 10, 2))
    return text.strip() or None


def clean_email(text: str) -> str | None:
    text = text.strip()
    return text if is_email_address(text) else None


def clean_website(text: str) -> str | None:
    text = text.strip()
    if not text:
        return None
    return text if text.startswith(("http://", "https://")) else f"https://{text}"


def parse_lon_lat(lon_text: str, lat_text: str) -> tuple[float, float] | None:
    """(lon, lat) of a point in France, None when both are empty; `ValueError` otherwise."""
    point = parse_point(lon_text, lat_text)
    return None if point is None else (point.x, point.y)


class CommuneResolver:
    """Current INSEE code for a code found in a file (old codes of merged communes included)."""

    def __init__(self, session: Session) -> None:
        centres = select(Commune.insee_code, func.ST_X(Commune.centre), func.ST_Y(Commune.centre))
        self._centres: dict[str, tuple[float, float] | None] = {
            code: (lon, lat) if lon is not None else None
            for code, lon, lat in session.execute(centres)
        }
        former = select(FormerCommune.insee_code, FormerCommune.current_insee_code).where(
            FormerCommune.insee_code != FormerCommune.current_insee_code
        )
        self._former = dict(session.execute(former).tuples().all())

    def resolve(self, code: str, line: int, report: ImportReport) -> str | None:
        if code in self._centres:
            return code
        current = self._former.get(code)
        if current is not None:
            report.warn(line, f"ancien code INSEE remplacé par {current} (commune nouvelle)", code)
            return current
        return None

    def centre(self, code: str) -> tuple[float, float] | None:
        return self._centres[code]
