"""Which partners an account may act on: everything (administrateur), the partners whose
commune lies in their EPCI or départements (gestionnaire), their own partners (référent).

Every partner view and write goes through `get_partner_in_scope` (or filters its lists
with `partner_scope`), so that a URL typed by hand cannot reach another partner.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, func, or_, select, true
from sqlalchemy.orm import Session

from admin.errors import AdminError
from admin.models import User
from admin.roles import Action, Role, is_allowed
from directory.models import Partner
from directory.queries import get_partner
from geodata.models import Commune
from routing.bus.models import BusRoute, BusStop
from routing.bus.routes import get_bus_route


class OutOfScope(AdminError):
    """The account may not do this, or not on this partner."""

    code = "out_of_scope"


def territory_communes(user: User) -> ColumnElement[bool]:
    """``Commune`` rows of a gestionnaire's territory, as a condition on ``Commune``."""
    epcis = [area.code for area in user.areas if area.level == "epci"]
    departements = [area.code for area in user.areas if area.level == "departement"]
    conditions = []
    if epcis:
        conditions.append(Commune.epci_siren.in_(epcis))
    if departements:
        conditions.append(Commune.departement_code.in_(departements))
    return or_(*conditions) if conditions else false()


def partner_scope(user: User) -> ColumnElement[bool]:
    """A condition on ``Partner``: the partners this account may see."""
    role = user.role
    if role == Role.ADMINISTRATEUR:
        return true()
    if role == Role.GESTIONNAIRE:
        communes = select(Commune.insee_code).where(territory_communes(user))
        return Partner.insee_code.in_(communes.scalar_subquery())
    if role == Role.REFERENT and user.partner_ids:
        return Partner.id.in_(user.partner_ids)
    return false()


def is_commune_in_scope(session: Session, user: User, insee_code: str | None) -> bool:
    """May this account place a partner in this commune (create it there, move it there)?"""
    if user.role == Role.ADMINISTRATEUR:
        return True
    if user.role != Role.GESTIONNAIRE or not insee_code:
        return False
    query = select(Commune.insee_code).where(
        Commune.insee_code == insee_code, territory_communes(user)
    )
    return session.scalar(query) is not None


def require(user: User, action: Action) -> None:
    if not is_allowed(user.role, action):
        raise OutOfScope("Votre rôle ne permet pas cette action.")


def is_partner_in_scope(session: Session, user: User, partner_id: int) -> bool:
    query = select(Partner.id).where(Partner.id == partner_id, partner_scope(user))
    return session.scalar(query) is not None


def get_partner_in_scope(session: Session, user: User, partner_id: int, action: Action) -> Partner:
    """The partner, when this account may do ``action`` on it (raises `OutOfScope`,
    `PartnerNotFound`)."""
    require(user, action)
    if not is_partner_in_scope(session, user, partner_id):
        get_partner(session, partner_id)  # an id that does not exist is a 404, not a 403
        raise OutOfScope("Cette fiche ne fait pas partie de celles dont vous avez la charge.")
    return get_partner(session, partner_id)


def is_route_in_scope(session: Session, user: User, route_id: int) -> bool:
    """An administrateur and the coordinateur du bus act on every route; a gestionnaire on
    the routes whose every stop lies in their territory (a route without stops: no)."""
    if user.role in (Role.ADMINISTRATEUR, Role.COORDINATEUR_BUS):
        return True
    if user.role != Role.GESTIONNAIRE:
        return False
    inside = select(Commune.insee_code).where(territory_communes(user)).scalar_subquery()
    counts = session.execute(
        select(
            func.count(BusStop.id), func.count(BusStop.id).filter(BusStop.insee_code.in_(inside))
        ).where(BusStop.route_id == route_id)
    ).one()
    return bool(counts[0]) and counts[0] == counts[1]


def is_stop_commune_in_scope(session: Session, user: User, insee_code: str) -> bool:
    """May this account place a bus stop in this commune?"""
    if user.role in (Role.ADMINISTRATEUR, Role.COORDINATEUR_BUS):
        return True
    return is_commune_in_scope(session, user, insee_code)


def get_route_in_scope(session: Session, user: User, route_id: int, action: Action) -> BusRoute:
    """The route, when this account may do ``action`` on it (raises `OutOfScope`,
    `BusRouteNotFound`)."""
    require(user, action)
    route = get_bus_route(session, route_id)
    if not is_route_in_scope(session, user, route_id):
        raise OutOfScope("Cette tournée ne fait pas partie de celles dont vous avez la charge.")
    return route
