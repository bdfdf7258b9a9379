"""Partners, their services for each right, service areas, closures and the rights table."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from geoalchemy2 import Geometry, WKBElement
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from geodata.models import SRID, Base
from geodata.types import UtcDateTime, utc_now


class Right(Base):
    """A social right (prestation). Its full content (checklist, documents…) is JSON data."""

    __tablename__ = "right"

    slug: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str] = mapped_column(String(60))
    content: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    reviewed_at: Mapped[date | None] = mapped_column(Date)
    edits: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    """Claims edited in the back office, by path (``summary``, ``documents.2``…): the new
    text, its source and review date, who and when (`directory.rights_editing`). The
    bundled import keeps those made after the file's review date and reports them."""
    updated_at: Mapped[datetime | None] = mapped_column(
        UtcDateTime, default=utc_now, onupdate=utc_now
    )


class Partner(Base):
    __tablename__ = "partner"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    name: Mapped[str] = mapped_column(String(250))
    siret: Mapped[str | None] = mapped_column(String(14), index=True)
    description: Mapped[str | None] = mapped_column(Text)
    street: Mapped[str | None] = mapped_column(String(250))
    address_complement: Mapped[str | None] = mapped_column(String(250))
    postcode: Mapped[str | None] = mapped_column(String(5))
    city: Mapped[str | None] = mapped_column(String(100))
    insee_code: Mapped[str | None] = mapped_column(ForeignKey("commune.insee_code"), index=True)
    location: Mapped[WKBElement | None] = mapped_column(
        Geometry("POINT", srid=SRID, spatial_index=True), nullable=True
    )
    is_location_doubtful: Mapped[bool] = mapped_column(Boolean, default=False)
    location_note: Mapped[str | None] = mapped_column(Text)
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(200))
    website: Mapped[str | None] = mapped_column(String(300))
    opening_hours: Mapped[str | None] = mapped_column(Text)
    opening_hours_source: Mapped[str | None] = mapped_column(Text)
    accessibility: Mapped[str] = mapped_column(String(30), default="inconnu")
    accessibility_details: Mapped[str | None] = mapped_column(Text)
    languages: Mapped[str] = mapped_column(String(100), default="fr")
    appointment: Mapped[str] = mapped_column(String(20), default="inconnu")
    transport_access: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(60))
    source_id: Mapped[str | None] = mapped_column(String(80))
    source_licence: Mapped[str | None] = mapped_column(String(120))
    source_date: Mapped[date | None] = mapped_column(Date)
    imported_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    verified_at: Mapped[date | None] = mapped_column(Date)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, onupdate=utc_now)

    services: Mapped[list[Service]] = relationship(
        back_populates="partner", cascade="all, delete-orphan", order_by="Service.right_slug"
    )
    service_areas: Mapped[list[ServiceArea]] = relationship(
        back_populates="partner", cascade="all, delete-orphan"
    )
    closures: Mapped[list[Closure]] = relationship(
        back_populates="partner", cascade="all, delete-orphan", order_by="Closure.starts_on"
    )

    __table_args__ = (UniqueConstraint("source", "source_id", name="uq_partner_source_source_id"),)

    @property
    def language_list(self) -> list[str]:
        return [code for code in self.languages.split(",") if code]


class Service(Base):
    """What a partner does for one right, at which help level, for which publics."""

    __tablename__ = "service"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partner.id", ondelete="CASCADE"))
    right_slug: Mapped[str] = mapped_column(ForeignKey("right.slug"))
    help_level: Mapped[str] = mapped_column(String(20))
    description: Mapped[str | None] = mapped_column(Text)
    publics: Mapped[str] = mapped_column(String(300), default="")
    source: Mapped[str | None] = mapped_column(String(300))

    partner: Mapped[Partner] = relationship(back_populates="services")

    __table_args__ = (
        UniqueConstraint("partner_id", "right_slug", name="uq_service_partner_right"),
        # Orientation and search start from a right and look for its partners.
        Index("ix_service_right_partner", "right_slug", "partner_id", "help_level"),
    )

    @property
    def public_list(self) -> list[str]:
        return [value for value in self.publics.split("|") if value]


class ServiceArea(Base):
    """One declared piece of a partner's zone d'intervention (commune, EPCI or département)."""

    __tablename__ = "service_area"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partner.id", ondelete="CASCADE"))
    level: Mapped[str] = mapped_column(String(20))
    code: Mapped[str] = mapped_column(String(9))

    partner: Mapped[Partner] = relationship(back_populates="service_areas")

    __table_args__ = (
        UniqueConstraint("partner_id", "level", "code", name="uq_service_area_partner_level_code"),
    )


class ServedCommune(Base):
    """The service area resolved to communes, so 'does P serve C' is a primary-key look-up."""

    __tablename__ = "served_commune"

    partner_id: Mapped[int] = mapped_column(
        ForeignKey("partner.id", ondelete="CASCADE"), primary_key=True
    )
    insee_code: Mapped[str] = mapped_column(ForeignKey("commune.insee_code"), primary_key=True)

    __table_args__ = (Index("ix_served_commune_insee_partner", "insee_code", "partner_id"),)


class Closure(Base):
    """A dated exceptional closure, or replacement hours, entered for a partner."""

    __tablename__ = "closure"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    partner_id: Mapped[int] = mapped_column(
        ForeignKey("partner.id", ondelete="CASCADE"), index=True
    )
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(300))
    replacement_hours: Mapped[str | None] = mapped_column(Text)

    partner: Mapped[Partner] = relationship(back_populates="closures")


class ErrorReport(Base):
    """A mistake on a partner's page, reported by the public (no account).

    ``contact`` is optional personal data: it is erased after triage and the retention
    period (see docs/SECURITY.md); nothing else about the person is kept.
    """

    __tablename__ = "error_report"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    partner_id: Mapped[int] = mapped_column(
        ForeignKey("partner.id", ondelete="CASCADE"), index=True
    )
    topic: Mapped[str] = mapped_column(String(20))
    message: Mapped[str] = mapped_column(Text)
    contact: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), default="nouveau", index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    triaged_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class PartnerChange(Base):
    """One row per partner changed (created, updated, deleted) by a committed transaction.

    The change log (outbox) that app servers sharing the database follow to keep their
    search index and caches in step (`directory.change_log`). ``id`` is the sequence:
    written in commit order, never reused (AUTOINCREMENT on SQLite). No foreign key: the
    partner of a deletion no longer exists.
    """

    __tablename__ = "partner_change"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    partner_id: Mapped[int] = mapped_column(Integer)
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
