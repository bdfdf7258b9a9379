"""Orientation scenarios in Haute-Garonne (Muret, Villefranche-de-Lauragais, Saint-Gaudens,
Cadours) on the real bundled data; made-up partners are named "[Test] …"."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy.orm import Session

from directory.errors import RightNotFound
from geodata.geocoding.offline import OfflineGeocoder
from routing.errors import InvalidOrientationRequest, PlaceNotFound
from routing.orientation import (
    AgeBand,
    OrientationRequest,
    PlacePrecision,
    PlaceQuery,
    Profile,
    orient,
)
from tests.routing.factories import make_partner
from tests.routing.scenario import PARIS, TUESDAY_10H, ask, texts

MURET, VILLEFRANCHE, SAINT_GAUDENS, CADOURS = "31395", "31582", "31483", "31098"
NO_CAR = Profile(has_car=False)


def test_cadours_is_sent_to_la_poste_in_cadours(session: Session) -> None:
    (rsa,) = ask(session, CADOURS, "rsa")
    first = rsa.partners[0]
    assert first.name == "France services La Poste de Cadours"
    assert first.distance_m is not None and first.distance_m < 500
    assert texts(first)[2].startswith("À 270 m (≈ ")
    assert (
        rsa.partners[1].name == "France services multisites Bastides de Lomagne - Site de Cologne"
    )


def test_muret_has_no_france_services_so_cugnaux_comes_first(session: Session) -> None:
    (rsa,) = ask(session, MURET, "rsa")
    names = [p.name for p in rsa.partners[:2]]
    assert names == ["France services de Cugnaux", "France services de Portet-sur-Garonne"]
    assert texts(rsa.partners[0])[2].startswith("À 8,5 km (≈ ")
    assert rsa.has_nearby_partner  # by car


def test_rural_resident_without_car_gets_remote_channels(session: Session) -> None:
    (rsa,) = ask(session, VILLEFRANCHE, "rsa", profile=NO_CAR)
    first = rsa.partners[0]
    assert first.name == "France services Nailloux - CC Terres du Lauragais"
    assert first.travel_mode == "public_transport"
    assert "loin sans voiture" not in texts(first)[2]  # 8.9 km
    baziege = next(p for p in rsa.partners if p.name == "France services Baziege")
    assert texts(baziege)[2].endswith("en transports en commun) : loin sans voiture")
    assert not rsa.has_nearby_partner
    kinds = [(c.kind, c.url or c.phone) for c in rsa.remote_channels]
    assert kinds[0][0] == "online" and kinds[0][1] is not None and "caf.fr" in kinds[0][1]
    assert ("phone", first.phone) in kinds
    assert "Aucun partenaire à moins de 30 minutes : vous pouvez agir à distance." in rsa.notices


def test_same_trip_by_car_is_near_and_needs_no_remote_channel(session: Session) -> None:
    (rsa,) = ask(session, VILLEFRANCHE, "rsa")
    assert rsa.has_nearby_partner and rsa.remote_channels == ()
    assert all("loin sans voiture" not in texts(p)[2] for p in rsa.partners)


def test_cadours_without_car_walks_to_la_poste(session: Session) -> None:
    (rsa,) = ask(session, CADOURS, "rsa", profile=NO_CAR)
    first = rsa.partners[0]
    assert (first.name, first.travel_mode) == ("France services La Poste de Cadours", "walking")
    assert "à pied)" in texts(first)[2]
    assert rsa.has_nearby_partner


def test_agricultural_worker_in_the_lauragais_is_sent_to_the_msa(session: Session) -> None:
    make_partner(
        session,
        name="[Test] MSA Midi-Pyrénées Sud, agence de Villefranche",
        kind="msa",
        insee_code=VILLEFRANCHE,
        rights={"prime-activite": "instruction", "rsa": "instruction"},
        areas=(("departement", "31"),),
        appointment="sur-rdv",
    )
    make_partner(
        session,
        name="[Test] CAF de la Haute-Garonne, accueil de Villefranche",
        kind="caf",
        insee_code=VILLEFRANCHE,
        rights={"prime-activite": "instruction", "rsa": "instruction"},
        areas=(("departement", "31"),),
    )
    (prime,) = ask(session, VILLEFRANCHE, "prime-activite", profile=Profile(is_agricultural=True))
    assert [d.decider for d in prime.deciders] == ["msa"]
    msa_office = prime.deciders[0].partners[0]
    assert msa_office.name == "[Test] MSA Midi-Pyrénées Sud, agence de Villefranche"
    assert "Compétent pour votre département (Haute-Garonne)" in texts(msa_office)
    assert "[Test] CAF de la Haute-Garonne, accueil de Villefranche" not in [
        p.name for p in prime.partners
    ]
    (general,) = ask(session, VILLEFRANCHE, "prime-activite")
    assert [d.partners[0].kind for d in general.deciders] == ["caf"]
    assert "[Test] MSA Midi-Pyrénées Sud, agence de Villefranche" not in [
        p.name for p in general.partners
    ]


def test_senior_asking_for_the_aspa_is_sent_to_the_assurance_retraite(session: Session) -> None:
    (aspa,) = ask(session, SAINT_GAUDENS, "aspa", profile=Profile(age_band=AgeBand.FROM_65))
    assert aspa.partners[0].name == "France services Sarp"
    assert "Vous aide à constituer le dossier ASPA" in texts(aspa.partners[0])
    carsat = aspa.deciders[0]
    assert carsat.decider == "carsat" and carsat.partners == ()
    assert carsat.online is not None and carsat.online.url == "https://www.lassuranceretraite.fr"
    (agricultural,) = ask(session, SAINT_GAUDENS, "aspa", profile=Profile(is_agricultural=True))
    assert agricultural.deciders[0].decider == "msa"


def test_a_right_nobody_nearby_handles_points_to_the_official_procedure(session: Session) -> None:
    (cheque,) = ask(session, MURET, "cheque-energie")
    assert cheque.partners == ()
    assert "Aucun partenaire de l'annuaire n'aide pour : Chèque énergie, près de chez vous." in (
        cheque.notices
    )
    assert [c.url for c in cheque.remote_channels] == ["https://www.chequeenergie.gouv.fr"]
    assert cheque.deciders[0].label == "État"


def test_without_office_nor_online_procedure_nothing_is_made_up(session: Session) -> None:
    (fsl,) = ask(session, MURET, "fsl")
    # The maison des solidarités of Muret is known from the Annuaire of 2017 only.
    assert fsl.partners and all(not p.is_current for p in fsl.partners)
    assert fsl.remote_channels == ()
    decider = fsl.deciders[0]
    assert (decider.decider, decider.partners, decider.online) == ("departement", (), None)
    assert decider.possible_offices[0].name == "Maison des solidarités de Muret"
    assert decider.note == (
        "Aucun accueil confirmé de cet organisme pour Muret ; lieux possibles, à vérifier : "
        "leurs informations sont anciennes, appelez avant de vous déplacer."
    )
    assert "département" in fsl.decider_note.lower()


def test_may_day_closes_la_poste_of_cadours_until_monday(session: Session) -> None:
    may_day = datetime(2027, 5, 1, 10, 0, tzinfo=PARIS)  # a Saturday: La Poste opens Sa 9-12
    (c2s,) = ask(session, CADOURS, "c2s", at=may_day)
    first = c2s.partners[0]
    assert first.name == "France services La Poste de Cadours"
    assert first.opening_status == (
        "Fermé (jour férié : Fête du Travail). Prochaine ouverture lundi 14 h"
    )
    (saturday,) = ask(session, CADOURS, "c2s", at=datetime(2027, 5, 15, 10, 0, tzinfo=PARIS))
    assert saturday.partners[0].opening_status == "Ouvert maintenant, jusqu'à 12 h"


def test_address_known_only_by_its_commune_is_said_and_measured_from_it(session: Session) -> None:
    request = OrientationRequest(("rsa",), PlaceQuery(address="Rue d'Essling, 31480 Cadours"))
    result = orient(session, request, TUESDAY_10H, geocoder=OfflineGeocoder())
    place = result.place
    assert (place.insee_code, place.precision) == (CADOURS, PlacePrecision.COMMUNE)
    assert place.is_approximate
    assert (
        "Adresse trouvée seulement au niveau de la commune : distances comptées depuis le "
        "centre de Cadours." in result.rights[0].notices
    )
    assert result.rights[0].partners[0].name == "France services La Poste de Cadours"


def test_unknown_places_rights_and_naive_instants_are_refused(session: Session) -> None:
    with pytest.raises(PlaceNotFound):
        ask(session, "99999", "rsa")
    with pytest.raises(RightNotFound):
        ask(session, CADOURS, "allocation-inventee")
    with pytest.raises(InvalidOrientationRequest):
        ask(session, CADOURS, "rsa", at=datetime(2026, 12, 1, 10, 0))
    with pytest.raises(InvalidOrientationRequest):
        orient(session, OrientationRequest(("rsa",), PlaceQuery(point=(43.72, 1.04))), TUESDAY_10H)
    with pytest.raises(PlaceNotFound):
        orient(
            session,
            OrientationRequest(("rsa",), PlaceQuery(address="Zzyzx Qwerty")),
            TUESDAY_10H,
            geocoder=OfflineGeocoder(),
        )


def test_request_must_name_one_place_and_at_least_one_right() -> None:
    with pytest.raises(InvalidOrientationRequest):
        PlaceQuery(insee_code=CADOURS, address="Cadours")
    with pytest.raises(InvalidOrientationRequest):
        OrientationRequest((), PlaceQuery(insee_code=CADOURS))
