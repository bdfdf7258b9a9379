"""The search index when things go wrong on disk.

* Missing or damaged at a server's start: `ensure_index` rebuilds it from the database and
  says so in the log; a damaged index is also replaced by any full build.
* Disk full while writing (a full rebuild or the write after a commit): the previous index
  keeps serving, and once space is back the next write succeeds (the write lock was
  released). The full disk is simulated where whoosh meets the operating system: every
  file whoosh creates is wrapped so that its writes fail with ``ENOSPC`` once a byte budget
  is spent, as ``write(2)`` does on a full file system. (A real small tmpfs needs root and
  ``mount``; this runs anywhere and fails at a chosen point in the middle of the write.)
"""

from __future__ import annotations

import errno
import logging
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from whoosh.filedb import filestore

from directory.models import Partner
from directory.search import SearchFilters, SearchRequest, ensure_index, search_partners
from directory.search.documents import PartnerDocument, ServiceDocument
from directory.search.lifecycle import forget_search_index
from directory.search.thesaurus import Thesaurus
from directory.search.whoosh_index import WhooshSearchIndex
from directory.search.whoosh_schema import build_index, unreadable_reason
from geodata.geocoding.gazetteer import Gazetteer

BUILT_AT = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
ARRAS = (2.7775, 50.2910)


def doc(partner_id: int, name: str) -> PartnerDocument:
    return PartnerDocument(
        partner_id=partner_id,
        kind="association",
        name=f"[Test] {name}",
        updated_at=BUILT_AT - timedelta(days=partner_id % 300),
        lon=ARRAS[0] + partner_id * 1e-4,
        lat=ARRAS[1],
        departement_code="62",
        services=(ServiceDocument("rsa", "accompagnement"),),
    )


def found_ids(index: WhooshSearchIndex, text: str) -> set[int]:
    request = SearchRequest(text=text, filters=SearchFilters(near=ARRAS, radius_m=50e3))
    return {hit.partner_id for hit in search_partners(None, index, request).hits}


class FullDisk:
    """Files whoosh creates accept ``budget`` more bytes in all, then fail with ENOSPC."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.refused = 0

    def wrap(self, raw: Any) -> Any:
        disk = self

        class Filling:
            def write(self, data: bytes) -> int:
                if len(data) > disk.budget:
                    disk.refused += 1
                    raise OSError(errno.ENOSPC, "No space left on device")
                disk.budget -= len(data)
                return int(raw.write(data))

            def __getattr__(self, name: str) -> Any:
                return getattr(raw, name)

        return Filling()


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> Iterator[FullDisk]:
    disk = FullDisk(budget=20_000)

    def filling_open(path: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        raw = open(path, mode, *args, **kwargs)  # noqa: SIM115, PTH123  (the real open)
        return disk.wrap(raw) if "w" in mode or "a" in mode or "+" in mode else raw

    monkeypatch.setattr(filestore, "open", filling_open, raising=False)
    yield disk


@pytest.fixture
def serving(tmp_path: Path) -> Iterator[WhooshSearchIndex]:
    """An index of four « Permanence » partners, opened as a worker keeps it."""
    documents = [doc(n, f"Permanence numéro {n}") for n in range(1, 5)]
    build_index(tmp_path, documents, Thesaurus(), Gazetteer(), now=BUILT_AT)
    index = WhooshSearchIndex(tmp_path)
    assert found_ids(index, "permanence") == {1, 2, 3, 4}
    yield index
    index.close()


def test_a_full_disk_during_a_rebuild_leaves_the_previous_index_serving(
    serving: WhooshSearchIndex, full_disk: FullDisk, tmp_path: Path
) -> None:
    bigger = [doc(n, f"Maison France services {n} et permanence") for n in range(1, 400)]
    with pytest.raises(OSError) as refused:
        build_index(tmp_path, bigger, Thesaurus(), Gazetteer(), now=BUILT_AT)
    assert refused.value.errno == errno.ENOSPC and full_disk.refused
    assert found_ids(serving, "permanence") == {1, 2, 3, 4}
    assert found_ids(serving, "france services") == set()
    reopened = WhooshSearchIndex(tmp_path)
    assert found_ids(reopened, "permanence") == {1, 2, 3, 4}
    assert unreadable_reason(tmp_path) is None
    reopened.close()

    full_disk.budget = 10**9  # space is back: the next build takes the write lock again
    assert build_index(tmp_path, bigger, Thesaurus(), Gazetteer(), now=BUILT_AT) == 399
    assert len(found_ids(serving, "france services")) > 0


def test_a_full_disk_during_the_write_after_a_commit_leaves_the_index_serving(
    serving: WhooshSearchIndex, full_disk: FullDisk
) -> None:
    full_disk.budget = 0
    with pytest.raises(OSError) as refused:
        serving.write([doc(n, f"Point d'accueil {n}") for n in range(10, 60)], [1])
    assert refused.value.errno == errno.ENOSPC
    assert found_ids(serving, "permanence") == {1, 2, 3, 4}
    assert found_ids(serving, "accueil") == set()

    full_disk.budget = 10**9  # the write lock was released: the next write goes through
    serving.write([doc(10, "Point d'accueil 10")], [1])
    assert found_ids(serving, "permanence") == {2, 3, 4}
    assert found_ids(serving, "accueil") == {10}


def _damage(index_dir: Path) -> None:
    """Cut the biggest segment file in half, as a crash or a bad copy would."""
    biggest = max(
        (p for p in index_dir.iterdir() if p.suffix == ".seg"), key=lambda p: p.stat().st_size
    )
    content = biggest.read_bytes()
    biggest.write_bytes(content[: len(content) // 2])


def test_a_damaged_index_is_detected_and_replaced_by_the_next_build(tmp_path: Path) -> None:
    documents = [doc(n, f"Permanence numéro {n}") for n in range(1, 200)]
    build_index(tmp_path, documents, Thesaurus(), Gazetteer(), now=BUILT_AT)
    assert unreadable_reason(tmp_path) is None
    _damage(tmp_path)
    reason = unreadable_reason(tmp_path)
    assert reason is not None and reason.startswith("illisible")
    assert build_index(tmp_path, documents, Thesaurus(), Gazetteer(), now=BUILT_AT) == 199
    assert unreadable_reason(tmp_path) is None
    index = WhooshSearchIndex(tmp_path)
    assert len(found_ids(index, "permanence")) > 0
    index.close()


def test_a_missing_index_is_rebuilt_from_the_database_at_start(
    session: Session,
    search_index_dir: Path,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A good index is kept as it is; a missing one is rebuilt, with a log line. (A damaged
    one takes the same path: its detection is tested above without a database.)"""
    index_dir = tmp_path / "index"
    shutil.copytree(search_index_dir, index_dir)
    with caplog.at_level(logging.WARNING, logger="directory.search.lifecycle"):
        assert ensure_index(session, index_dir) is None
    assert caplog.records == []

    shutil.rmtree(index_dir)
    partners = int(session.scalar(select(func.count()).select_from(Partner)) or 0)
    with caplog.at_level(logging.WARNING, logger="directory.search.lifecycle"):
        report = ensure_index(session, index_dir)
    assert report is not None and report.document_count == partners
    assert "absent" in caplog.text and "Reconstruction depuis la base" in caplog.text
    assert f"reconstruit depuis la base : {partners} partenaires" in caplog.text
    index = WhooshSearchIndex(index_dir)
    assert index.stats().document_count == partners
    index.close()
    forget_search_index(index_dir)
