"""Who decides, from the real rights catalogue (pure: no database)."""

from __future__ import annotations

import pytest

from directory.rights_catalogue import DEFAULT_CATALOGUE_DIR, RightContent, load_right_file
from routing.orientation import Profile
from routing.orientation.deciders import (
    deciders_for,
    excluded_partner_kinds,
    online_channel_for,
    right_online_channel,
)

AGRICULTURAL = Profile(is_agricultural=True)


def right(slug: str) -> RightContent:
    return load_right_file(DEFAULT_CATALOGUE_DIR / f"{slug}.toml")


@pytest.mark.parametrize("slug", ["rsa", "prime-activite", "allocations-familiales", "aspa"])
def test_agricultural_regime_goes_to_the_msa(slug: str) -> None:
    deciders = deciders_for(right(slug), AGRICULTURAL)
    assert deciders[0] == "msa"
    assert not {"caf", "carsat", "cpam"} & set(deciders)
    assert "msa" not in deciders_for(right(slug), Profile())


def test_bodies_deciding_for_everybody_stay_for_msa_members() -> None:
    assert deciders_for(right("rsa"), AGRICULTURAL) == ("msa", "departement")
    assert deciders_for(right("aah"), AGRICULTURAL) == ("msa", "other")


def test_general_regime_goes_to_caf_for_family_benefits_and_carsat_for_aspa() -> None:
    assert deciders_for(right("prime-activite"), Profile()) == ("caf",)
    assert deciders_for(right("rsa"), Profile()) == ("caf", "departement")
    assert deciders_for(right("aspa"), Profile())[0] == "carsat"


def test_rights_without_agricultural_fund_ignore_the_regime() -> None:
    fsl = right("fsl")
    assert deciders_for(fsl, AGRICULTURAL) == deciders_for(fsl, Profile()) == ("departement",)


def test_the_other_regime_fund_is_excluded() -> None:
    assert excluded_partner_kinds(right("rsa"), AGRICULTURAL) == {"caf"}
    assert excluded_partner_kinds(right("rsa"), Profile()) == {"msa"}
    assert excluded_partner_kinds(right("aspa"), AGRICULTURAL) == {"carsat"}
    assert excluded_partner_kinds(right("are"), AGRICULTURAL) == frozenset()


def test_an_msa_member_is_never_sent_to_caf_fr() -> None:
    rsa = right("rsa")
    assert rsa.online is not None and "caf.fr" in rsa.online.url
    caf = online_channel_for(rsa, "caf")
    assert caf is not None and caf.url == rsa.online.url
    msa = online_channel_for(rsa, "msa")
    assert msa is not None and msa.url == "https://www.msa.fr"
    assert right_online_channel(rsa, AGRICULTURAL) is None
    assert right_online_channel(rsa, Profile()) == caf


def test_online_procedures_of_no_fund_go_to_bodies_without_a_website() -> None:
    cheque = right("cheque-energie")
    assert cheque.online is not None
    channel = online_channel_for(cheque, "etat")
    assert channel is not None and channel.url == cheque.online.url
    assert online_channel_for(right("fsl"), "departement") is None
    assert online_channel_for(right("rsa"), "departement") is None
