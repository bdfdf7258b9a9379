"""Time zone and public-holiday calendar of a partner, from its département code.

The `holidays` package is our reference calendar: `holidays.France(subdiv=...)` knows the
national days, Alsace-Moselle (Good Friday and 26 December: subdivision ``57`` for Moselle,
``6AE`` for Bas-Rhin 67 and Haut-Rhin 68), the overseas départements (abolition of slavery,
Victor Schœlcher day, Mi-Carême in Guadeloupe…) and the overseas collectivities (``PM``, ``BL``,
``MF``, ``WF``, ``PF``, ``NC``). Whit Monday (lundi de Pentecôte) is a public holiday in this
calendar everywhere: it stays a legal public holiday even where it is worked as the "journée de
solidarité"; partners who open that day enter a closure with replacement hours.

French Polynesia (987) spans three time zones, so its communes need their INSEE code.
The French Southern Lands (984) and Clipperton (989) have no resident partners: rejected.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import lru_cache
from types import MappingProxyType
from zoneinfo import ZoneInfo

import holidays

from directory.hours.errors import AmbiguousTimeZone, UnknownTerritory

_PARIS = "Europe/Paris"
_METROPOLITAN_CODES = frozenset(
    [f"{number:02d}" for number in range(1, 96) if number != 20] + ["2A", "2B"]
)
_OVERSEAS_TIME_ZONES = {
    "971": "America/Guadeloupe",
    "972": "America/Martinique",
    "973": "America/Cayenne",
    "974": "Indian/Reunion",
    "975": "America/Miquelon",
    "976": "Indian/Mayotte",
    "977": "America/St_Barthelemy",
    "978": "America/Marigot",
    "986": "Pacific/Wallis",
    "988": "Pacific/Noumea",
}
POLYNESIA = "987"
"""French Polynesia: the only département whose time zone depends on the commune."""
# French Polynesia: Tahiti time (UTC-10) except the Marquesas (UTC-9:30) and Gambier (UTC-9).
_POLYNESIA_TIME_ZONES = {
    "98718": "Pacific/Marquesas",  # Fatu-Hiva
    "98723": "Pacific/Marquesas",  # Hiva-Oa
    "98731": "Pacific/Marquesas",  # Nuku-Hiva
    "98746": "Pacific/Marquesas",  # Tahuata
    "98756": "Pacific/Marquesas",  # Ua-Huka
    "98757": "Pacific/Marquesas",  # Ua-Pou
    "98719": "Pacific/Gambier",  # Gambier
}
_POLYNESIA_DEFAULT = "Pacific/Tahiti"
_HOLIDAY_SUBDIVISIONS = {
    "57": "57",
    "67": "6AE",
    "68": "6AE",
    "971": "971",
    "972": "972",
    "973": "973",
    "974": "974",
    "975": "PM",
    "976": "976",
    "977": "BL",
    "978": "MF",
    "986": "WF",
    "987": "PF",
    "988": "NC",
}


def normalize_departement_code(departement_code: str) -> str:
    """Return the canonical code (``"2a"`` → ``"2A"``) or raise `UnknownTerritory`."""
    code = departement_code.strip().upper()
    if code in _METROPOLITAN_CODES or code in _HOLIDAY_SUBDIVISIONS:
        return code
    raise UnknownTerritory(f"Département inconnu ou sans partenaire : « {departement_code} ».")


def timezone_for(departement_code: str, insee_code: str | None = None) -> ZoneInfo:
    """Time zone of a place; French Polynesia (987) also needs the commune's INSEE code."""
    code = normalize_departement_code(departement_code)
    if code in _METROPOLITAN_CODES:
        return ZoneInfo(_PARIS)
    if code == POLYNESIA:
        commune = (insee_code or "").strip()
        if not commune.startswith(POLYNESIA):
            raise AmbiguousTimeZone(
                "La Polynésie française a trois fuseaux horaires : "
                "le code INSEE de la commune est nécessaire."
            )
        return ZoneInfo(_POLYNESIA_TIME_ZONES.get(commune, _POLYNESIA_DEFAULT))
    return ZoneInfo(_OVERSEAS_TIME_ZONES[code])


def holiday_subdivision(departement_code: str) -> str | None:
    """Subdivision of `holidays.France` for this département (None: national calendar)."""
    return _HOLIDAY_SUBDIVISIONS.get(normalize_departement_code(departement_code))


def public_holidays(departement_code: str, year: int) -> Mapping[date, str]:
    """Public holidays of the département for one year, with their French names."""
    return _public_holidays(holiday_subdivision(departement_code), year)


@lru_cache(maxsize=512)
def _public_holidays(subdivision: str | None, year: int) -> Mapping[date, str]:
    calendar = holidays.country_holidays("FR", subdiv=subdivision, years=year, language="fr")
    return MappingProxyType({day: str(name) for day, name in sorted(calendar.items())})
