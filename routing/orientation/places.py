"""Where the person is: an address (geocoded), a point, or a commune's INSEE code."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from geodata import spatial
from geodata.errors import CommuneNotFound, InvalidLocation
from geodata.geocoding.results import Geocoder, Precision
from geodata.models import Commune
from geodata.points import check_lon_lat
from geodata.reverse import LocationMethod, Territory, get_commune_territory, reverse_geocode
from routing.errors import InvalidOrientationRequest, PlaceNotFound
from routing.orientation.answer import PlacePrecision, ResolvedPlace
from routing.orientation.request import PlaceQuery

_PRECISIONS = {
    Precision.HOUSENUMBER: PlacePrecision.HOUSENUMBER,
    Precision.STREET: PlacePrecision.STREET,
    Precision.COMMUNE: PlacePrecision.COMMUNE,
    Precision.POSTCODE: PlacePrecision.COMMUNE,
}


def reference_point(session: Session, insee_code: str) -> tuple[tuple[float, float], bool] | None:
    """The commune's town hall (True) or, failing that, its centre (False), as (lon, lat)."""
    hall_lon, hall_lat = spatial.lon_lat_of(Commune.town_hall)
    centre_lon, centre_lat = spatial.lon_lat_of(Commune.centre)
    row = session.execute(
        select(hall_lon, hall_lat, centre_lon, centre_lat).where(Commune.insee_code == insee_code)
    ).first()
    if row is None:
        return None
    if row[0] is not None:
        return (float(row[0]), float(row[1])), True
    if row[2] is not None:
        return (float(row[2]), float(row[3])), False
    return None


def _territory(session: Session, insee_code: str) -> Territory | None:
    try:
        return get_commune_territory(session, insee_code)
    except CommuneNotFound:
        return None


def _place(
    info: Territory,
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
        commune_name=info.commune_name,
        departement_code=info.departement_code,
        departement_name=info.departement_name,
        epci_siren=info.epci_siren,
        epci_name=info.epci_name,
        precision=precision,
        notes=notes,
    )


def _commune_note(name: str, is_town_hall: bool) -> str:
    where = "la mairie" if is_town_hall else "le centre"
    return f"Lieu connu seulement par sa commune : distances comptées depuis {where} de {name}."


def resolve_place(session: Session, query: PlaceQuery, geocoder: Geocoder | None) -> ResolvedPlace:
    """Raise `PlaceNotFound` when nothing matches, `InvalidOrientationRequest` for a bad point."""
    if query.insee_code is not None:
        code = query.insee_code.strip()
        info = _territory(session, code)
        point = None if info is None else reference_point(session, code)
        if info is None or point is None:
            raise PlaceNotFound(f"Aucune commune localisée n'a le code INSEE « {code} ».")
        (lon, lat), is_town_hall = point
        note = _commune_note(info.commune_name, is_town_hall)
        return _place(info, lon, lat, info.commune_name, PlacePrecision.COMMUNE, (note,))
    if query.point is not None:
        try:
            info = reverse_geocode(session, *query.point)
        except InvalidLocation as exc:
            raise InvalidOrientationRequest(exc.message, {"point": [exc.message]}) from exc
        lon, lat = check_lon_lat(*query.point)
        notes: tuple[str, ...] = ()
        if info.method is not LocationMethod.POLYGON:
            notes = (f"Commune : {info.note}.",)
        return _place(info, lon, lat, info.commune_name, PlacePrecision.POINT, notes)
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
    info = _territory(session, best.insee_code)
    if info is None:
        raise PlaceNotFound(f"Commune inconnue pour l'adresse « {address} ».")
    precision = _PRECISIONS.get(best.precision, PlacePrecision.COMMUNE)
    notes = tuple(note for note in best.notes if note != best.precision_note)
    if precision is PlacePrecision.COMMUNE:
        notes += (
            f"Adresse trouvée seulement au niveau de la commune : distances comptées depuis "
            f"le centre de {info.commune_name}.",
        )
    return _place(info, best.lon, best.lat, best.label, precision, notes)
