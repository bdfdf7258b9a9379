"""Search fixtures: a real whoosh index of the bundled data per backend, and empty indexes.

Partners created by these tests are made up: their names start with « [Test] », their
source is "test-recherche" and ``is_demo`` is set.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from directory.operations import PartnerValues, ServiceValues
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


def make_partner_values(**overrides: Any) -> PartnerValues:
    """A made-up partner in Arras (62041), clearly marked as a test fixture."""
    values = PartnerValues(
        kind="association",
        name="[Test] Association d'aide aux démarches",
        source="test-recherche",
        location=(2.7775, 50.2910),
        street="[Test] 1 rue inventée",
        postcode="62000",
        city="Arras",
        insee_code="62041",
        opening_hours="Mo-Fr 09:00-12:00,14:00-17:00; PH off",
        accessibility="accessible",
        appointment="sans-rdv",
        is_demo=True,
        services=(ServiceValues("cheque-energie", "accompagnement"),),
        areas=(("commune", "62041"),),
    )
    return replace(values, **overrides)
