"""Search fixtures: a real whoosh index of the bundled data per backend, and empty indexes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from directory.search import WhooshSearchIndex, forget_search_index, rebuild_index
from directory.search.lifecycle import build_gazetteer, build_thesaurus
from directory.search.whoosh_schema import build_index

BUILT_AT = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def bundled_index(
    loaded_engine: Engine, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[WhooshSearchIndex]:
    """The real index of the whole bundled dataset, built once per backend (read-only)."""
    directory = tmp_path_factory.mktemp(f"index-{loaded_engine.dialect.name}")
    with Session(loaded_engine) as session:
        rebuild_index(session, directory, now=BUILT_AT)
    index = WhooshSearchIndex(directory)
    yield index
    index.close()


@pytest.fixture
def empty_index(session: Session, tmp_path: Path) -> Iterator[WhooshSearchIndex]:
    """A real index with no document (thesaurus and communes of the database): writable."""
    directory = tmp_path / "index"
    build_index(directory, [], build_thesaurus(session), build_gazetteer(session), now=BUILT_AT)
    index = WhooshSearchIndex(directory)
    yield index
    index.close()
    forget_search_index(directory)
