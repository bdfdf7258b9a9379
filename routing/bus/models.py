"""The bus des droits tables: routes, stops, recurrence rules, dated visits, and what is on
board each visit (rights, partners present); the stored statuses and holiday rules."""

from __future__ import annotations

from datetime import date, datetime, time

from geoalchemy2 import Geometry, WKBElement
from sqlalchemy import (
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    Time,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.models import Partner, Right
from geodata.models import SRID, Base
from geodata.types import UtcDateTime, utc_now

PLANNED = "planned"
CONFIRMED = "confirmed"
CANCELLED = "cancelled"
VISIT_STATUS_LABELS = {
    PLANNED: "Prévu",
    CONFIRMED: "Confirmé",
    CANCELLED: "Annulé",
}
"""French label of each stored visit status; a cancelled visit stays listed as such."""

HOLIDAY_SKIP = "skip"
HOLIDAY_PREVIOUS_WORKING_DAY = "previous-working-day"
HOLIDAY_NEXT_WORKING_DAY = "next-working-day"
HOLIDAY_KEEP = "keep"
HOLIDAY_RULE_LABELS = {
    HOLIDAY_SKIP: "Pas de passage les jours fériés",
    HOLIDAY_PREVIOUS_WORKING_DAY: "Passage avancé au jour ouvré précédent",
    HOLIDAY_NEXT_WORKING_DAY: "Passage reporté au jour ouvré suivant",
    HOLIDAY_KEEP: "Passage maintenu les jours fériés",
}
"""What a route does when a recurring visit falls on a public holiday of the stop."""
HOLIDAY_RULES = tuple(HOLIDAY_RULE_LABELS)

bus_schedule_right = Table(
    "bus_schedule_right",
    Base.metadata,
    Column(
        "schedule_id",
        ForeignKey("bus_schedule.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("right_slug", ForeignKey("right.slug", ondelete="CASCADE"), primary_key=True),
)
bus_schedule_partner = Table(
    "bus_schedule_partner",
    Base.metadata,
    Column(
        "schedule_id",
        ForeignKey("bus_schedule.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("partner_id", ForeignKey("partner.id", ondelete="CASCADE"), primary_key=True),
)
bus_visit_right = Table(
    "bus_visit_right",
    Base.metadata,
    Column("visit_id", ForeignKey("bus_visit.id", ondelete="CASCADE"), primary_key=True),
    Column("right_slug", ForeignKey("right.slug", ondelete="CASCADE"), primary_key=True),
)
bus_visit_partner = Table(
    "bus_visit_partner",
    Base.metadata,
    Column("visit_id", ForeignKey("bus_visit.id", ondelete="CASCADE"), primary_key=True),
    Column("partner_id", ForeignKey("partner.id", ondelete="CASCADE"), primary_key=True),
)


class BusRoute(Base):
    __tablename__ = "bus_route"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    code: Mapped[str | None] = mapped_column(String(60))
    """Stable identifier given by the territory (the schedule file's key); None for old rows."""
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partner.id", ondelete="SET NULL"))
    source: Mapped[str] = mapped_column(String(120))
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    holiday_rule: Mapped[str] = mapped_column(
        String(30), default=HOLIDAY_SKIP, server_default=HOLIDAY_SKIP
    )
    updated_at: Mapped[datetime | None] = mapped_column(
        UtcDateTime, default=utc_now, onupdate=utc_now
    )
    """Last change (the response caches follow it, see `routing.bus.routes.bus_fingerprint`)."""

    partner: Mapped[Partner | None] = relationship()
    stops: Mapped[list[BusStop]] = relationship(
        back_populates="route", cascade="all, delete-orphan", order_by="BusStop.id"
    )

    __table_args__ = (Index("uq_bus_route_code", "code", unique=True),)


class BusStop(Base):
    __tablename__ = "bus_stop"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    route_id: Mapped[int] = mapped_column(
        ForeignKey("bus_route.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str | None] = mapped_column(String(60))
    """Stable identifier within the route (the schedule file's key); None for old rows."""
    name: Mapped[str] = mapped_column(String(200))
    street: Mapped[str | None] = mapped_column(String(250))
    insee_code: Mapped[str] = mapped_column(ForeignKey("commune.insee_code"), index=True)
    location: Mapped[WKBElement] = mapped_column(
        Geometry("POINT", srid=SRID, spatial_index=True), nullable=False
    )
    updated_at: Mapped[datetime | None] = mapped_column(
        UtcDateTime, default=utc_now, onupdate=utc_now
    )
    """Last change (the response caches follow it, see `routing.bus.routes.bus_fingerprint`)."""

    route: Mapped[BusRoute] = relationship(back_populates="stops")
    schedules: Mapped[list[BusSchedule]] = relationship(
        back_populates="stop", cascade="all, delete-orphan", order_by="BusSchedule.id"
    )
    visits: Mapped[list[BusVisit]] = relationship(
        back_populates="stop", cascade="all, delete-orphan", order_by="BusVisit.starts_at"
    )

    __table_args__ = (Index("uq_bus_stop_route_code", "route_id", "code", unique=True),)


class BusSchedule(Base):
    """A recurrence rule of one stop: RFC 5545 RRULE on dates, and a local time window.

    ``rule`` is the RRULE value without its name (``FREQ=MONTHLY;BYDAY=2TU,4TU``), applied
    from ``starts_on`` (the DTSTART date) and never past ``ends_on``. Times are wall-clock
    times in the stop's time zone, so 9 h stays 9 h across daylight-saving changes.
    """

    __tablename__ = "bus_schedule"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    stop_id: Mapped[int] = mapped_column(ForeignKey("bus_stop.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(60))
    rule: Mapped[str] = mapped_column(String(300))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    start_time: Mapped[time] = mapped_column(Time)
    end_time: Mapped[time] = mapped_column(Time)
    note: Mapped[str | None] = mapped_column(Text)
    """Public note copied to each visit (« sans rendez-vous », « avec un conseiller CAF »…)."""
    updated_at: Mapped[datetime | None] = mapped_column(
        UtcDateTime, default=utc_now, onupdate=utc_now
    )
    """Last change (the response caches follow it, see `routing.bus.routes.bus_fingerprint`)."""

    stop: Mapped[BusStop] = relationship(back_populates="schedules")
    rights: Mapped[list[Right]] = relationship(secondary=bus_schedule_right, order_by=Right.slug)
    partners: Mapped[list[Partner]] = relationship(
        secondary=bus_schedule_partner, order_by=Partner.id
    )

    __table_args__ = (Index("uq_bus_schedule_stop_code", "stop_id", "code", unique=True),)


class BusVisit(Base):
    """One dated visit. Generated ones carry their rule and the date it gave
    (``occurrence_on``); extra visits have neither. An edited visit (cancelled, moved,
    changed on-board) is left alone when its rule generates the visits again."""

    __tablename__ = "bus_visit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    stop_id: Mapped[int] = mapped_column(ForeignKey("bus_stop.id", ondelete="CASCADE"), index=True)
    schedule_id: Mapped[int | None] = mapped_column(
        ForeignKey("bus_schedule.id", ondelete="SET NULL"), index=True
    )
    occurrence_on: Mapped[date | None] = mapped_column(Date)
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(20), default=PLANNED)
    note: Mapped[str | None] = mapped_column(Text)
    change_reason: Mapped[str | None] = mapped_column(Text)
    """Why the visit differs from its rule (cancelled, moved, public holiday), shown publicly."""
    is_edited: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    updated_at: Mapped[datetime | None] = mapped_column(
        UtcDateTime, default=utc_now, onupdate=utc_now
    )
    """Last change (the response caches follow it, see `routing.bus.routes.bus_fingerprint`)."""

    stop: Mapped[BusStop] = relationship(back_populates="visits")
    schedule: Mapped[BusSchedule | None] = relationship()
    rights: Mapped[list[Right]] = relationship(secondary=bus_visit_right, order_by=Right.slug)
    partners: Mapped[list[Partner]] = relationship(secondary=bus_visit_partner, order_by=Partner.id)
