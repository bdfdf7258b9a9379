"""The bus des droits tables: routes, stops and dated visits, and the visit statuses."""

from __future__ import annotations

from datetime import datetime

from geoalchemy2 import Geometry, WKBElement
from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.models import Partner
from geodata.models import SRID, Base
from geodata.types import UtcDateTime

PLANNED = "planned"
CANCELLED = "cancelled"
VISIT_STATUS_LABELS = {
    PLANNED: "Prévu",
    "confirmed": "Confirmé",
    CANCELLED: "Annulé",
}
"""French label of each stored visit status; a cancelled visit stays listed as such."""


class BusRoute(Base):
    __tablename__ = "bus_route"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partner.id", ondelete="SET NULL"))
    source: Mapped[str] = mapped_column(String(120))
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)

    partner: Mapped[Partner | None] = relationship()
    stops: Mapped[list[BusStop]] = relationship(
        back_populates="route", cascade="all, delete-orphan", order_by="BusStop.id"
    )


class BusStop(Base):
    __tablename__ = "bus_stop"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    route_id: Mapped[int] = mapped_column(
        ForeignKey("bus_route.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    street: Mapped[str | None] = mapped_column(String(250))
    insee_code: Mapped[str] = mapped_column(ForeignKey("commune.insee_code"), index=True)
    location: Mapped[WKBElement] = mapped_column(
        Geometry("POINT", srid=SRID, spatial_index=True), nullable=False
    )

    route: Mapped[BusRoute] = relationship(back_populates="stops")
    visits: Mapped[list[BusVisit]] = relationship(
        back_populates="stop", cascade="all, delete-orphan", order_by="BusVisit.starts_at"
    )


class BusVisit(Base):
    __tablename__ = "bus_visit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    stop_id: Mapped[int] = mapped_column(ForeignKey("bus_stop.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(20), default=PLANNED)
    note: Mapped[str | None] = mapped_column(Text)

    stop: Mapped[BusStop] = relationship(back_populates="visits")
