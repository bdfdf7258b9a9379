"""How current a partner is, at frozen dates: « confirmé », « à jour » or « à confirmer »."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.confirmation import (
    ConfirmationPolicy,
    ConfirmationState,
    staleness_warning,
)
from directory.imports.annuaire import SOURCE, import_annuaire
from directory.imports.bundle import ANNUAIRE_FILE, DATA_DIR
from directory.models import Partner
from directory.offers import load_kind_offers
from tests.conftest import IMPORT_INSTANT

POLICY = ConfirmationPolicy()  # 24 months, the default
DECEMBER_2026 = date(2026, 12, 3)
FRANCE_SERVICES_LIST = date(2024, 8, 1)
ANNUAIRE_CAF_MURET = date(2017, 9, 11)


@pytest.mark.parametrize(
    ("today", "months", "oldest"),
    [
        (date(2026, 12, 3), 24, date(2024, 12, 3)),
        (date(2026, 3, 31), 1, date(2026, 2, 28)),
        (date(2028, 2, 29), 12, date(2027, 2, 28)),
        (date(2027, 1, 15), 13, date(2025, 12, 15)),
    ],
)
def test_the_oldest_current_date_is_the_same_day_months_before(
    today: date, months: int, oldest: date
) -> None:
    assert ConfirmationPolicy(months).oldest_current_date(today) == oldest


def test_an_imported_row_is_current_until_its_source_is_older_than_the_age() -> None:
    assert POLICY.state(FRANCE_SERVICES_LIST, FRANCE_SERVICES_LIST, date(2026, 8, 1)) is (
        ConfirmationState.CURRENT
    )
    assert POLICY.state(FRANCE_SERVICES_LIST, FRANCE_SERVICES_LIST, date(2026, 8, 2)) is (
        ConfirmationState.TO_CONFIRM
    )
    assert POLICY.state(ANNUAIRE_CAF_MURET, ANNUAIRE_CAF_MURET, DECEMBER_2026) is (
        ConfirmationState.TO_CONFIRM
    )
    longer = ConfirmationPolicy(max_age_months=120)
    assert longer.state(ANNUAIRE_CAF_MURET, ANNUAIRE_CAF_MURET, DECEMBER_2026) is (
        ConfirmationState.CURRENT
    )


def test_a_person_confirms_a_row_until_that_confirmation_is_old_in_turn() -> None:
    confirmed_on = date(2026, 11, 30)
    assert POLICY.state(confirmed_on, ANNUAIRE_CAF_MURET, DECEMBER_2026) is (
        ConfirmationState.CONFIRMED
    )
    assert POLICY.state(confirmed_on, None, DECEMBER_2026) is ConfirmationState.CONFIRMED
    assert POLICY.state(confirmed_on, ANNUAIRE_CAF_MURET, date(2028, 12, 1)) is (
        ConfirmationState.TO_CONFIRM
    )


def test_a_row_without_date_is_to_confirm() -> None:
    assert POLICY.state(None, None, DECEMBER_2026) is ConfirmationState.TO_CONFIRM
    assert staleness_warning(ConfirmationState.TO_CONFIRM, None) == (
        "Informations sans date, à vérifier par téléphone avant de vous déplacer"
    )


def test_the_warning_names_the_year_of_the_information() -> None:
    assert staleness_warning(ConfirmationState.TO_CONFIRM, ANNUAIRE_CAF_MURET) == (
        "Informations de 2017, à vérifier par téléphone avant de vous déplacer"
    )
    assert staleness_warning(ConfirmationState.CURRENT, FRANCE_SERVICES_LIST) is None
    assert staleness_warning(ConfirmationState.CONFIRMED, DECEMBER_2026) is None


def test_an_age_below_one_month_is_refused() -> None:
    with pytest.raises(ValueError, match="max_age_months"):
        ConfirmationPolicy(0)


def test_a_new_import_keeps_the_date_a_person_confirmed(session: Session) -> None:
    caf = session.scalars(
        select(Partner).where(Partner.source == SOURCE.name, Partner.source_id == "caf-31395-01")
    ).one()
    assert caf.verified_at == ANNUAIRE_CAF_MURET
    caf.verified_at = DECEMBER_2026  # what directory.upkeep.confirm_partner records
    session.flush()

    report = import_annuaire(
        session,
        DATA_DIR / "reference" / ANNUAIRE_FILE,
        load_kind_offers(),
        IMPORT_INSTANT + timedelta(days=30),
    )

    assert report.updated == 0 and report.created == 0
    session.refresh(caf)
    assert caf.verified_at == DECEMBER_2026
    assert caf.source_date == ANNUAIRE_CAF_MURET
    assert POLICY.state(caf.verified_at, caf.source_date, DECEMBER_2026) is (
        ConfirmationState.CONFIRMED
    )
