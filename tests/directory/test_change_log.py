"""The change log is written by the transaction that changes partners, at its commit, and
only then: operations, imports, deletions; it keeps a bounded window. Both backends."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

import directory.change_log as change_log
from directory.change_log import directory_generation, list_changes_after
from directory.imports.partner_sync import PartnerSource, sync_partners
from directory.models import PartnerChange
from directory.operations import create_partner, delete_partner, update_partner
from geodata.import_report import ImportReport
from tests.directory.search.factories import make_partner_values
from tests.directory.search.fake_index import InMemorySearchIndex

AT = datetime(2026, 12, 1, tzinfo=UTC)


def logged_after(session: Session, sequence: int) -> list[int]:
    return list(
        session.scalars(
            select(PartnerChange.partner_id)
            .where(PartnerChange.id > sequence)
            .order_by(PartnerChange.id)
        )
    )


def test_an_operation_is_logged_at_its_commit_and_never_when_rolled_back(
    session: Session,
) -> None:
    index = InMemorySearchIndex()
    before = directory_generation(session)
    created = create_partner(session, index, make_partner_values())
    session.flush()
    assert logged_after(session, before) == []  # flushed, not committed: nothing yet
    session.commit()
    assert logged_after(session, before) == [created.id]
    after_create = directory_generation(session)
    assert after_create > before

    update_partner(session, index, created.id, make_partner_values(name="[Test] Renommé"))
    session.rollback()
    assert directory_generation(session) == after_create  # rolled back: not logged

    delete_partner(session, index, created.id)
    session.commit()
    assert logged_after(session, after_create) == [created.id]  # the deletion too
    batch = list_changes_after(session, before, limit=10)
    assert batch.partner_ids == {created.id} and batch.complete
    assert batch.last_sequence == directory_generation(session)
    first_only = list_changes_after(session, before, limit=1)  # more than asked: a rebuild
    # PostgreSQL sequences leave gaps (a rolled-back transaction keeps its number): the
    # first change logged after ``before``, not ``before + 1``.
    assert not first_only.complete
    assert before < first_only.last_sequence < directory_generation(session)


def test_an_import_logs_the_partners_it_changed_only(session: Session) -> None:
    source = PartnerSource("test-journal", "Licence Ouverte", None)
    rows = [
        (1, make_partner_values(source=source.name, source_id="a", name="[Test] A")),
        (2, make_partner_values(source=source.name, source_id="b", name="[Test] B")),
    ]
    at = AT
    first = sync_partners(session, rows, ImportReport("test", "test.csv"), at)
    session.commit()
    before = directory_generation(session)
    renamed = [rows[0], (2, make_partner_values(source=source.name, source_id="b",
                                                 name="[Test] B renommé"))]  # fmt: skip
    sync_partners(session, renamed, ImportReport("test", "test.csv"), at)
    session.commit()
    assert logged_after(session, before) == [first.partners[2].id]


def test_the_log_keeps_a_bounded_window_of_rows(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(change_log, "KEPT_CHANGES", 3)
    index = InMemorySearchIndex()
    created = []
    for number in range(5):
        values = make_partner_values(name=f"[Test] Fenêtre {number}")
        created.append(create_partner(session, index, values).id)
        session.commit()
        with session.begin_nested() as savepoint:  # a rolled-back write: on PostgreSQL, a
            session.execute(insert(PartnerChange).values(partner_id=0, changed_at=AT))
            savepoint.rollback()  # sequence number consumed and no row (a gap)
    kept = list(session.scalars(select(PartnerChange.partner_id).order_by(PartnerChange.id)))
    assert kept == created[2:]  # three rows, whatever the gaps
