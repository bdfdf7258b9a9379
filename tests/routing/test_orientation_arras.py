"""Orientation scenarios in the Communauté urbaine d'Arras (EPCI 200033579), real data.

The bundled directory holds the real France services and town halls. Partners the real
data lacks (CCAS, MDS, CAF office…) are created by the scenario, named "[Test] …".
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.models import Closure, Partner
from directory.rights_catalogue import DEFAULT_CATALOGUE_DIR, load_right_file
from geodata.distance import geodesic_distance_m
from routing.orientation import (
    OrientationRequest,
    PlacePrecision,
    PlaceQuery,
    Profile,
    orient,
)
from tests.routing.factories import commune_point, make_partner
from tests.routing.scenario import PARIS, TUESDAY_10H, ask, texts

ARRAS, DAINVILLE, BEAURAINS, ACHICOURT, DUISANS = "62041", "62263", "62099", "62004", "62279"
DOULLENS = "80253"  # Somme, 30 km from Arras
CU_ARRAS = "200033579"


def partner_named(session: Session, name: str) -> Partner:
    return session.scalars(select(Partner).where(Partner.name == name)).one()


def test_rsa_in_arras_proposes_the_two_france_services_of_arras_nearest_first(
    session: Session,
) -> None:
    (rsa,) = ask(session, ARRAS, "rsa")
    first, second = rsa.partners[:2]
    assert {first.name, second.name} == {
        "France services Pimms Médiation Arras",
        "France services d'Arras - Marie-Thérèse Lenoir",
    }
    assert first.distance_m is not None and second.distance_m is not None
    assert first.distance_m < second.distance_m < 1_500
    assert first.help_level == "accompagnement"
    assert texts(first)[:2] == [
        "Accueille tout le monde, quelle que soit la commune",
        "Vous aide à constituer le dossier RSA",
    ]
    assert texts(first)[2].startswith("À ") and "en voiture)" in texts(first)[2]
    assert texts(first)[3].startswith("Ouvert maintenant, jusqu'à")
    assert "Sans rendez-vous" in texts(first)
    assert rsa.has_nearby_partner and rsa.remote_channels == ()


def test_documents_to_bring_come_from_the_catalogue(session: Session) -> None:
    (rsa,) = ask(session, ARRAS, "rsa")
    catalogue = load_right_file(DEFAULT_CATALOGUE_DIR / "rsa.toml")
    assert rsa.documents == catalogue.documents
    assert all(partner.documents == catalogue.documents for partner in rsa.partners)


def test_dainville_resident_is_sent_to_the_france_services_of_dainville(session: Session) -> None:
    (rsa,) = ask(session, DAINVILLE, "rsa")
    first = rsa.partners[0]
    assert first.name == "France services de Dainville"
    assert first.distance_m is not None and first.distance_m < 300
    assert "Avec ou sans rendez-vous" in texts(first)


def test_achicourt_without_car_walks_to_the_nearest_france_services(session: Session) -> None:
    (rsa,) = ask(session, ACHICOURT, "rsa", profile=Profile(has_car=False))
    first = rsa.partners[0]
    assert first.name == "France services d'Arras - Marie-Thérèse Lenoir"
    assert first.travel_mode in {"walking", "public_transport"}
    assert "en voiture" not in texts(first)[2]


def test_sunday_keeps_the_nearest_partner_and_gives_its_next_opening(session: Session) -> None:
    sunday = datetime(2026, 12, 6, 11, 0, tzinfo=PARIS)
    (rsa,) = ask(session, BEAURAINS, "rsa", at=sunday)
    first = rsa.partners[0]
    assert first.name == "France services de Beaurains"
    assert first.opening_status.startswith("Fermé. Prochaine ouverture demain")
    assert all(not p.opening_status.startswith("Ouvert") for p in rsa.partners)


def test_christmas_day_says_every_partner_is_closed_for_the_holiday(session: Session) -> None:
    christmas = datetime(2026, 12, 25, 10, 0, tzinfo=PARIS)
    (rsa,) = ask(session, ARRAS, "rsa", at=christmas)
    for partner in rsa.partners:
        assert partner.opening_status.startswith("Fermé (jour férié : Noël)")
    assert rsa.partners[0].name == "France services Pimms Médiation Arras"
    assert rsa.partners[0].opening_status.endswith("Prochaine ouverture lundi 13 h")


def test_town_hall_informs_about_ccas_aid_for_its_own_commune_only(session: Session) -> None:
    (aid,) = ask(session, DAINVILLE, "aide-sociale-ccas")
    assert [p.name for p in aid.partners] == ["Mairie de Dainville"]
    first = aid.partners[0]
    assert first.help_level == "information"
    assert texts(first)[:2] == [
        "Compétent pour votre commune (Dainville)",
        "Vous informe et vous oriente pour le dossier « Aides du CCAS »",
    ]


def test_ccas_is_not_proposed_outside_its_commune(session: Session) -> None:
    make_partner(
        session,
        name="[Test] CCAS de Dainville",
        kind="ccas",
        insee_code=DAINVILLE,
        rights={"aide-sociale-ccas": "instruction", "domiciliation": "instruction"},
    )
    (in_dainville,) = ask(session, DAINVILLE, "aide-sociale-ccas")
    (in_arras,) = ask(session, ARRAS, "aide-sociale-ccas")
    assert in_dainville.partners[0].name == "[Test] CCAS de Dainville"
    assert in_dainville.partners[0].is_demo
    assert [d.partners[0].name for d in in_dainville.deciders] == ["[Test] CCAS de Dainville"]
    assert "[Test] CCAS de Dainville" not in [p.name for p in in_arras.partners]
    assert in_arras.partners[0].name == "Mairie de Arras"
    assert in_arras.deciders[0].partners == ()


def test_mds_serves_its_sector_and_is_last_resort_outside_it(session: Session) -> None:
    make_partner(
        session,
        name="[Test] Maison départementale des solidarités de l'Arrageois",
        kind="mds",
        insee_code=ARRAS,
        rights={"fsl": "accompagnement"},
        areas=(("epci", CU_ARRAS),),
    )
    (inside,) = ask(session, ACHICOURT, "fsl")
    mds = inside.partners[0]
    assert mds.is_in_service_area
    assert texts(mds)[0] == "Compétent pour votre intercommunalité (CU d'Arras)"
    # Next to Arras in another EPCI, the maisons des solidarités of the Annuaire (2017, whole
    # Pas-de-Calais) are competent: the made-up one, outside its area, is left out.
    (duisans,) = ask(session, DUISANS, "fsl")
    assert duisans.partners and mds.name not in [p.name for p in duisans.partners]
    assert all(p.kind == "mds" and p.is_in_service_area for p in duisans.partners)
    # In the Somme nobody serves the commune: the nearest ones come as a last resort, the
    # made-up one (current) before those of the Annuaire (« à confirmer »).
    (outside,) = ask(session, DOULLENS, "fsl")
    assert outside.partners[0].name == mds.name
    assert not any(p.is_in_service_area for p in outside.partners)
    assert all(not p.is_current for p in outside.partners[1:])
    assert texts(outside.partners[0])[0].startswith("Hors de sa zone d'intervention (CU d'Arras)")
    assert any("Aucun partenaire n'est compétent pour Doullens" in n for n in outside.notices)


def test_deciding_body_is_shown_even_when_a_nearer_helper_ranks_first(session: Session) -> None:
    caf = make_partner(
        session,
        name="[Test] CAF du Pas-de-Calais, accueil d'Arras",
        kind="caf",
        insee_code=ARRAS,
        rights={"rsa": "instruction", "prime-activite": "instruction"},
        areas=(("departement", "62"),),
        appointment="sur-rdv",
    )
    (rsa,) = ask(session, DAINVILLE, "rsa")
    assert rsa.partners[0].name == "France services de Dainville"
    caf_decider = rsa.deciders[0]
    assert caf_decider.decider == "caf"
    assert [p.partner_id for p in caf_decider.partners] == [caf.id]
    office = caf_decider.partners[0]
    assert office.help_level == "instruction"
    assert "Étudie et décide le dossier RSA" in texts(office)
    assert "Compétent pour votre département (Pas-de-Calais)" in texts(office)
    assert rsa.deciders[1].decider == "departement" and rsa.deciders[1].partners == ()


def test_without_any_office_the_caf_is_shown_as_an_online_procedure(session: Session) -> None:
    (rsa,) = ask(session, ARRAS, "rsa")
    caf = rsa.deciders[0]
    assert (caf.decider, caf.partners) == ("caf", ())
    assert caf.label == "Caisse d'allocations familiales (CAF)"
    assert caf.online is not None and caf.online.url == "https://www.caf.fr"
    assert caf.online.label == "Faire une demande de RSA en ligne sur caf.fr"
    # The Annuaire's CAF offices are of 2017: « lieux possibles, à vérifier », not offices.
    assert caf.note == (
        "Aucun accueil confirmé de cet organisme pour Arras ; lieux possibles, à vérifier : "
        "leurs informations sont anciennes, appelez avant de vous déplacer (la démarche peut "
        "aussi se faire à distance)."
    )
    assert caf.possible_offices[0].name == (
        "Caisse d'allocations familiales (Caf) du Pas-de-Calais - accueil d'Arras"
    )


def test_agricultural_worker_is_sent_to_the_msa_never_to_the_caf(session: Session) -> None:
    make_partner(
        session,
        name="[Test] CAF du Pas-de-Calais, accueil d'Arras",
        kind="caf",
        insee_code=ARRAS,
        rights={"prime-activite": "instruction"},
        areas=(("departement", "62"),),
    )
    (prime,) = ask(session, ARRAS, "prime-activite", profile=Profile(is_agricultural=True))
    assert [d.decider for d in prime.deciders] == ["msa"]
    assert prime.deciders[0].online is not None
    assert prime.deciders[0].online.url == "https://www.msa.fr"
    assert all(p.kind != "caf" for p in prime.partners)
    assert (
        "Régime agricole : votre dossier est étudié par la Mutualité sociale agricole (MSA)."
        in (prime.notices)
    )
    (general,) = ask(session, ARRAS, "prime-activite")
    assert general.deciders[0].partners[0].kind == "caf"


def test_equidistant_partners_take_turns_at_the_top(session: Session) -> None:
    spot = commune_point(session, BEAURAINS)
    twins = [
        make_partner(
            session,
            name=f"[Test] Association d'accès aux droits n° {n}",
            kind="association",
            insee_code=BEAURAINS,
            location=spot,
            rights={"domiciliation": "accompagnement"},
            opening_hours="Mo-Su 00:00-24:00",
        )
        for n in (1, 2)
    ]
    firsts = []
    for day in range(1, 15):
        at = datetime(2026, 12, day, 10, 0, tzinfo=PARIS)
        (dom,) = ask(session, BEAURAINS, "domiciliation", at=at)
        (again,) = ask(session, BEAURAINS, "domiciliation", at=at.replace(hour=16))
        assert dom.partners[0].name == again.partners[0].name
        firsts.append(dom.partners[0].partner_id)
    assert set(firsts) == {twin.id for twin in twins}


def test_reduced_mobility_prefers_the_accessible_place(session: Session) -> None:
    lenoir = partner_named(session, "France services d'Arras - Marie-Thérèse Lenoir")
    lenoir.accessibility = "non-accessible"
    achicourt = commune_point(session, ACHICOURT)
    accessible = make_partner(
        session,
        name="[Test] Point d'accès aux droits accessible",
        kind="association",
        insee_code=ACHICOURT,
        location=(achicourt[0], achicourt[1] - 0.04),  # about 4.4 km south of the town hall
        rights={"rsa": "accompagnement"},
        areas=(("epci", CU_ARRAS),),
        accessibility="accessible",
    )
    session.flush()
    (rsa,) = ask(session, ACHICOURT, "rsa")
    assert rsa.partners[0].name == lenoir.name
    (rsa,) = ask(session, ACHICOURT, "rsa", profile=Profile(has_reduced_mobility=True))
    assert rsa.partners[0].partner_id == accessible.id
    assert "Accessible en fauteuil" in texts(rsa.partners[0])


def test_digital_help_prefers_who_does_the_procedure_with_you(session: Session) -> None:
    arras = commune_point(session, ARRAS)
    helper = make_partner(
        session,
        name="[Test] Association d'aide aux démarches en ligne",
        kind="association",
        insee_code=ARRAS,
        location=(arras[0], arras[1] - 0.072),  # about 8 km south
        rights={"domiciliation": "accompagnement"},
        areas=(("epci", CU_ARRAS),),
        appointment="sur-rdv",
    )
    (dom,) = ask(session, ARRAS, "domiciliation")
    assert dom.partners[0].name == "Mairie de Arras"
    (dom,) = ask(session, ARRAS, "domiciliation", profile=Profile(needs_digital_help=True))
    assert dom.partners[0].partner_id == helper.id
    assert texts(dom.partners[0])[1].endswith("y compris les démarches en ligne")


def test_closed_partner_says_why_and_drops_below_open_ones(session: Session) -> None:
    pimms = partner_named(session, "France services Pimms Médiation Arras")
    (before,) = ask(session, ARRAS, "rsa")
    assert before.partners[0].partner_id == pimms.id
    pimms.closures.append(
        Closure(starts_on=date(2026, 12, 1), ends_on=date(2026, 12, 1), reason="Inventaire")
    )
    session.flush()
    (after,) = ask(session, ARRAS, "rsa")
    closed = next(p for p in after.partners if p.partner_id == pimms.id)
    assert closed.rank > 1
    assert closed.opening_status.startswith("Fermé aujourd'hui : Inventaire")


def test_several_rights_get_one_section_each(session: Session) -> None:
    rsa, aid = ask(session, ARRAS, "rsa", "aide-sociale-ccas")
    assert (rsa.right_slug, aid.right_slug) == ("rsa", "aide-sociale-ccas")
    assert rsa.partners[0].kind == "france-services"
    assert aid.partners[0].name == "Mairie de Arras"
    assert rsa.documents != aid.documents


def test_point_in_dainville_is_located_in_dainville(session: Session) -> None:
    lon, lat = commune_point(session, DAINVILLE)
    request = OrientationRequest(("rsa",), PlaceQuery(point=(lon + 0.003, lat)))
    result = orient(session, request, TUESDAY_10H)
    assert (result.place.insee_code, result.place.precision) == (DAINVILLE, PlacePrecision.POINT)
    first = result.rights[0].partners[0]
    assert first.name == "France services de Dainville"
    assert first.location is not None
    expected = geodesic_distance_m(lon + 0.003, lat, *first.location)
    assert first.distance_m == pytest.approx(expected, abs=1.0)
