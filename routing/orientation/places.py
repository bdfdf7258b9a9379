"""Where the person is: an address (geocoded), a point, or a commune's INSEE code."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from geodata import spatial
from geodata.errors import InvalidLocation
from geodata.geocoding.results import Geocoder, Precision
from geodata.models import Commune, Departement, Epci
from geodata.points import check_lon_lat
from routing.errors import InvalidOrientationRequest, PlaceNotFound
from routing.orientation.model import PlacePrecision, PlaceQuery, ResolvedPlace

NEAREST_COMMUNE_MAX_M = 20_000.0
_PRECISIONS = {
    Precision.HOUSENUMBER: PlacePrecision.HOUSENUMBER,
    Precision.STREET: PlacePrecision.STREET,
    Precision.COMMUNE: PlacePrecision.COMMUNE,
    Precision.POSTCODE: PlacePrecision.COMMUNE,
}


@dataclass(frozen=True)
class CommuneInfo:
    insee_code: str
    name: str
    departement_code: str
    departement_name: str
    epci_siren: str | None
    epci_name: str | None
    reference_point: tuple[float, float] | None  # town hall, else centre
    is_town_hall: bool


def find_commune_info(session: Session, insee_code: str) -> CommuneInfo | None:
    centre_lon, centre_lat = spatial.lon_lat_of(Commune.centre)
    hall_lon, hall_lat = spatial.lon_lat_of(Commune.town_hall)
    query = (
        select(
            Commune.insee_code,
            Commune.name,
            Commune.departement_code,
            Departement.name.label("departement_name"),
            Commune.epci_siren,
            Epci.name.label("epci_name"),
            centre_lon.label("centre_lon"),
            centre_lat.label("centre_lat"),
            hall_lon.label("hall_lon"),
            hall_lat.label("hall_lat"),
        )
        .join(Departement, Departement.code == Commune.departement_code)
        .outerjoin(Epci, Epci.siren == Commune.epci_siren)
        .where(Commune.insee_code == insee_code)
    )
    row = session.execute(query).first()
    if row is None:
        return None
    point: tuple[float, float] | None = None
    is_town_hall = row.hall_lon is not None
    if is_town_hall:
        point = (float(row.hall_lon), float(row.hall_lat))
    elif row.centre_lon is not None:
        point = (float(row.centre_lon), float(row.centre_lat))
    return CommuneInfo(
        insee_code=row.insee_code,
        name=row.name,
        departement_code=row.departement_code,
        departement_name=row.departement_name,
        epci_siren=row.epci_siren,
        epci_name=row.epci_name,
        reference_point=point,
        is_town_hall=is_town_hall,
    )


def find_commune_at(session: Session, lon: float, lat: float) -> str | None:
    """INSEE code of the commune covering the point, else of the nearest centre (≤ 20 km)."""
    covering = session.scalars(
        select(Commune.insee_code).where(spatial.contains_point(session, Commune.shape, lon, lat))
    ).first()
    if covering is not None:
        return covering
    rows = spatial.nearest(
        session,
        select(Commune.insee_code),
        Commune.centre,
        lon,
        lat,
        limit=1,
        max_radius_m=NEAREST_COMMUNE_MAX_M,
    )
    return str(rows[0][0]) if rows else None


def _place(
    info: CommuneInfo,
    lon: float,
    lat: float,
    label: str,
    precision: PlacePrecision,
    notes: tuple[str, ...],
) -> ResolvedPlace:
    return ResolvedPlace(
        label=label,
        lon=lon,
        lat=lat,
        insee_code=info.insee_code,
        commune_name=info.name,
        departement_code=info.departement_code,
        departement_name=info.departement_name,
        epci_siren=info.epci_siren,
        epci_name=info.epci_name,
        precision=precision,
        notes=notes,
    )


def _commune_note(info: CommuneInfo) -> str:
    where = "la mairie" if info.is_town_hall else "le centre"
    return (
        f"Lieu connu seulement par sa commune : distances comptées depuis {where} de {info.name}."
    )


def resolve_place(session: Session, query: PlaceQuery, geocoder: Geocoder | None) -> ResolvedPlace:
    """Raise `PlaceNotFound` when nothing matches, `InvalidOrientationRequest` for a bad point."""
    if query.insee_code is not None:
        info = find_commune_info(session, query.insee_code.strip())
        if info is None or info.reference_point is None:
            raise PlaceNotFound(
                f"Aucune commune localisée n'a le code INSEE « {query.insee_code} »."
            )
        lon, lat = info.reference_point
        return _place(info, lon, lat, info.name, PlacePrecision.COMMUNE, (_commune_note(info),))
    if query.point is not None:
        try:
            lon, lat = check_lon_lat(*query.point)
        except InvalidLocation as exc:
            raise InvalidOrientationRequest(exc.message, {"point": [exc.message]}) from exc
        code = find_commune_at(session, lon, lat)
        info = None if code is None else find_commune_info(session, code)
        if info is None:
            raise PlaceNotFound("Aucune commune connue à cet endroit.")
        return _place(info, lon, lat, info.name, PlacePrecision.POINT, ())
    address = (query.address or "").strip()
    if geocoder is None:
        raise InvalidOrientationRequest(
            "Recherche d'adresse indisponible : indiquez une commune ou un point.",
            {"address": ["Le géocodeur n'est pas configuré."]},
        )
    results = geocoder.geocode(session, address, limit=1)
    if not results:
        raise PlaceNotFound(f"Adresse introuvable : « {address} ».")
    best = results[0]
    info = find_commune_info(session, best.insee_code)
    if info is None:
        raise PlaceNotFound(f"Commune inconnue pour l'adresse « {address} ».")
    precision = _PRECISIONS.get(best.precision, PlacePrecision.COMMUNE)
    notes = tuple(best.notes)
    if precision is PlacePrecision.COMMUNE:
        notes += (
            f"Adresse trouvée seulement au niveau de la commune : distances comptées depuis "
            f"le centre de {info.name}.",
        )
    return _place(info, best.lon, best.lat, best.label, precision, notes)
