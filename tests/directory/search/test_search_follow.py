"""An index follows the changes committed through another server (another index) from the
change log, and is rebuilt when it cannot (too far behind, another database). Real whoosh
index copies of the bundled data, both backends; writes rolled back."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from directory.operations import create_partner, update_partner
from directory.search import (
    SearchRequest,
    WhooshSearchIndex,
    forget_search_index,
    index_status,
    open_search_index,
    search_partners,
)
from directory.search.follow import catch_up
from directory.search.index_position import (
    IndexPosition,
    index_lock,
    read_index_position,
    write_index_position,
)
from tests.directory.search.factories import make_partner_values
from tests.directory.search.fake_index import InMemorySearchIndex


@pytest.fixture
def our_index_dir(bundled_index: WhooshSearchIndex, tmp_path: Path) -> Iterator[Path]:
    """This server's index: a copy of the bundled one, at its position in the log."""
    copy = tmp_path / "index"
    shutil.copytree(bundled_index.index_dir, copy)
    yield copy
    forget_search_index(copy)


def names(session: Session, index_dir: Path, text: str) -> list[str]:
    page = search_partners(session, open_search_index(index_dir), SearchRequest(text=text))
    return [hit.name for hit in page.hits]


def test_changes_made_through_another_server_are_caught_up(
    session: Session, our_index_dir: Path
) -> None:
    elsewhere = InMemorySearchIndex()  # the other server's index: ours is not written
    created = create_partner(session, elsewhere, make_partner_values(name="[Test] Zyxvoulu"))
    session.commit()
    assert names(session, our_index_dir, "zyxvoulu") == []
    assert not index_status(session, our_index_dir).in_step

    result = catch_up(session, our_index_dir)

    assert result.reindexed == 1 and result.rebuilt_because is None
    assert names(session, our_index_dir, "zyxvoulu") == ["[Test] Zyxvoulu"]
    status = index_status(session, our_index_dir)
    assert status.in_step and status.sequence == status.database_sequence
    update_partner(session, elsewhere, created.id, make_partner_values(name="[Test] Wuvkordi"))
    session.commit()
    assert catch_up(session, our_index_dir).reindexed == 1
    assert names(session, our_index_dir, "zyxvoulu") == []
    assert names(session, our_index_dir, "wuvkordi") == ["[Test] Wuvkordi"]
    assert catch_up(session, our_index_dir).reindexed == 0  # nothing new


def test_an_index_of_another_database_is_rebuilt_not_trusted(
    session: Session, our_index_dir: Path
) -> None:
    position = read_index_position(our_index_dir)
    assert position is not None and position.sequence > 0
    write_index_position(our_index_dir, IndexPosition(position.sequence, None))  # not ours
    elsewhere = InMemorySearchIndex()
    create_partner(session, elsewhere, make_partner_values(name="[Test] Qorvantel"))
    session.commit()
    assert index_status(session, our_index_dir).state == "a-reconstruire"

    result = catch_up(session, our_index_dir, wait=True)

    assert result.rebuilt_because is not None and "autre base" in result.rebuilt_because
    assert names(session, our_index_dir, "qorvantel") == ["[Test] Qorvantel"]
    assert index_status(session, our_index_dir).in_step


def test_a_process_finding_the_index_busy_leaves_it_to_the_holder(
    session: Session, our_index_dir: Path
) -> None:
    create_partner(session, InMemorySearchIndex(), make_partner_values())
    session.commit()
    with index_lock(our_index_dir):
        result = catch_up(session, our_index_dir)
    assert result.busy and result.reindexed == 0
    assert not index_status(session, our_index_dir).in_step
