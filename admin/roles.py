"""The four roles of the back office and what each may do (one table, checked server-side).

Where a role may act on partners, its *scope* narrows which ones (see `admin.scope`):
an administrateur acts on every partner, a gestionnaire de territoire on the partners of
their EPCI and départements, a référent partenaire on their own partner(s) only.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping


class Role(enum.StrEnum):
    ADMINISTRATEUR = "administrateur"
    GESTIONNAIRE = "gestionnaire"
    REFERENT = "referent"
    COORDINATEUR_BUS = "coordinateur-bus"


ROLE_LABELS: Mapping[Role, str] = {
    Role.ADMINISTRATEUR: "Administrateur",
    Role.GESTIONNAIRE: "Gestionnaire de territoire",
    Role.REFERENT: "Référent partenaire",
    Role.COORDINATEUR_BUS: "Coordinateur du bus",
}


class Action(enum.StrEnum):
    """What an account may be allowed to do; partner actions also need the partner in scope."""

    VIEW_PARTNER = "view-partner"
    EDIT_PARTNER = "edit-partner"
    CREATE_PARTNER = "create-partner"
    DELETE_PARTNER = "delete-partner"
    CONFIRM_PARTNER = "confirm-partner"
    IMPORT = "import"
    TRIAGE_REPORTS = "triage-reports"
    VIEW_DASHBOARD = "view-dashboard"
    VIEW_BUS = "view-bus"
    VIEW_RIGHTS = "view-rights"
    MERGE_PARTNERS = "merge-partners"
    EDIT_BUS = "edit-bus"
    """Routes, stops, rules and visits (a gestionnaire: routes of their territory only)."""
    IMPORT_BUS = "import-bus"
    """Load a schedule file, publish a proposed month: any route, so never territory-bound."""
    EDIT_RIGHTS = "edit-rights"
    """The plain-language texts of the rights catalogue, each change with its source."""


PERMISSIONS: Mapping[Role, frozenset[Action]] = {
    Role.ADMINISTRATEUR: frozenset(Action),
    Role.GESTIONNAIRE: frozenset(Action) - {Action.IMPORT_BUS, Action.EDIT_RIGHTS},
    Role.REFERENT: frozenset(
        {
            Action.VIEW_PARTNER,
            Action.EDIT_PARTNER,
            Action.CONFIRM_PARTNER,
            Action.TRIAGE_REPORTS,
            Action.VIEW_DASHBOARD,
            Action.VIEW_RIGHTS,
        }
    ),
    Role.COORDINATEUR_BUS: frozenset(
        {
            Action.VIEW_DASHBOARD,
            Action.VIEW_BUS,
            Action.VIEW_RIGHTS,
            Action.EDIT_BUS,
            Action.IMPORT_BUS,
        }
    ),
}
"""Role → allowed actions; bus actions of a gestionnaire are narrowed to their territory
(`admin.scope.get_route_in_scope`)."""

PARTNER_ROLES = frozenset({Role.ADMINISTRATEUR, Role.GESTIONNAIRE, Role.REFERENT})
"""Roles that act on partners (within their scope)."""


def is_allowed(role: str, action: Action) -> bool:
    try:
        return action in PERMISSIONS[Role(role)]
    except ValueError:  # a role that no longer exists: nothing
        return False


def role_label(role: str) -> str:
    try:
        return ROLE_LABELS[Role(role)]
    except ValueError:
        return role
