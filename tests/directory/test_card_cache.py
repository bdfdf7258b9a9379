"""Partner cards kept in memory follow the directory: a committed write shows at the next
check of the directory's generation (the change log), never later, whoever made it and
whatever its clock. Real database, both backends (changes rolled back)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from directory.card_cache import PartnerCardCache
from directory.change_log import record_partner_changes
from directory.models import Partner, Service


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def a_partner_with_services(session: Session) -> Partner:
    partner_id = session.scalar(
        select(Service.partner_id).group_by(Service.partner_id).order_by(Service.partner_id)
    )
    partner = session.get(Partner, partner_id)
    assert partner is not None
    return partner


def test_cards_are_read_once_then_follow_writes_at_the_next_check(session: Session) -> None:
    clock = Clock()
    cache = PartnerCardCache(check_s=2.0, clock=clock)
    partner = a_partner_with_services(session)
    first = cache.cards(session, [partner.id, 2_000_000_000])
    assert set(first) == {partner.id}  # unknown ids are left out
    card = first[partner.id]
    assert card.name == partner.name
    assert {s.right_slug for s in card.services} == {s.right_slug for s in partner.services}

    partner.name = "[Test] Nouveau nom"
    record_partner_changes(session, [partner.id])  # as every write does
    session.commit()
    clock.now = 1.0  # within the check interval: the card in memory is served
    assert cache.cards(session, [partner.id])[partner.id] is card
    clock.now = 2.5  # the generation is read again: it moved, so the card is read again
    assert cache.cards(session, [partner.id])[partner.id].name == "[Test] Nouveau nom"


def test_a_write_stamped_by_a_server_whose_clock_is_behind_is_seen_at_the_next_check(
    session: Session,
) -> None:
    """The count of partners and their latest update, the former fingerprint, missed it."""
    clock = Clock()
    cache = PartnerCardCache(check_s=2.0, clock=clock)
    partner = a_partner_with_services(session)
    card = cache.cards(session, [partner.id])[partner.id]
    partner.name = "[Test] Écrit par un serveur en retard"
    partner.updated_at -= timedelta(hours=1)  # that server's clock: the latest update stays
    record_partner_changes(session, [partner.id])
    session.commit()
    clock.now = 1.0
    assert cache.cards(session, [partner.id])[partner.id] is card
    clock.now = 2.5
    assert cache.cards(session, [partner.id])[partner.id].name == partner.name


def test_a_deleted_partner_disappears_at_the_next_check(session: Session) -> None:
    cache = PartnerCardCache(check_s=0.0)
    partner = a_partner_with_services(session)
    assert partner.id in cache.cards(session, [partner.id])
    session.delete(partner)
    record_partner_changes(session, [partner.id])
    session.commit()
    assert cache.cards(session, [partner.id]) == {}


def test_the_least_recently_read_cards_leave_first(session: Session) -> None:
    cache = PartnerCardCache(size=2, check_s=60.0)
    ids = list(session.scalars(select(Partner.id).order_by(Partner.id).limit(3)))
    cache.cards(session, ids[:2])
    cache.cards(session, ids[:1])  # the first is now the most recently read
    cache.cards(session, ids[2:])
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append("one")

    bind = session.get_bind()
    event.listen(bind, "before_cursor_execute", count)
    try:
        assert set(cache.cards(session, [ids[0], ids[2]])) == {ids[0], ids[2]}
        assert statements == []  # both still in memory
        assert set(cache.cards(session, [ids[1]])) == {ids[1]}
        assert statements  # the second had left: read again
    finally:
        event.remove(bind, "before_cursor_execute", count)
