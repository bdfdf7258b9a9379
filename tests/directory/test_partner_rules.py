"""The partner rules, shared by edits and imports, against a small made-up reference."""

from __future__ import annotations

from dataclasses import replace

import pytest

from directory.partner_rules import (
    FIELD_LABELS,
    PartnerReference,
    describe_partner_errors,
    is_email_address,
    partner_value_errors,
)
from directory.values import PartnerValues, ServiceValues
from geodata.territories import TerritoryIndex
from tests.directory.search.factories import make_partner_values

REFERENCE = PartnerReference(
    TerritoryIndex(
        communes=frozenset({"62041", "62380"}),
        by_epci={"200033579": ["62041"]},
        by_departement={"62": ["62041", "62380"]},
    ),
    right_slugs=frozenset({"rsa", "cheque-energie"}),
)
VALUES = make_partner_values()


def test_acceptable_values_break_no_rule() -> None:
    assert partner_value_errors(VALUES, REFERENCE) == {}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"languages": ",".join(["fr"] * 40)}, "languages"),  # 119 characters, column of 100
        ({"phone": "0" * 41}, "phone"),
        ({"source_id": "x" * 81}, "source_id"),
        ({"services": (ServiceValues("rsa", "information", publics=("p" * 301,)),)}, "services"),
        ({"services": (ServiceValues("rsa", "information", source="s" * 301),)}, "services"),
        ({"areas": (("epci", "200000000"),)}, "areas"),
        ({"areas": (("departement", "99"),)}, "areas"),
        ({"areas": (("france", "FRANCE"),)}, "areas"),
        ({"areas": (("commune", "62041"), ("commune", "62041"))}, "areas"),
    ],
)
def test_values_too_long_for_their_column_or_unknown_areas_are_refused(
    overrides: dict[str, object], field: str
) -> None:
    assert field in partner_value_errors(replace(VALUES, **overrides), REFERENCE)


def test_an_import_may_give_no_service_area_but_an_edit_must() -> None:
    values = replace(VALUES, areas=())
    assert "areas" in partner_value_errors(values, REFERENCE)
    assert partner_value_errors(values, REFERENCE, require_area=False) == {}


def test_the_errors_read_as_one_french_line_naming_each_field() -> None:
    errors = partner_value_errors(replace(VALUES, postcode="620", street="x" * 251), REFERENCE)
    assert describe_partner_errors(errors) == (
        "« adresse » : Ce champ ne doit pas dépasser 250 caractères. ; "
        "« code postal » : Le code postal doit compter 5 chiffres."
    )


def test_every_rule_names_a_field_that_has_a_french_label() -> None:
    broken = PartnerValues(
        kind="banque", name=" ", source="", location=(999.0, 0.0), street="x" * 251,
        address_complement="x" * 251, postcode="1", city="x" * 101, insee_code="00000",
        phone="0" * 41, email="x", website="ftp://x", opening_hours="n'importe quand",
        accessibility="oui", languages="Français", appointment="jamais", source_id="x" * 81,
        source_licence="x" * 121, services=(ServiceValues("inconnu", "tout"),),
    )  # fmt: skip
    errors = partner_value_errors(broken, REFERENCE)
    assert len(errors) == 20
    assert errors.keys() <= FIELD_LABELS.keys()


@pytest.mark.parametrize(
    ("text", "expected"),
    [("accueil@mairie-arras.fr", True), (" a@b.fr ", True), ("a@b", False), ("a b@c.fr", False)],
)
def test_one_email_address_rule(text: str, expected: bool) -> None:
    assert is_email_address(text) is expected
