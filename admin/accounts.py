"""Accounts: creation and scope, passwords, one-time reset links, login with lockout, and
the server-side login sessions. Operations flush, the caller commits once."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, selectinload

from admin.errors import AccountNotFound, InvalidAccount, InvalidResetLink
from admin.models import LoginSession, User, UserArea, UserPartner
from admin.passwords import check_password_rule, hash_password, needs_rehash, verify_password
from admin.roles import Role
from directory.models import Partner
from directory.partner_rules import is_email_address
from geodata.errors import GeodataError
from geodata.territories import TerritoryIndex, TerritoryLevel

MANAGER_LEVELS = (TerritoryLevel.EPCI, TerritoryLevel.DEPARTEMENT)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def token_digest(token: str) -> str:
    """What is stored of a secret token (a login session, a reset link): its SHA-256."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def is_account_address(address: str) -> bool:
    """What an account's address may be: an e-mail address without control characters
    (PostgreSQL refuses a NUL in a string: looked up, it made the login page fail)."""
    return is_email_address(address) and address.isprintable() and len(address) <= 200


def find_user(session: Session, email: str) -> User | None:
    address = normalise_email(email)
    if not is_account_address(address):  # no account has it: every one was checked
        return None
    query = select(User).where(User.email == address)
    return session.scalar(query.options(selectinload(User.areas), selectinload(User.partner_links)))


def get_user(session: Session, email: str) -> User:
    user = find_user(session, email)
    if user is None:
        raise AccountNotFound(f"Aucun compte n'a l'adresse « {normalise_email(email)} ».")
    return user


def list_users(session: Session) -> list[User]:
    query = select(User).order_by(User.email)
    return list(
        session.scalars(query.options(selectinload(User.areas), selectinload(User.partner_links)))
    )


def create_user(
    session: Session,
    email: str,
    role: str,
    *,
    areas: Sequence[tuple[str, str]] = (),
    partner_ids: Sequence[int] = (),
) -> User:
    """A new account without password (a reset link lets its owner choose one)."""
    email = normalise_email(email)
    if not is_account_address(email):
        raise InvalidAccount(f"Adresse électronique invalide : « {email} ».")
    try:
        checked_role = Role(role)
    except ValueError:
        known = ", ".join(r.value for r in Role)
        raise InvalidAccount(f"Rôle inconnu : « {role} » (rôles : {known}).") from None
    if find_user(session, email) is not None:
        raise InvalidAccount(f"Un compte existe déjà pour « {email} ».")
    _check_scope(session, checked_role, areas, partner_ids)
    user = User(
        email=email,
        role=checked_role.value,
        is_active=True,
        failed_logins=0,
        areas=[UserArea(level=level, code=code) for level, code in dict.fromkeys(areas)],
        partner_links=[UserPartner(partner_id=pid) for pid in dict.fromkeys(partner_ids)],
    )
    session.add(user)
    session.flush()
    return user


def _check_scope(
    session: Session, role: Role, areas: Sequence[tuple[str, str]], partner_ids: Sequence[int]
) -> None:
    if role is Role.GESTIONNAIRE:
        if not areas:
            raise InvalidAccount(
                "Un gestionnaire de territoire a au moins une intercommunalité (--epci) "
                "ou un département (--departement)."
            )
        territories = TerritoryIndex.load(session)
        for level, code in areas:
            try:
                territories.member_insee_codes(TerritoryLevel(level), code)
            except (GeodataError, ValueError):
                raise InvalidAccount(f"Territoire inconnu : {level} « {code} ».") from None
            if level not in MANAGER_LEVELS:
                raise InvalidAccount("Le territoire se donne par EPCI ou département.")
    elif areas:
        raise InvalidAccount("Seul un gestionnaire de territoire a un territoire.")
    if role is Role.REFERENT:
        if not partner_ids:
            raise InvalidAccount("Un référent partenaire a au moins une fiche (--partner).")
        found = set(session.scalars(select(Partner.id).where(Partner.id.in_(partner_ids))))
        if missing := sorted(set(partner_ids) - found):
            raise InvalidAccount(f"Partenaires introuvables : {', '.join(map(str, missing))}.")
    elif partner_ids:
        raise InvalidAccount("Seul un référent partenaire est rattaché à des fiches.")


