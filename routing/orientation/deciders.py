"""Who decides on a right for this person, from the catalogue (pure).

The catalogue lists the bodies that can decide (``deciders``) and, for rights where the
agricultural regime has its own fund, the one for its members (``agricultural_decider``,
the MSA). For a member of the agricultural regime that fund replaces the general-regime
funds (CAF, CARSAT, CPAM); bodies that decide for everybody (département, MDPH, CCAS…)
stay. Anybody else is never sent to the agricultural fund. Offices of the other regime's
fund (a CAF office for an MSA member, an MSA office for anybody else) are not proposed for
the right at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from urllib.parse import urlsplit

from directory.rights_catalogue import DECIDER_LABELS, RightContent
from routing.orientation.model import OnlineChannel, Profile

DECIDER_PARTNER_KINDS: Mapping[str, str] = MappingProxyType(
    {
        "caf": "caf",
        "msa": "msa",
        "cpam": "cpam",
        "carsat": "carsat",
        "france-travail": "france-travail",
        "departement": "mds",
        "ccas": "ccas",
    }
)
"""Kind of directory partner that is an office of each deciding body."""

DECIDER_WEBSITES: Mapping[str, OnlineChannel] = MappingProxyType(
    {
        "caf": OnlineChannel("Site officiel de la CAF : caf.fr", "https://www.caf.fr"),
        "msa": OnlineChannel("Site officiel de la MSA : msa.fr", "https://www.msa.fr"),
        "cpam": OnlineChannel(
            "Site officiel de l'Assurance maladie : ameli.fr", "https://www.ameli.fr"
        ),
        "carsat": OnlineChannel(
            "Site officiel de l'Assurance retraite : lassuranceretraite.fr",
            "https://www.lassuranceretraite.fr",
        ),
        "france-travail": OnlineChannel(
            "Site officiel de France Travail : francetravail.fr", "https://www.francetravail.fr"
        ),
    }
)
"""National websites of the funds, used to tell whether an online procedure is theirs."""


GENERAL_REGIME_FUNDS = frozenset({"caf", "carsat", "cpam"})
"""Funds of the general regime, replaced by the agricultural fund for its members."""


def deciders_for(right: RightContent, profile: Profile) -> tuple[str, ...]:
    """Deciding bodies for this person, fund first (``("caf", "departement")``)."""
    agricultural = right.agricultural_decider
    if agricultural is None:
        return right.deciders
    if profile.is_agricultural:
        common = [d for d in right.deciders if d not in GENERAL_REGIME_FUNDS | {agricultural}]
        return (agricultural, *common)
    others = tuple(d for d in right.deciders if d != agricultural)
    return others or right.deciders


def excluded_partner_kinds(right: RightContent, profile: Profile) -> frozenset[str]:
    """Partner kinds that are the other regime's fund for this right (never proposed)."""
    wanted = set(deciders_for(right, profile))
    return frozenset(
        DECIDER_PARTNER_KINDS[decider]
        for decider in right.deciders
        if decider in DECIDER_PARTNER_KINDS and decider not in wanted
    )


def decider_label(decider: str) -> str:
    return DECIDER_LABELS.get(decider, decider)


def _host(url: str) -> str:
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.").removeprefix("wwwd.")


def _belongs_to(url: str, decider: str) -> bool:
    website = DECIDER_WEBSITES.get(decider)
    if website is None:
        return False
    domain = _host(website.url)
    host = _host(url)
    return host == domain or host.endswith("." + domain)


def online_channel_for(right: RightContent, decider: str) -> OnlineChannel | None:
    """The catalogue's online procedure when it is this body's, else its official website.

    An online procedure on caf.fr is never offered to an MSA member: the MSA then gets its
    own website. Bodies without a national website (département, CCAS…) get the catalogue's
    procedure only when it belongs to no fund (e.g. the MDPH or chèque énergie sites).
    """
    online = right.online
    if online is not None and _belongs_to(online.url, decider):
        return OnlineChannel(online.label, online.url)
    if decider in DECIDER_WEBSITES:
        return DECIDER_WEBSITES[decider]
    if online is not None and not any(_belongs_to(online.url, d) for d in DECIDER_WEBSITES):
        return OnlineChannel(online.label, online.url)
    return None


def right_online_channel(right: RightContent, profile: Profile) -> OnlineChannel | None:
    """The catalogue's online procedure, when it suits this person's deciding body."""
    online = right.online
    if online is None:
        return None
    channels = [online_channel_for(right, decider) for decider in deciders_for(right, profile)]
    if any(c is not None and c.url == online.url for c in channels):
        return OnlineChannel(online.label, online.url)
    return None
