"""Password hashing (argon2id, argon2-cffi's recommended parameters) and the password rule."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from admin.errors import WeakPassword

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256
_HASHER = PasswordHasher()
_DUMMY_HASH = _HASHER.hash("pas un vrai mot de passe, pour un temps de réponse égal")


def check_password_rule(password: str, email: str) -> None:
    """Raise `WeakPassword` (French message) unless the password is long enough."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword(
            f"Le mot de passe doit compter au moins {MIN_PASSWORD_LENGTH} caractères "
            "(une phrase de quelques mots convient bien)."
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise WeakPassword(
            f"Le mot de passe ne doit pas dépasser {MAX_PASSWORD_LENGTH} caractères."
        )
    if password.strip().lower() == email.strip().lower() or len(set(password)) < 4:
        raise WeakPassword("Ce mot de passe est trop facile à deviner : choisissez-en un autre.")


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; an account without password takes as long to refuse."""
    try:
        return _HASHER.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _HASHER.check_needs_rehash(password_hash)
