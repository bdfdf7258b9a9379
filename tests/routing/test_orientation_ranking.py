"""Pure matching and ranking: plain candidates, no database."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from directory.hours import Closure
from geodata.distance import distance_in_words
from routing.orientation import (
    AgeBand,
    AreaMatch,
    Candidate,
    Profile,
    RankingContext,
    RankingWeights,
    Travel,
    rank_candidates,
)
from routing.orientation.ranking import daily_tie_break, keep_competent
from routing.orientation.scorers import (
    DEFAULT_SCORERS,
    format_duration,
    score_by_accessibility,
    score_by_appointment,
    score_by_competence,
    score_by_distance,
    score_by_help_level,
    score_by_language,
    score_by_opening,
    score_by_public,
)

PARIS = ZoneInfo("Europe/Paris")
TUESDAY_10H = datetime(2026, 12, 1, 10, 0, tzinfo=PARIS)
HOURS = "Mo-Fr 09:00-12:00,14:00-17:00; PH off"


def car(distance_m: float, minutes: int | None = None) -> Travel:
    return Travel("car", "en voiture", (minutes or int(3 + distance_m / 500)) * 60, distance_m)


def candidate(partner_id: int, **overrides: object) -> Candidate:
    values: dict[str, object] = {
        "partner_id": partner_id,
        "name": f"Partenaire {partner_id}",
        "kind": "france-services",
        "help_level": "accompagnement",
        "area_match": AreaMatch.FRANCE,
        "area_label": "toute la France",
        "address": "1 place de la Mairie",
        "location": (2.77, 50.29),
        "travel": car(2_000),
        "departement_code": "62",
        "opening_hours": HOURS,
        "appointment": "sans-rdv",
    }
    values.update(overrides)
    return Candidate(**values)  # type: ignore[arg-type]


def context(profile: Profile | None = None, at: datetime = TUESDAY_10H) -> RankingContext:
    return RankingContext("RSA", profile or Profile(), at)


def names(ranked: list) -> list[str]:  # type: ignore[type-arg]
    return [p.name for p in ranked]


def test_every_scorer_gives_a_french_reason_for_the_asked_right() -> None:
    subject = candidate(1, area_match=AreaMatch.COMMUNE, area_label="Arras")
    ctx = context(Profile(language="ar", has_reduced_mobility=True))
    reasons = {scorer.__name__: scorer(subject, ctx).reason for scorer in DEFAULT_SCORERS}
    assert reasons["score_by_competence"] == "Compétent pour votre commune (Arras)"
    assert reasons["score_by_help_level"] == "Vous aide à constituer le dossier RSA"
    assert reasons["score_by_distance"] == "À 2,0 km (≈ 7 min en voiture)"
    assert reasons["score_by_opening"] == "Ouvert maintenant, jusqu'à 12 h"
    assert reasons["score_by_appointment"] == "Sans rendez-vous"
    assert reasons["score_by_accessibility"] == "Accessibilité non renseignée"
    assert reasons["score_by_language"] == "Accueil en arabe non signalé"
    assert reasons["score_by_public"] is None  # open to everybody: nothing to say


def test_opening_reason_gives_the_next_opening_on_a_sunday() -> None:
    sunday = datetime(2026, 12, 6, 15, 0, tzinfo=PARIS)
    term = score_by_opening(candidate(1), context(at=sunday))
    assert term.reason == "Fermé. Prochaine ouverture demain 9 h"
    assert 0 < term.value < 1


def test_opening_on_a_public_holiday_names_the_holiday() -> None:
    christmas = datetime(2026, 12, 25, 10, 0, tzinfo=PARIS)
    term = score_by_opening(candidate(1), context(at=christmas))
    assert term.reason is not None
    assert term.reason.startswith("Fermé (jour férié : Noël)")
    assert "lundi 9 h" in term.reason
    assert term.value < score_by_opening(candidate(1), context()).value


def test_closure_entered_by_the_partner_is_its_opening_reason() -> None:
    closed = candidate(1, closures=(Closure(date(2026, 12, 1), date(2026, 12, 2), "Travaux"),))
    term = score_by_opening(closed, context())
    assert term.reason is not None and term.reason.startswith("Fermé aujourd'hui : Travaux")
    assert "jeudi 9 h" in term.reason


def test_unknown_hours_are_said_and_neither_good_nor_bad() -> None:
    term = score_by_opening(candidate(1, opening_hours=None), context())
    assert term.reason == "Horaires non renseignés"
    assert term.value == pytest.approx(0.3)


@pytest.mark.parametrize(
    ("level", "reason"),
    [
        ("instruction", "Étudie et décide le dossier RSA"),
        ("accompagnement", "Vous aide à constituer le dossier RSA"),
        ("information", "Vous informe et vous oriente pour le dossier RSA"),
    ],
)
def test_help_level_reason_names_the_right(level: str, reason: str) -> None:
    assert score_by_help_level(candidate(1, help_level=level), context()).reason == reason


def test_right_names_that_are_not_acronyms_are_quoted() -> None:
    ctx = RankingContext("Prime d'activité", Profile(), TUESDAY_10H)
    reason = score_by_help_level(candidate(1), ctx).reason
    assert reason == "Vous aide à constituer le dossier « Prime d'activité »"


def test_formats_of_distance_and_duration() -> None:
    assert [distance_in_words(d) for d in (4, 449, 2_345, 14_600)] == [
        "10 m",
        "450 m",
        "2,3 km",
        "15 km",
    ]
    assert [format_duration(s) for s in (20, 480, 3_900)] == ["1 min", "8 min", "1 h 05"]


def test_out_of_area_partner_is_dropped_when_a_competent_one_exists() -> None:
    outside = candidate(1, area_match=AreaMatch.OUTSIDE, area_label="Dainville", travel=car(50))
    inside = candidate(2, area_match=AreaMatch.COMMUNE, area_label="Arras", travel=car(9_000))
    assert keep_competent([outside, inside]) == [inside]
    assert names(rank_candidates([outside, inside], context())) == ["Partenaire 2"]


def test_out_of_area_partner_comes_last_with_the_reason_when_nothing_else_exists() -> None:
    near = candidate(1, area_match=AreaMatch.OUTSIDE, area_label="Dainville", travel=car(50))
    far = candidate(2, area_match=AreaMatch.OUTSIDE, area_label="Duisans", travel=car(6_000))
    ranked = rank_candidates([far, near], context())
    assert names(ranked) == ["Partenaire 1", "Partenaire 2"]
    assert not ranked[0].is_in_service_area
    assert ranked[0].reasons[0].text == (
        "Hors de sa zone d'intervention (Dainville) : proposé faute d'autre partenaire "
        "compétent pour votre commune"
    )


def test_nearer_partner_ranks_first_all_else_equal() -> None:
    ranked = rank_candidates(
        [candidate(1, travel=car(8_000)), candidate(2, travel=car(900))], context()
    )
    assert names(ranked) == ["Partenaire 2", "Partenaire 1"]
    assert ranked[0].score > ranked[1].score


def test_equidistant_partners_rotate_from_one_day_to_the_next() -> None:
    twins = [candidate(i, travel=car(1_500)) for i in (11, 12, 13)]
    firsts = set()
    for offset in range(21):
        at = TUESDAY_10H + timedelta(days=offset)
        day = at.date()
        first = rank_candidates(twins, context(at=at), local_day=day)[0].name
        again = rank_candidates(list(reversed(twins)), context(at=at), local_day=day)[0].name
        assert first == again  # stable within a day, whatever the input order
        firsts.add(first)
    assert firsts == {"Partenaire 11", "Partenaire 12", "Partenaire 13"}


def test_daily_tie_break_is_stable_and_depends_on_day_and_partner() -> None:
    day = date(2026, 12, 1)
    assert daily_tie_break(day, 7) == daily_tie_break(day, 7)
    assert daily_tie_break(day, 7) != daily_tie_break(day, 8)
    assert daily_tie_break(day, 7) != daily_tie_break(day + timedelta(days=1), 7)


def test_without_a_car_trips_beyond_10_km_are_penalised() -> None:
    transit = Travel("public_transport", "en transports en commun", 50 * 60, 12_000)
    far = candidate(1, travel=transit)
    with_car = score_by_distance(far, context(Profile(has_car=True)))
    without = score_by_distance(far, context(Profile(has_car=False)))
    assert without.value < with_car.value
    assert without.reason == "À 12 km (≈ 50 min en transports en commun) : loin sans voiture"
    assert with_car.reason is not None and "loin" not in with_car.reason


def test_reduced_mobility_makes_accessibility_weigh_more() -> None:
    near = candidate(1, travel=car(1_000), accessibility="non-accessible")
    accessible = candidate(2, travel=car(3_000), accessibility="accessible")
    assert names(rank_candidates([near, accessible], context()))[0] == "Partenaire 1"
    ranked = rank_candidates([near, accessible], context(Profile(has_reduced_mobility=True)))
    assert names(ranked)[0] == "Partenaire 2"
    assert "Accessible en fauteuil" in [r.text for r in ranked[0].reasons]
    assert score_by_accessibility(near, context()).reason == "Non accessible en fauteuil roulant"


def test_digital_help_prefers_accompagnement_over_information() -> None:
    informs = candidate(1, travel=car(500), help_level="information")
    helps = candidate(2, travel=car(8_000), help_level="accompagnement")
    assert names(rank_candidates([informs, helps], context()))[0] == "Partenaire 1"
    digital = context(Profile(needs_digital_help=True))
    ranked = rank_candidates([informs, helps], digital)
    assert names(ranked)[0] == "Partenaire 2"
    assert ranked[0].reasons[1].text == (
        "Vous aide à constituer le dossier RSA, y compris les démarches en ligne"
    )


def test_language_spoken_is_a_plus_and_said() -> None:
    speaks = candidate(1, languages=("fr", "ar"), travel=car(3_000))
    other = candidate(2, travel=car(2_000))
    ranked = rank_candidates([speaks, other], context(Profile(language="ar")))
    assert names(ranked)[0] == "Partenaire 1"
    assert "Accueil possible en arabe" in [r.text for r in ranked[0].reasons]
    assert score_by_language(speaks, context()).reason is None


def test_service_for_a_public_suits_that_public_only() -> None:
    youth = candidate(1, publics=("jeunes",))
    young = context(Profile(age_band=AgeBand.UNDER_25))
    assert score_by_public(youth, young).reason == "Accueille en particulier les jeunes"
    assert score_by_public(youth, context()).reason == "S'adresse surtout à : les jeunes"
    assert score_by_public(youth, young).value > score_by_public(youth, context()).value


def test_appointment_and_competence_levels() -> None:
    assert score_by_appointment(candidate(1, appointment="sur-rdv"), context()).reason == (
        "Sur rendez-vous uniquement"
    )
    epci = candidate(1, area_match=AreaMatch.EPCI, area_label="CU d'Arras")
    assert score_by_competence(epci, context()).reason == (
        "Compétent pour votre intercommunalité (CU d'Arras)"
    )


def test_weights_are_configurable() -> None:
    near_closed = candidate(1, travel=car(500), opening_hours="Sa 09:00-12:00")
    far_open = candidate(2, travel=car(9_000))
    assert names(rank_candidates([near_closed, far_open], context()))[0] == "Partenaire 1"
    opening_first = RankingWeights(opening=10.0)
    ranked = rank_candidates([near_closed, far_open], context(), weights=opening_first)
    assert names(ranked)[0] == "Partenaire 2"
    with pytest.raises(ValueError, match="negative"):
        RankingWeights(distance=-1)


def test_reasons_carry_their_weight_and_value() -> None:
    ranked = rank_candidates([candidate(1)], context(Profile(has_reduced_mobility=True)))
    accessibility = next(r for r in ranked[0].reasons if r.scorer == "accessibility")
    assert accessibility.weight == RankingWeights().reduced_mobility_accessibility
    assert ranked[0].score == pytest.approx(sum(r.weight * r.value for r in ranked[0].reasons))


_levels = st.sampled_from(["information", "accompagnement", "instruction"])
_areas = st.sampled_from(list(AreaMatch))
_hours = st.sampled_from([HOURS, None, "Sa 09:00-12:00", "Mo-Su 00:00-24:00", "Tu 14:00-16:00"])


@st.composite
def _candidates(draw: st.DrawFn) -> list[Candidate]:
    count = draw(st.integers(min_value=0, max_value=12))
    return [
        candidate(
            i,
            help_level=draw(_levels),
            area_match=draw(_areas),
            travel=car(draw(st.integers(min_value=0, max_value=30_000))),
            opening_hours=draw(_hours),
            appointment=draw(st.sampled_from(["sans-rdv", "sur-rdv", "inconnu"])),
        )
        for i in range(count)
    ]


@settings(max_examples=60, deadline=None)
@given(_candidates(), st.integers(min_value=1, max_value=6), st.integers(min_value=0, max_value=9))
def test_skipping_costly_scorers_never_changes_the_top(
    candidates: list[Candidate], limit: int, day_offset: int
) -> None:
    at = TUESDAY_10H + timedelta(days=day_offset, hours=day_offset)
    full = rank_candidates(candidates, context(at=at), deferred=())
    top = rank_candidates(candidates, context(at=at), limit=limit)
    assert [(p.partner_id, p.score) for p in top] == [(p.partner_id, p.score) for p in full[:limit]]
    assert [p.rank for p in top] == list(range(1, len(top) + 1))


def test_candidate_without_location_is_kept_with_unknown_distance() -> None:
    lost = candidate(1, location=None, travel=None)
    ranked = rank_candidates([lost], context())
    assert ranked[0].distance_m is None
    assert "Distance inconnue : adresse non localisée" in [r.text for r in ranked[0].reasons]


def test_doubtful_location_is_said() -> None:
    doubtful = replace(candidate(1), is_location_doubtful=True)
    reason = score_by_distance(doubtful, context()).reason
    assert reason is not None and reason.endswith("— position approximative")
