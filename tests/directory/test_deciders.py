"""The deciding bodies: the bundled file, its sources, and rejection of broken files."""

from __future__ import annotations

from pathlib import Path

import pytest

from directory.deciders import (
    DEFAULT_DECIDERS_FILE,
    InvalidDeciders,
    bundled_deciders,
    decider_label,
    load_deciders,
)
from directory.links import is_https_url
from directory.rights_catalogue import DEFAULT_CATALOGUE_DIR, load_catalogue


def test_every_bundled_decider_states_its_source_and_consultation_date() -> None:
    deciders = load_deciders(DEFAULT_DECIDERS_FILE)
    assert set(deciders) == {
        "caf",
        "msa",
        "cpam",
        "carsat",
        "france-travail",
        "departement",
        "ccas",
        "etat",
        "other",
    }
    for decider in deciders.values():
        assert decider.source and decider.consulted_at.year >= 2026
        if decider.website is not None:
            assert is_https_url(decider.website.url)
            assert decider.website.url in decider.source


def test_every_decider_of_the_catalogue_is_in_the_file() -> None:
    used = {
        code
        for right in load_catalogue(DEFAULT_CATALOGUE_DIR)
        for code in (*right.deciders, right.agricultural_decider)
        if code is not None
    }
    assert used <= set(bundled_deciders())


def test_funds_have_an_office_kind_and_a_national_website() -> None:
    caf = bundled_deciders()["caf"]
    assert caf.partner_kind == "caf"
    assert caf.website is not None and caf.website.url == "https://www.caf.fr"
    assert bundled_deciders()["departement"].partner_kind == "mds"
    assert bundled_deciders()["etat"].website is None


def test_unknown_code_is_shown_as_is() -> None:
    assert decider_label("msa") == "Mutualité sociale agricole (MSA)"
    assert decider_label("prefecture") == "prefecture"


def test_a_broken_file_is_rejected_with_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "deciders.toml"
    path.write_text(
        """
[caf]
label = ""
partner_kind = "banque"
website = { label = "CAF", url = "http://www.caf.fr" }
source = "Site officiel"
consulted_at = "2026-12-03"
colour = "bleu"

[msa]
label = "MSA"
""",
        encoding="utf-8",
    )
    with pytest.raises(InvalidDeciders) as error:
        load_deciders(path)
    message = error.value.message
    for problem in (
        "[caf] clé inconnue « colour »",
        "[caf] « label » doit être un texte non vide",
        "[caf] type de partenaire inconnu « banque »",
        "[caf] « website »",
        "[caf] « consulted_at »",
        "[msa] « source » doit être un texte non vide",
        "[msa] « consulted_at »",
    ):
        assert problem in message


def test_an_unreadable_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "deciders.toml"
    path.write_text("[caf\n", encoding="utf-8")
    with pytest.raises(InvalidDeciders, match="illisible"):
        load_deciders(path)