def set_password(session: Session, user: User, password: str) -> None:
    check_password_rule(password, user.email)
    user.password_hash = hash_password(password)
    user.failed_logins = 0
    user.locked_until = None
    session.flush()


def disable_user(session: Session, email: str) -> User:
    """The account can no longer log in; its open sessions end now."""
    user = get_user(session, email)
    user.is_active = False
    user.reset_token_hash = user.reset_expires_at = None
    close_all_sessions(session, user)
    return user


def issue_reset_link(session: Session, user: User, now: datetime, valid_hours: int) -> str:
    """A one-time token to choose a new password (only its digest is stored)."""
    if not user.is_active:
        raise InvalidAccount(f"Le compte « {user.email} » est désactivé.")
    token = secrets.token_urlsafe(32)
    user.reset_token_hash = token_digest(token)
    user.reset_expires_at = now + timedelta(hours=valid_hours)
    session.flush()
    return token


def find_reset_user(session: Session, token: str, now: datetime) -> User | None:
    user = session.scalar(select(User).where(User.reset_token_hash == token_digest(token)))
    if user is None or not user.is_active:
        return None
    if user.reset_expires_at is None or user.reset_expires_at <= now:
        return None
    return user


def reset_password(session: Session, token: str, password: str, now: datetime) -> User:
    """Use the link once: new password, lockout lifted, every open session ended."""
    user = find_reset_user(session, token, now)
    if user is None:
        raise InvalidResetLink(
            "Ce lien n'est plus valable (déjà utilisé ou expiré) : demandez-en un nouveau."
        )
    set_password(session, user, password)
    user.reset_token_hash = user.reset_expires_at = None
    close_all_sessions(session, user)
    return user


@dataclass(frozen=True)
class LoginPolicy:
    max_failures: int
    lockout: timedelta


@dataclass(frozen=True)
class LoginOutcome:
    user: User | None
    locked_until: datetime | None = None

    @property
    def is_success(self) -> bool:
        return self.user is not None


def authenticate(
    session: Session, email: str, password: str, now: datetime, policy: LoginPolicy
) -> LoginOutcome:
    """Check the password; count failures and lock the account after too many in a row.

    An unknown address, a disabled account and a wrong password look the same from outside
    (and take the same time: the hash is always verified).
    """
    user = find_user(session, email)
    if user is not None and user.locked_until is not None and user.locked_until > now:
        verify_password(None, password)
        return LoginOutcome(None, locked_until=user.locked_until)
    matches = verify_password(user.password_hash if user else None, password)
    if user is None or not user.is_active:
        return LoginOutcome(None)
    if not matches:
        user.failed_logins += 1
        if user.failed_logins >= policy.max_failures:
            user.locked_until = now + policy.lockout
            user.failed_logins = 0
        session.flush()
        return LoginOutcome(None, locked_until=user.locked_until if user.locked_until else None)
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    if user.password_hash and needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    session.flush()
    return LoginOutcome(user)


def open_login_session(session: Session, user: User, now: datetime) -> str:
    """A new session with a new random token (never one the browser brought: no fixation)."""
    token = secrets.token_urlsafe(32)
    session.add(LoginSession(user_id=user.id, token_hash=token_digest(token), created_at=now,
                             last_seen_at=now))  # fmt: skip
    session.flush()
    return token


@dataclass(frozen=True)
class SessionLimits:
    idle: timedelta
    lifetime: timedelta


def find_login_session(
    session: Session, token: str, now: datetime, limits: SessionLimits
) -> LoginSession | None:
    """The live session of this token (an idle or too old one is deleted and not returned)."""
    found = session.scalar(
        select(LoginSession)
        .where(LoginSession.token_hash == token_digest(token))
        .options(selectinload(LoginSession.user).selectinload(User.areas))
        .options(selectinload(LoginSession.user).selectinload(User.partner_links))
    )
    if found is None:
        return None
    expired = found.last_seen_at + limits.idle <= now or found.created_at + limits.lifetime <= now
    if expired or not found.user.is_active:
        session.delete(found)
        session.flush()
        return None
    return found


def close_login_session(session: Session, token: str) -> None:
    session.execute(delete(LoginSession).where(LoginSession.token_hash == token_digest(token)))


def close_all_sessions(session: Session, user: User) -> None:
    session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))
    session.flush()
