"""Orientation and old information: a partner « à confirmer » never comes before a current
one, and the deciding body's old offices within reach are named apart, with their date."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.confirmation import ConfirmationPolicy
from directory.imports.annuaire import SOURCE
from directory.models import Partner
from routing.orientation import OrientationRequest, PlaceQuery, Profile, orient, rank_candidates
from tests.routing.scenario import TUESDAY_10H, ask
from tests.routing.test_orientation_ranking import candidate, car, context

CADOURS, MURET, ARRAS = "31098", "31395", "62041"
CAF_2017 = date(2017, 9, 11)


@pytest.mark.parametrize("days", range(0, 40, 3))
def test_a_current_partner_always_outranks_an_old_one_with_equal_scores(days: int) -> None:
    old = candidate(1, is_current=False, verified_at=CAF_2017)
    current = candidate(2)
    ranked = rank_candidates(
        [old, current], context(), local_day=date(2026, 12, 1) + timedelta(days)
    )
    assert [p.partner_id for p in ranked] == [2, 1]
    assert ranked[1].is_current is False and ranked[1].verified_at == CAF_2017


def test_an_old_partner_stays_after_a_current_one_even_when_it_scores_better() -> None:
    near_old = candidate(1, is_current=False, travel=car(300))
    far_current = candidate(2, travel=car(25_000))
    ranked = rank_candidates([near_old, far_current], context(), limit=1)
    assert [p.partner_id for p in ranked] == [2]
    assert ranked[0].score < rank_candidates([near_old], context())[0].score


@pytest.mark.parametrize(
    ("insee_code", "office"),
    [
        (CADOURS, "Caisse d'allocations familiales (Caf) de Haute-Garonne - accueil de Colomiers"),
        (MURET, "Caisse d'allocations familiales (Caf) de Haute-Garonne - accueil de Muret"),
        (ARRAS, "Caisse d'allocations familiales (Caf) du Pas-de-Calais - accueil d'Arras"),
    ],
)
def test_the_caf_office_within_reach_is_named_as_a_place_to_check(
    session: Session, insee_code: str, office: str
) -> None:
    (rsa,) = ask(session, insee_code, "rsa")
    caf = next(d for d in rsa.deciders if d.decider == "caf")
    assert caf.partners == ()  # no current CAF office: the 2017 ones are « à confirmer »
    assert caf.possible_offices[0].name == office
    assert caf.possible_offices[0].verified_at == CAF_2017
    assert caf.online is not None and "caf.fr" in caf.online.url
    assert caf.note is not None and "lieux possibles, à vérifier" in caf.note
    travel_times = [o.travel_time_s or 0 for o in caf.possible_offices]
    assert travel_times == sorted(travel_times) and travel_times[-1] <= 3600


def test_the_maison_des_solidarites_of_muret_is_a_possible_office_of_the_departement(
    session: Session,
) -> None:
    (rsa,) = ask(session, MURET, "rsa")
    departement = next(d for d in rsa.deciders if d.decider == "departement")
    assert departement.possible_offices[0].name == "Maison des solidarités de Muret"


def test_a_confirmed_caf_office_becomes_the_decider_office_and_comes_first(
    session: Session,
) -> None:
    muret_caf = session.scalars(
        select(Partner).where(Partner.source == SOURCE.name, Partner.source_id == "caf-31395-01")
    ).one()
    muret_caf.verified_at = date(2026, 11, 30)  # a person confirmed it
    session.flush()
    (rsa,) = ask(session, MURET, "rsa", confirmation=ConfirmationPolicy())  # 24 months
    caf = next(d for d in rsa.deciders if d.decider == "caf")
    assert [p.partner_id for p in caf.partners] == [muret_caf.id]
    assert muret_caf.id not in {o.partner_id for o in caf.possible_offices}
    assert rsa.partners[0].partner_id == muret_caf.id  # the only current partner for the RSA
    assert all(not p.is_current for p in rsa.partners[1:])


def test_a_longer_age_makes_the_2017_offices_current(session: Session) -> None:
    request = OrientationRequest(("rsa",), PlaceQuery(insee_code=MURET), Profile())
    result = orient(session, request, TUESDAY_10H, confirmation=ConfirmationPolicy(120))
    caf = next(d for d in result.rights[0].deciders if d.decider == "caf")
    assert caf.partners and caf.partners[0].name.endswith("accueil de Muret")
    assert caf.possible_offices == ()


def test_without_a_car_cadours_is_told_why_no_caf_office_is_named(session: Session) -> None:
    # By public transport (estimated), every CAF office of the 31 is more than an hour away.
    (rsa,) = ask(session, CADOURS, "rsa", profile=Profile(has_car=False))
    caf = next(d for d in rsa.deciders if d.decider == "caf")
    assert caf.partners == () and caf.possible_offices == ()
    assert caf.note == (
        "Aucun accueil de cet organisme à moins d'une heure de Cadours dans l'annuaire : "
        "la démarche se fait à distance."
    )
    assert caf.online is not None
