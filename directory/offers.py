"""Default services by kind of partner, read from ``data/offers/kind_offers.toml``."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from directory.errors import DirectoryError
from directory.values import ServiceValues
from directory.vocabulary import HELP_LEVELS, PARTNER_KINDS, SERVICE_AREA_LEVELS
from geodata.data_files import DATA_DIR

DEFAULT_OFFERS_FILE = DATA_DIR / "offers" / "kind_offers.toml"


class InvalidOffers(DirectoryError):
    code = "invalid_offers"


@dataclass(frozen=True)
class KindOffer:
    kind: str
    area_level: str
    services: tuple[ServiceValues, ...]


def load_kind_offers(path: Path = DEFAULT_OFFERS_FILE) -> dict[str, KindOffer]:
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InvalidOffers(f"{path.name} illisible : {exc}") from exc
    offers: dict[str, KindOffer] = {}
    for kind, entry in document.items():
        if kind not in PARTNER_KINDS:
            raise InvalidOffers(f"{path.name} : type de partenaire inconnu « {kind} »")
        if entry.get("area_level") not in SERVICE_AREA_LEVELS:
            raise InvalidOffers(f"{path.name} [{kind}] : area_level invalide")
        if entry.get("help_level") not in HELP_LEVELS:
            raise InvalidOffers(f"{path.name} [{kind}] : help_level invalide")
        if not entry.get("source"):
            raise InvalidOffers(f"{path.name} [{kind}] : la source de la règle est obligatoire")
        services = tuple(
            ServiceValues(
                right_slug=slug,
                help_level=entry["help_level"],
                description=entry.get("description"),
                publics=tuple(entry.get("publics", ())),
                source=entry.get("source"),
            )
            for slug in entry.get("rights", [])
        )
        offers[kind] = KindOffer(kind, entry["area_level"], services)
    return offers
