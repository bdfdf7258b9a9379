"""The data·inclusion mapping tables only use values of the bundled referentials."""

from __future__ import annotations

import json

from directory.exchange.mapping import (
    DATAINCLUSION_PUBLICS,
    HELP_LEVEL_TO_TYPE,
    KIND_TO_NETWORK,
    NETWORK_TO_KIND,
    RIGHT_TO_THEMES,
    area_of_zone,
    zone_code,
)
from directory.exchange.schema import DATAINCLUSION_DIR
from directory.rights_catalogue import RIGHT_SLUGS
from directory.vocabulary import HELP_LEVELS, PARTNER_KINDS


def referential(name: str) -> set[str]:
    items = json.loads((DATAINCLUSION_DIR / f"{name}.json").read_text(encoding="utf-8"))
    return {item["value"] for item in items}


def test_every_kind_has_an_explicit_network_or_none() -> None:
    assert set(KIND_TO_NETWORK) == set(PARTNER_KINDS)
    networks = {n for n in KIND_TO_NETWORK.values() if n is not None}
    assert networks <= referential("reseaux-porteurs")


def test_networks_read_back_to_our_kinds() -> None:
    assert set(NETWORK_TO_KIND) <= referential("reseaux-porteurs")
    for kind, network in KIND_TO_NETWORK.items():
        if network is not None:
            assert NETWORK_TO_KIND[network] == kind


def test_every_right_of_the_catalogue_has_thematiques_of_the_referential() -> None:
    assert set(RIGHT_TO_THEMES) == set(RIGHT_SLUGS)
    themes = {theme for values in RIGHT_TO_THEMES.values() for theme in values}
    assert themes <= referential("thematiques")


def test_help_levels_map_to_service_types() -> None:
    assert set(HELP_LEVEL_TO_TYPE) == set(HELP_LEVELS)
    assert set(HELP_LEVEL_TO_TYPE.values()) <= referential("types-de-services")


def test_publics_are_the_referential() -> None:
    assert referential("publics") == DATAINCLUSION_PUBLICS


def test_zone_codes_read_back_to_service_areas() -> None:
    for area in (("commune", "62041"), ("epci", "200033579"), ("departement", "2A")):
        assert area_of_zone(zone_code(*area)) == area
    assert area_of_zone(zone_code("france", "FR")) == ("france", "FR")
    assert area_of_zone("99100") == ("france", "FR")
    assert area_of_zone("99134") is None
    assert area_of_zone("２０００３３５７９") is None  # full-width digits are not a SIREN
