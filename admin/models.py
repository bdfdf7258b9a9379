"""Back-office tables: accounts and their scope, login sessions, the audit log, uploads.

An account holds only what login and the role need: an e-mail address, a password hash
(argon2), a role, its territory or partners, and the counters of failed logins. Nothing
else about the person is stored (see docs/SECURITY.md).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from geodata.models import Base
from geodata.types import UtcDateTime, utc_now


class User(Base):
    """A back-office account (the e-mail address is stored in lower case)."""

    __tablename__ = "admin_user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    email: Mapped[str] = mapped_column(String(200), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(30))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    reset_token_hash: Mapped[str | None] = mapped_column(String(64))
    reset_expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    last_login_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    areas: Mapped[list[UserArea]] = relationship(
        back_populates="user", cascade="all, delete-orphan", order_by="UserArea.code"
    )
    partner_links: Mapped[list[UserPartner]] = relationship(
        back_populates="user", cascade="all, delete-orphan", order_by="UserPartner.partner_id"
    )

    @property
    def partner_ids(self) -> list[int]:
        return [link.partner_id for link in self.partner_links]


class UserArea(Base):
    """One EPCI or département of a gestionnaire de territoire."""

    __tablename__ = "admin_user_area"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("admin_user.id", ondelete="CASCADE"), primary_key=True
    )
    level: Mapped[str] = mapped_column(String(20), primary_key=True)
    code: Mapped[str] = mapped_column(String(9), primary_key=True)

    user: Mapped[User] = relationship(back_populates="areas")


class UserPartner(Base):
    """A partner that a référent partenaire looks after."""

    __tablename__ = "admin_user_partner"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("admin_user.id", ondelete="CASCADE"), primary_key=True
    )
    partner_id: Mapped[int] = mapped_column(
        ForeignKey("partner.id", ondelete="CASCADE"), primary_key=True, index=True
    )

    user: Mapped[User] = relationship(back_populates="partner_links")


class LoginSession(Base):
    """A signed-in browser: the cookie carries a random token, only its hash is stored.

    Logging out deletes the row, so that a copied cookie is worthless afterwards.
    """

    __tablename__ = "admin_session"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("admin_user.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)

    user: Mapped[User] = relationship()


class AuditEntry(Base):
    """One change: who, when, from where (screen, import or command), what before/after.

    ``partner_id`` is kept without a foreign key: the history of a deleted partner stays.
    ``changes`` maps each changed field to ``[before, after]`` (JSON values).
    """

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, index=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("admin_user.id", ondelete="SET NULL"), index=True
    )
    actor: Mapped[str] = mapped_column(String(200))
    origin: Mapped[str] = mapped_column(String(20))
    origin_detail: Mapped[str] = mapped_column(String(200), default="")
    action: Mapped[str] = mapped_column(String(40))
    partner_id: Mapped[int | None] = mapped_column(Integer, index=True)
    subject: Mapped[str | None] = mapped_column(String(80), index=True)
    """What a change not made to a partner was made to: ``bus-route:12``, ``right:rsa``."""
    summary: Mapped[str] = mapped_column(String(300), default="")
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class ImportUpload(Base):
    """A file uploaded for an import, kept between its dry run and its application.

    After ``IMPORT_UPLOAD_RETENTION_DAYS`` (``imports purge-uploads``) the content is
    emptied and ``purged_at`` set; the row stays: file name, who, when (the audit log keeps
    what the import changed, with its counts).
    """

    __tablename__ = "import_upload"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("admin_user.id", ondelete="CASCADE"), index=True
    )
    file_name: Mapped[str] = mapped_column(String(200))
    file_format: Mapped[str] = mapped_column(String(20))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    applied_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    purged_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
