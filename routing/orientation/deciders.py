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

from urllib.parse import urlsplit

from directory.deciders import bundled_deciders
from directory.links import OnlineProcedure
from directory.rights_catalogue import RightContent
from routing.orientation.request import Profile

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
    known = bundled_deciders()
    return frozenset(
        kind
        for decider in right.deciders
        if decider not in wanted
        and decider in known
        and (kind := known[decider].partner_kind) is not None
    )


def is_office_of(partner_kind: str, decider: str) -> bool:
    """A partner of this kind is an office of the body (a body without offices of its own
    kind, e.g. "other", is served by any partner that is no other body's office)."""
    known = bundled_deciders()
    own_kind = known[decider].partner_kind if decider in known else None
    if own_kind is not None:
        return partner_kind == own_kind
    return partner_kind not in {d.partner_kind for d in known.values()}


def _host(url: str) -> str:
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.").removeprefix("wwwd.")


def _website(decider: str) -> OnlineProcedure | None:
    found = bundled_deciders().get(decider)
    return found.website if found is not None else None


def _belongs_to(url: str, decider: str) -> bool:
    website = _website(decider)
    if website is None:
        return False
    domain = _host(website.url)
    host = _host(url)
    return host == domain or host.endswith("." + domain)


def online_channel_for(right: RightContent, decider: str) -> OnlineProcedure | None:
    """The catalogue's online procedure when it is this body's, else its official website.

    An online procedure on caf.fr is never offered to an MSA member: the MSA then gets its
    own website. Bodies without a national website (département, CCAS…) get the catalogue's
    procedure only when it belongs to no fund (e.g. the MDPH or chèque énergie sites).
    """
    online = right.online
    if online is not None and _belongs_to(online.url, decider):
        return online
    website = _website(decider)
    if website is not None:
        return website
    if online is not None and not any(_belongs_to(online.url, d) for d in bundled_deciders()):
        return online
    return None


def right_online_channel(right: RightContent, profile: Profile) -> OnlineProcedure | None:
    """The catalogue's online procedure, when it suits this person's deciding body."""
    online = right.online
    if online is None:
        return None
    channels = [online_channel_for(right, decider) for decider in deciders_for(right, profile)]
    if any(c is not None and c.url == online.url for c in channels):
        return online
    return None
