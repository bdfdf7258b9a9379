"""Where the person is: INSEE code, point, typed address (real data, both backends)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from sqlalchemy.orm import Session

from geodata.geocoding.results import MAX_SUGGESTIONS, GeocodingResult, Precision
from routing.errors import InvalidOrientationRequest
from routing.orientation import PlacePrecision, PlaceQuery
from routing.orientation.places import reference_point, resolve_place
from tests.routing.factories import commune_point


@dataclass
class FixedGeocoder:
    """An honest fake: answers every query with the results it was given, and records it."""

    results: list[GeocodingResult]
    queries: list[str] = field(default_factory=list)

    def geocode(self, session: Session, query: str, *, limit: int = 5) -> list[GeocodingResult]:
        self.queries.append(query)
        return self.results[:limit]

    def autocomplete(
        self, session: Session, prefix: str, *, limit: int = MAX_SUGGESTIONS
    ) -> list[GeocodingResult]:
        return self.results[:limit]


def test_insee_code_is_placed_at_the_town_hall(session: Session) -> None:
    place = resolve_place(session, PlaceQuery(insee_code="62263"), None)
    assert (place.commune_name, place.epci_name, place.departement_name) == (
        "Dainville",
        "CU d'Arras",
        "Pas-de-Calais",
    )
    assert place.lon_lat == commune_point(session, "62263")
    assert place.precision is PlacePrecision.COMMUNE
    assert place.notes == (
        "Lieu connu seulement par sa commune : distances comptées depuis la mairie de Dainville.",
    )
    assert reference_point(session, "00000") is None


def test_house_number_precision_keeps_the_geocoded_point_without_notice(session: Session) -> None:
    hit = GeocodingResult(
        label="2 Rue de Douai 62000 Arras",
        lon=2.7797,
        lat=50.2921,
        insee_code="62041",
        city="Arras",
        postcode="62000",
        precision=Precision.HOUSENUMBER,
        score=0.95,
        notes=(),
    )
    geocoder = FixedGeocoder([hit])
    place = resolve_place(session, PlaceQuery(address="  2 rue de Douai Arras "), geocoder)
    assert geocoder.queries == ["2 rue de Douai Arras"]
    assert (place.lon, place.lat, place.label) == (2.7797, 50.2921, "2 Rue de Douai 62000 Arras")
    assert (place.precision, place.notes, place.is_approximate) == (
        PlacePrecision.HOUSENUMBER,
        (),
        False,
    )


def test_point_outside_the_bundled_shapes_says_how_its_commune_was_chosen(
    session: Session,
) -> None:
    place = resolve_place(session, PlaceQuery(point=(2.3488, 48.8534)), None)  # Paris centre
    assert place.departement_code == "75"
    assert place.precision is PlacePrecision.POINT
    assert len(place.notes) == 1 and place.notes[0].startswith("Commune : ")


def test_typed_address_needs_a_geocoder(session: Session) -> None:
    with pytest.raises(InvalidOrientationRequest) as error:
        resolve_place(session, PlaceQuery(address="Cadours"), None)
    assert error.value.field_errors == {"address": ["Le géocodeur n'est pas configuré."]}
