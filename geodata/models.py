"""Administrative divisions (communes, EPCI, départements) and imported addresses.

Geometries are WGS 84 (SRID 4326), coordinates in (lon, lat) order.
"""

from __future__ import annotations

from geoalchemy2 import Geometry, WKBElement
from sqlalchemy import ForeignKey, Index, Integer, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

SRID = 4326


def point_column(*, nullable: bool = True) -> Mapped[WKBElement | None]:
    return mapped_column(Geometry("POINT", srid=SRID, spatial_index=True), nullable=nullable)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Departement(Base):
    __tablename__ = "departement"

    code: Mapped[str] = mapped_column(String(3), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    region_code: Mapped[str | None] = mapped_column(String(3))
    region_name: Mapped[str | None] = mapped_column(String(80))
    chef_lieu_insee: Mapped[str | None] = mapped_column(String(5))
    zone: Mapped[str] = mapped_column(String(8))


class Epci(Base):
    __tablename__ = "epci"

    siren: Mapped[str] = mapped_column(String(9), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(8))
    population: Mapped[int | None] = mapped_column(Integer)
    commune_count: Mapped[int | None] = mapped_column(Integer)
    departement_codes: Mapped[str] = mapped_column(String(60), default="")
    shape: Mapped[WKBElement | None] = mapped_column(
        Geometry("MULTIPOLYGON", srid=SRID, spatial_index=True), nullable=True
    )


class Commune(Base):
    __tablename__ = "commune"

    insee_code: Mapped[str] = mapped_column(String(5), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(30))
    departement_code: Mapped[str] = mapped_column(ForeignKey("departement.code"), index=True)
    epci_siren: Mapped[str | None] = mapped_column(ForeignKey("epci.siren"), index=True)
    postal_codes: Mapped[str] = mapped_column(String(200), default="")
    population: Mapped[int | None] = mapped_column(Integer)
    zone: Mapped[str] = mapped_column(String(8))
    centre: Mapped[WKBElement | None] = point_column()
    town_hall: Mapped[WKBElement | None] = mapped_column(
        Geometry("POINT", srid=SRID, spatial_index=False), nullable=True
    )
    shape: Mapped[WKBElement | None] = mapped_column(
        Geometry("MULTIPOLYGON", srid=SRID, spatial_index=True), nullable=True
    )

    @property
    def postal_code_list(self) -> list[str]:
        return [code for code in self.postal_codes.split("|") if code]


class FormerCommune(Base):
    """A commune déléguée or associée: its old name still appears in addresses."""

    __tablename__ = "former_commune"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    insee_code: Mapped[str] = mapped_column(String(5))
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(30))
    current_insee_code: Mapped[str] = mapped_column(ForeignKey("commune.insee_code"), index=True)

    __table_args__ = (
        Index("uq_former_commune_code_kind_name", "insee_code", "kind", "name", unique=True),
    )


class Address(Base):
    """A Base Adresse Nationale address imported by the operator."""

    __tablename__ = "address"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    house_number: Mapped[str | None] = mapped_column(String(10))
    repetition: Mapped[str | None] = mapped_column(String(10))
    street_name: Mapped[str] = mapped_column(String(200))
    street_key: Mapped[str] = mapped_column(String(200), default="", server_default="")
    """Normalised street name (``geodata.geocoding.normalise.street_key``) for look-ups."""
    postcode: Mapped[str | None] = mapped_column(String(5))
    insee_code: Mapped[str] = mapped_column(String(5), index=True)
    commune_name: Mapped[str] = mapped_column(String(100))
    former_commune_name: Mapped[str | None] = mapped_column(String(100))
    location: Mapped[WKBElement] = mapped_column(
        Geometry("POINT", srid=SRID, spatial_index=True), nullable=False
    )
    source: Mapped[str] = mapped_column(String(60), default="ban")

    __table_args__ = (Index("ix_address_insee_code_street_key", "insee_code", "street_key"),)
