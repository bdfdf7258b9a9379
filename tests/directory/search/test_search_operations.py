"""Partner operations keep a real whoosh index in step with the database, after the commit
only; the index status tells whether both agree. Partners here are made up (« [Test] »)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from directory.errors import InvalidPartner, PartnerNotFound
from directory.operations import (
    create_partner,
    delete_partner,
    update_partner,
)
from directory.search import (
    SearchFilters,
    SearchRequest,
    WhooshSearchIndex,
    index_status,
    search_partners,
)
from directory.search.sync import pending_partner_ids
from directory.values import ServiceValues
from tests.directory.search.factories import make_partner_values

ARRAS = (2.7775, 50.2910)


def names(session: Session, index: WhooshSearchIndex, text: str, **filters: object) -> list[str]:
    request = SearchRequest(text=text, filters=SearchFilters(**filters))  # type: ignore[arg-type]
    return [hit.name for hit in search_partners(session, index, request).hits]


def test_a_created_partner_is_searchable_once_committed(
    session: Session, empty_index: WhooshSearchIndex
) -> None:
    partner = create_partner(session, empty_index, make_partner_values())
    assert partner.id is not None and pending_partner_ids(session) == {partner.id}
    assert names(session, empty_index, "cheque energie arras") == []  # not committed yet
    session.commit()
    assert names(session, empty_index, "cheque energie arras") == [partner.name]
    assert names(session, empty_index, "chèque énergie", accessible_only=True) == [partner.name]
    assert names(session, empty_index, "", near=ARRAS, radius_m=1_000) == [partner.name]


def test_a_rolled_back_creation_never_reaches_the_index(
    session: Session, empty_index: WhooshSearchIndex
) -> None:
    create_partner(session, empty_index, make_partner_values())
    session.rollback()
    assert empty_index.stats().document_count == 0
    assert names(session, empty_index, "cheque energie arras") == []


def test_a_partner_created_in_a_rolled_back_savepoint_is_not_indexed(
    session: Session, empty_index: WhooshSearchIndex
) -> None:
    kept = create_partner(session, empty_index, make_partner_values(name="[Test] Gardé"))
    savepoint = session.begin_nested()
    create_partner(session, empty_index, make_partner_values(name="[Test] Annulé"))
    savepoint.rollback()
    session.commit()
    assert names(session, empty_index, "cheque energie") == [kept.name]


def test_updates_and_deletions_follow(session: Session, empty_index: WhooshSearchIndex) -> None:
    partner = create_partner(session, empty_index, make_partner_values())
    session.commit()
    before = partner.updated_at
    moved = make_partner_values(
        name="[Test] Permanence déplacée à Lens",
        location=(2.8319, 50.4328),
        insee_code="62498",
        city="Lens",
        postcode="62300",
        services=(ServiceValues("c2s", "information"),),
        areas=(("commune", "62498"),),
    )
    update_partner(session, empty_index, partner.id, moved)
    session.commit()
    assert partner.updated_at > before
    assert names(session, empty_index, "cheque energie") == []
    assert names(session, empty_index, "css lens") == ["[Test] Permanence déplacée à Lens"]
    delete_partner(session, empty_index, partner.id)
    session.commit()
    assert names(session, empty_index, "css lens") == []
    assert empty_index.stats().document_count == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"kind": "banque"}, "kind"),
        ({"name": "  "}, "name"),
        ({"source": ""}, "source"),
        ({"insee_code": "99999"}, "insee_code"),
        ({"postcode": "620"}, "postcode"),
        ({"location": (250.0, 50.0)}, "location"),
        ({"email": "pas-une-adresse"}, "email"),
        ({"opening_hours": "du lundi au vendredi"}, "opening_hours"),
        ({"accessibility": "oui"}, "accessibility"),
        ({"services": (ServiceValues("inconnu", "information"),)}, "services"),
        ({"services": (ServiceValues("rsa", "tout"),)}, "services"),
        ({"areas": ()}, "areas"),
        ({"areas": (("epci", "000000000"),)}, "areas"),
    ],
)
def test_broken_rules_are_refused_field_by_field_in_french(
    session: Session, empty_index: WhooshSearchIndex, overrides: dict[str, object], field: str
) -> None:
    with pytest.raises(InvalidPartner) as raised:
        create_partner(session, empty_index, make_partner_values(**overrides))
    assert field in raised.value.field_errors
    assert raised.value.code == "invalid_partner"
    assert pending_partner_ids(session) == set()


def test_a_source_identifier_is_unique_within_its_source(
    session: Session, empty_index: WhooshSearchIndex
) -> None:
    values = make_partner_values(source_id="T-1")
    first = create_partner(session, empty_index, values)
    with pytest.raises(InvalidPartner) as raised:
        create_partner(session, empty_index, replace(values, name="[Test] Doublon"))
    assert "source_id" in raised.value.field_errors
    update_partner(session, empty_index, first.id, replace(values, name="[Test] Renommé"))


def test_unknown_partners_cannot_be_changed(
    session: Session, empty_index: WhooshSearchIndex
) -> None:
    with pytest.raises(PartnerNotFound):
        update_partner(session, empty_index, 10**9, make_partner_values())
    with pytest.raises(PartnerNotFound):
        delete_partner(session, empty_index, 10**9)


def test_index_status_tells_whether_the_index_follows_the_database(
    session: Session, bundled_index: WhooshSearchIndex, tmp_path: Path
) -> None:
    status = index_status(session, bundled_index.index_dir)
    assert status.exists and status.in_step
    assert status.document_count == status.database_count > 4_000
    assert status.last_built_at is not None
    create_partner(session, bundled_index, make_partner_values())
    session.flush()  # in the database, not committed hence not indexed
    behind = index_status(session, bundled_index.index_dir)
    assert not behind.in_step and behind.database_count == status.database_count + 1
    missing = index_status(session, tmp_path / "nothing-here")
    assert not missing.exists and not missing.in_step and missing.document_count == 0
