"""What needs a person's attention, within an account's scope: partners « à confirmer »
(`directory.confirmation`: their information is older than ``PARTNER_MAX_AGE_MONTHS``),
partners not verified for ``FRESHNESS_VERIFIED_MONTHS``, without hours, with a doubtful
position, new public error reports; and the same counts per département and per
intercommunality."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ColumnElement, Row, case, func, or_, select
from sqlalchemy.orm import Session

from admin.models import User
from admin.scope import partner_scope
from directory.confirmation import ConfirmationPolicy
from directory.models import ErrorReport, Partner
from geodata.models import Commune, Departement, Epci

QUEUE_LENGTH = 20


def stale_before(today: date, months: int) -> date:
    return today - timedelta(days=round(months * 30.44))


def is_to_confirm(policy: ConfirmationPolicy, today: date) -> ColumnElement[bool]:
    """« À confirmer »: no date, or older than the policy's age (see `ConfirmationPolicy`)."""
    return is_unverified(policy.oldest_current_date(today))


def is_unverified(limit: date) -> ColumnElement[bool]:
    return or_(Partner.verified_at.is_(None), Partner.verified_at < limit)


def has_no_hours() -> ColumnElement[bool]:
    return or_(Partner.opening_hours.is_(None), Partner.opening_hours == "")


@dataclass(frozen=True)
class Counts:
    partners: int
    unverified: int
    without_hours: int
    doubtful: int
    new_reports: int


@dataclass(frozen=True)
class TerritoryCounts:
    code: str
    name: str
    partners: int
    unverified: int
    without_hours: int
    doubtful: int


def _sums(limit: date) -> list[ColumnElement[int]]:
    def count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    return [
        func.count(Partner.id),
        count_if(is_unverified(limit)),
        count_if(has_no_hours()),
        count_if(Partner.is_location_doubtful.is_(True)),
    ]


def count_attention(session: Session, user: User, limit: date) -> Counts:
    scope = partner_scope(user)
    row = session.execute(select(*_sums(limit)).where(scope)).one()
    reports = session.scalar(
        select(func.count(ErrorReport.id))
        .join(Partner, Partner.id == ErrorReport.partner_id)
        .where(scope, ErrorReport.status == "nouveau")
    )
    return Counts(int(row[0]), int(row[1]), int(row[2]), int(row[3]), int(reports or 0))


def count_by_territory(
    session: Session, user: User, limit: date
) -> tuple[list[TerritoryCounts], list[TerritoryCounts]]:
    """(per département, per intercommunality) of the partners in scope."""
    scope = partner_scope(user)
    by_departement = session.execute(
        select(Departement.code, Departement.name, *_sums(limit))
        .join(Commune, Commune.departement_code == Departement.code)
        .join(Partner, Partner.insee_code == Commune.insee_code)
        .where(scope)
        .group_by(Departement.code, Departement.name)
        .order_by(Departement.code)
    ).all()
    by_epci = session.execute(
        select(Epci.siren, Epci.name, *_sums(limit))
        .join(Commune, Commune.epci_siren == Epci.siren)
        .join(Partner, Partner.insee_code == Commune.insee_code)
        .where(scope)
        .group_by(Epci.siren, Epci.name)
        .order_by(func.count(Partner.id).desc(), Epci.name)
        .limit(60)
    ).all()
    return [_territory(row) for row in by_departement], [_territory(row) for row in by_epci]


def _territory(row: Row[tuple[str, str, int, int, int, int]]) -> TerritoryCounts:
    return TerritoryCounts(str(row[0]), str(row[1]), *(int(value) for value in row[2:]))


def oldest_unverified(
    session: Session, user: User, limit: date
) -> list[Row[tuple[int, str, str | None, date | None]]]:
    return list(
        session.execute(
            select(Partner.id, Partner.name, Partner.city, Partner.verified_at)
            .where(partner_scope(user), is_unverified(limit))
            .order_by(Partner.verified_at.asc().nulls_first(), Partner.id)
            .limit(QUEUE_LENGTH)
        ).all()
    )


def partners_where(
    session: Session, user: User, condition: ColumnElement[bool]
) -> list[Row[tuple[int, str, str | None]]]:
    return list(
        session.execute(
            select(Partner.id, Partner.name, Partner.city)
            .where(partner_scope(user), condition)
            .order_by(Partner.name, Partner.id)
            .limit(QUEUE_LENGTH)
        ).all()
    )


def oldest_to_confirm(
    session: Session, user: User, policy: ConfirmationPolicy, today: date
) -> tuple[int, list[Row[tuple[int, str, str | None, date | None]]]]:
    """How many partners in scope are « à confirmer », and the oldest of them first."""
    condition = is_to_confirm(policy, today)
    scope = partner_scope(user)
    total = int(session.scalar(select(func.count(Partner.id)).where(scope, condition)) or 0)
    rows = session.execute(
        select(Partner.id, Partner.name, Partner.city, Partner.verified_at)
        .where(scope, condition)
        .order_by(Partner.verified_at.asc().nulls_first(), Partner.id)
        .limit(QUEUE_LENGTH)
    ).all()
    return total, list(rows)
