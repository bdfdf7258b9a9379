"""Made-up partners for the search tests: names start with « [Test] », the source is
"test-recherche" and ``is_demo`` is set, wherever they appear."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from directory.values import PartnerValues, ServiceValues


def make_partner_values(**overrides: Any) -> PartnerValues:
    """A made-up partner in Arras (62041), clearly marked as a test fixture."""
    values = PartnerValues(
        kind="association",
        name="[Test] Association d'aide aux démarches",
        source="test-recherche",
        location=(2.7775, 50.2910),
        street="[Test] 1 rue inventée",
        postcode="62000",
        city="Arras",
        insee_code="62041",
        opening_hours="Mo-Fr 09:00-12:00,14:00-17:00; PH off",
        accessibility="accessible",
        appointment="sans-rdv",
        is_demo=True,
        services=(ServiceValues("cheque-energie", "accompagnement"),),
        areas=(("commune", "62041"),),
    )
    return replace(values, **overrides)
