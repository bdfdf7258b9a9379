"""Accounts: scope checked at creation, argon2 passwords, lockout, one-time reset links,
server-side sessions that expire and end."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from admin.accounts import (
    LoginPolicy,
    SessionLimits,
    authenticate,
    close_login_session,
    create_user,
    disable_user,
    find_login_session,
    issue_reset_link,
    open_login_session,
    reset_password,
    set_password,
)
from admin.errors import InvalidAccount, InvalidResetLink, WeakPassword
from admin.models import LoginSession
from directory.models import Partner
from tests.admin.conftest import PASSWORD, make_user

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
POLICY = LoginPolicy(max_failures=3, lockout=timedelta(minutes=15))
LIMITS = SessionLimits(idle=timedelta(minutes=30), lifetime=timedelta(hours=10))


@pytest.mark.parametrize(
    ("email", "role", "scope", "message"),
    [
        ("pas-une-adresse", "administrateur", {}, "Adresse électronique invalide"),
        ("a@exemple.test", "super-admin", {}, "Rôle inconnu"),
        ("a@exemple.test", "gestionnaire", {}, "au moins une intercommunalité"),
        ("a@exemple.test", "gestionnaire", {"areas": [("departement", "99")]}, "inconnu"),
        ("a@exemple.test", "gestionnaire", {"areas": [("commune", "62041")]}, "EPCI ou"),
        ("a@exemple.test", "referent", {}, "au moins une fiche"),
        ("a@exemple.test", "referent", {"partner_ids": [2_000_000_000]}, "introuvables"),
        ("a@exemple.test", "administrateur", {"areas": [("departement", "62")]}, "Seul un"),
        ("a@exemple.test", "coordinateur-bus", {"partner_ids": [1]}, "Seul un référent"),
    ],
)
def test_an_account_is_refused_without_a_valid_address_role_and_scope(
    db: Session, email: str, role: str, scope: dict[str, list], message: str
) -> None:
    with pytest.raises(InvalidAccount, match=message):
        create_user(db, email, role, **scope)


def test_an_address_is_one_account_whatever_its_case(db: Session) -> None:
    create_user(db, "Agent@Exemple.test", "administrateur")
    with pytest.raises(InvalidAccount, match="existe déjà"):
        create_user(db, " agent@exemple.TEST ", "coordinateur-bus")


def test_passwords_are_stored_as_argon2id_hashes_and_short_ones_are_refused(db: Session) -> None:
    user = create_user(db, "a@exemple.test", "administrateur")
    with pytest.raises(WeakPassword, match="12 caractères"):
        set_password(db, user, "court")
    with pytest.raises(WeakPassword, match="trop facile"):
        set_password(db, user, "a@exemple.test")
    set_password(db, user, PASSWORD)
    assert user.password_hash is not None and user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


def test_an_account_is_locked_after_repeated_failures_then_unlocked_after_the_delay(
    db: Session,
) -> None:
    user = make_user(db, "administrateur")
    for _ in range(POLICY.max_failures):
        assert not authenticate(db, user.email, "mauvais mot de passe", NOW, POLICY).is_success
    locked = authenticate(db, user.email, PASSWORD, NOW + timedelta(minutes=1), POLICY)
    assert not locked.is_success
    assert locked.locked_until == NOW + POLICY.lockout
    later = authenticate(db, user.email, PASSWORD, NOW + timedelta(minutes=16), POLICY)
    assert later.user is user
    assert user.failed_logins == 0 and user.last_login_at == NOW + timedelta(minutes=16)


def test_unknown_and_disabled_accounts_are_refused_like_a_wrong_password(db: Session) -> None:
    user = make_user(db, "administrateur")
    assert authenticate(db, "personne@exemple.test", PASSWORD, NOW, POLICY).user is None
    disable_user(db, user.email)
    assert authenticate(db, user.email, PASSWORD, NOW, POLICY).user is None


def test_a_reset_link_works_once_and_ends_every_open_session(db: Session) -> None:
    user = make_user(db, "administrateur")
    token = open_login_session(db, user, NOW)
    link = issue_reset_link(db, user, NOW, valid_hours=24)
    reset_password(db, link, "une toute nouvelle phrase", NOW + timedelta(hours=1))
    assert find_login_session(db, token, NOW + timedelta(hours=1), LIMITS) is None
    policy_instant = NOW + timedelta(hours=1)
    assert authenticate(db, user.email, "une toute nouvelle phrase", policy_instant, POLICY).user
    with pytest.raises(InvalidResetLink):
        reset_password(db, link, "encore une autre phrase", NOW + timedelta(hours=2))


def test_a_reset_link_expires(db: Session) -> None:
    user = make_user(db, "administrateur")
    link = issue_reset_link(db, user, NOW, valid_hours=24)
    with pytest.raises(InvalidResetLink):
        reset_password(db, link, "une toute nouvelle phrase", NOW + timedelta(hours=25))


def test_a_login_session_expires_when_idle_or_too_old_and_ends_at_logout(db: Session) -> None:
    user = make_user(db, "administrateur")
    token = open_login_session(db, user, NOW)
    assert find_login_session(db, token, NOW + timedelta(minutes=29), LIMITS) is not None
    assert find_login_session(db, token, NOW + timedelta(minutes=31), LIMITS) is None
    assert db.scalar(select(LoginSession).where(LoginSession.user_id == user.id)) is None
    other = open_login_session(db, user, NOW)
    close_login_session(db, other)
    assert find_login_session(db, other, NOW, LIMITS) is None
    old = open_login_session(db, user, NOW)
    found = find_login_session(db, old, NOW, LIMITS)
    assert found is not None
    found.last_seen_at = NOW + timedelta(hours=9, minutes=50)
    assert find_login_session(db, old, NOW + timedelta(hours=10), LIMITS) is None


def test_a_referent_is_tied_to_existing_partners(db: Session) -> None:
    partner_id = db.scalar(select(Partner.id).order_by(Partner.id).limit(1))
    assert partner_id is not None
    user = create_user(db, "r@exemple.test", "referent", partner_ids=[partner_id, partner_id])
    assert user.partner_ids == [partner_id]
