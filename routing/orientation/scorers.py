"""Small pure scorers: each says how well a candidate fits, and why, in French.

A scorer takes a `Candidate` and the `RankingContext` (right, profile, instant) and returns
a `ScoreTerm` whose value is at most 1 (usually in [0, 1]; a malus is negative). ``reason``
is None only when the scorer has nothing to say for this request (no language asked, a
service open to everybody): such terms are worth 0, so a partner's score is exactly the
weighted sum of its stated reasons.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from directory.hours import UNKNOWN_HOURS, Closure, HoursError, opening_state
from directory.hours.schedule import schedule_for
from directory.hours.territory import POLYNESIA
from directory.vocabulary import ACCESSIBILITY_LABELS, APPOINTMENT_LABELS
from geodata.distance import distance_in_words
from routing.orientation.candidates import AreaMatch, Candidate
from routing.orientation.request import AgeBand, Profile

NO_CAR_COMFORT_M = 10_000.0
"""Beyond this straight-line distance, a trip without a car is penalised."""
HALF_SCORE_TRAVEL_S = 20 * 60
"""A trip of this duration halves the distance score."""
CLOSED_NOW_MAX = 0.7
"""Opening score of a place closed now that opens in a moment (open now: 1)."""
HALF_SCORE_WAIT_H = 24.0
"""Waiting this long for the next opening halves the score of a closed place."""

LANGUAGE_LABELS = {
    "fr": "français",
    "en": "anglais",
    "ar": "arabe",
    "es": "espagnol",
    "pt": "portugais",
    "it": "italien",
    "de": "allemand",
    "tr": "turc",
    "ro": "roumain",
    "ru": "russe",
    "uk": "ukrainien",
    "fa": "persan",
    "ps": "pachto",
    "zh": "chinois",
    "vi": "vietnamien",
    "bg": "bulgare",
    "pl": "polonais",
    "sq": "albanais",
    "ber": "berbère",
    "lsf": "langue des signes française",
}
PUBLIC_LABELS = {
    "jeunes": "les jeunes",
    "seniors": "les seniors",
    "familles": "les familles",
    "etudiants": "les étudiants",
    "demandeurs-emploi": "les demandeurs d'emploi",
    "personnes-en-situation-de-handicap": "les personnes en situation de handicap",
    "personnes-exilees": "les personnes exilées",
    "femmes": "les femmes",
}
EVERYBODY = "tous-publics"


@dataclass(frozen=True)
class RankingContext:
    right_short_name: str
    profile: Profile
    at: datetime


@dataclass(frozen=True)
class ScoreTerm:
    scorer: str
    value: float
    reason: str | None


Scorer = Callable[[Candidate, RankingContext], ScoreTerm]


def dossier(short_name: str) -> str:
    """``"le dossier RSA"``, ``"le dossier « Prime d'activité »"``."""
    return f"le dossier {short_name}" if short_name.isupper() else f"le dossier « {short_name} »"


def score_by_competence(candidate: Candidate, context: RankingContext) -> ScoreTerm:
    label = candidate.area_label
    verdicts = {
        AreaMatch.COMMUNE: (1.0, f"Compétent pour votre commune ({label})"),
        AreaMatch.EPCI: (1.0, f"Compétent pour votre intercommunalité ({label})"),
        AreaMatch.DEPARTEMENT: (1.0, f"Compétent pour votre département ({label})"),
        AreaMatch.FRANCE: (1.0, "Accueille tout le monde, quelle que soit la commune"),
        AreaMatch.OTHER: (1.0, "Compétent pour votre commune"),
        AreaMatch.OUTSIDE: (
            0.0,
            f"Hors de sa zone d'intervention ({label}) : proposé faute d'autre "
            "partenaire compétent pour votre commune",
        ),
    }
    value, reason = verdicts[candidate.area_match]
    return ScoreTerm("competence", value, reason)


def score_by_help_level(candidate: Candidate, context: RankingContext) -> ScoreTerm:
    """Who helps to build the file first, then who decides, then who informs.

    The deciding body is always shown apart (see ``RightOrientation.deciders``); in the
    list, a partner that builds the file with the person is the most useful, all the more
    for a person who needs help with online procedures.
    """
    file = dossier(context.right_short_name)
    texts = {
        "instruction": f"Étudie et décide {file}",
        "accompagnement": f"Vous aide à constituer {file}",
        "information": f"Vous informe et vous oriente pour {file}",
    }
    if context.profile.needs_digital_help:
        values = {"instruction": 0.6, "accompagnement": 1.0, "information": 0.1}
    else:
        values = {"instruction": 0.8, "accompagnement": 1.0, "information": 0.6}
    value = values.get(candidate.help_level, 0.0)
    reason = texts.get(candidate.help_level, "Niveau d'aide non renseigné")
    if context.profile.needs_digital_help and candidate.help_level == "accompagnement":
        reason += ", y compris les démarches en ligne"
    return ScoreTerm("help_level", value, reason)


def format_duration(seconds: int) -> str:
    """``"8 min"``, ``"1 h 05"`` (rounded up to the minute)."""
    minutes = max(1, -(-seconds // 60))
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d}"


def score_by_distance(candidate: Candidate, context: RankingContext) -> ScoreTerm:
    """Travel time decides; without a car, a trip beyond ~10 km is penalised."""
    travel = candidate.travel
    if travel is None:
        return ScoreTerm("distance", 0.2, "Distance inconnue : adresse non localisée")
    minutes = max(1, -(-travel.travel_time_s // 60))  # whole minutes, so near-equals tie
    value = 1.0 / (1.0 + minutes * 60 / HALF_SCORE_TRAVEL_S)
    reason = (
        f"À {distance_in_words(travel.straight_distance_m)} "
        f"(≈ {format_duration(travel.travel_time_s)} {travel.mode_label})"
    )
    if not context.profile.has_car and travel.straight_distance_m > NO_CAR_COMFORT_M:
        value *= 0.3
        reason += " : loin sans voiture"
    if candidate.is_location_doubtful:
        reason += " — position approximative"
    return ScoreTerm("distance", round(value, 6), reason)


@lru_cache(maxsize=4096)
def opening_verdict(
    hours: str | None,
    departement_code: str,
    closures: tuple[Closure, ...],
    insee: str | None,
    at: datetime,
) -> tuple[float, str]:
    """(value, French status) of a schedule at an instant; pure, so cached.

    Open now: 1; closed: at most ``CLOSED_NOW_MAX``, halved every ``HALF_SCORE_WAIT_H``
    of waiting; unknown hours: 0.3; no opening within a year: 0.
    """
    try:
        schedule = schedule_for(hours, departement_code, closures, insee_code=insee)
    except HoursError:
        return 0.3, UNKNOWN_HOURS
    state = opening_state(schedule, at)  # shared with the partner documents
    status, is_open, opening = state.status, state.is_open, state.next_opening
    if is_open:
        return 1.0, status
    if is_open is None and not schedule.has_hours:
        return 0.3, status
    if opening is None:
        return (0.0 if is_open is False else 0.3), status
    wait_h = (opening - at).total_seconds() / 3600
    return round(CLOSED_NOW_MAX / (1.0 + wait_h / HALF_SCORE_WAIT_H), 6), status


def score_by_opening(candidate: Candidate, context: RankingContext) -> ScoreTerm:
    """Open now first, then the sooner it opens; unknown hours are neither good nor bad."""
    # The commune only matters in French Polynesia: leaving it out elsewhere lets partners
    # with the same hours share one cached schedule.
    insee = candidate.insee_code if candidate.departement_code == POLYNESIA else None
    value, status = opening_verdict(
        candidate.opening_hours, candidate.departement_code, candidate.closures, insee, context.at
    )
    return ScoreTerm("opening", value, status)


def score_by_appointment(candidate: Candidate, context: RankingContext) -> ScoreTerm:
    values = {"sans-rdv": 1.0, "rdv-possible": 0.9, "sur-rdv": 0.4}
    label = APPOINTMENT_LABELS.get(candidate.appointment, APPOINTMENT_LABELS["inconnu"])
    return ScoreTerm("appointment", values.get(candidate.appointment, 0.5), label)


def score_by_accessibility(candidate: Candidate, context: RankingContext) -> ScoreTerm:
    values = {"accessible": 1.0, "partiel": 0.6, "non-accessible": 0.0}
    texts = {"accessible": "Accessible en fauteuil"}
    label = texts.get(candidate.accessibility) or ACCESSIBILITY_LABELS.get(
        candidate.accessibility, ACCESSIBILITY_LABELS["inconnu"]
    )
    return ScoreTerm("accessibility", values.get(candidate.accessibility, 0.4), label)


def score_by_language(candidate: Candidate, context: RankingContext) -> ScoreTerm:
    language = context.profile.language
    if language is None or language == "fr":
        return ScoreTerm("language", 0.0, None)  # nothing asked: nothing to say
    name = LANGUAGE_LABELS.get(language, language)
    if language in candidate.languages:
        return ScoreTerm("language", 1.0, f"Accueil possible en {name}")
    return ScoreTerm("language", 0.0, f"Accueil en {name} non signalé")


def profile_publics(profile: Profile) -> frozenset[str]:
    publics = set()
    if profile.age_band is AgeBand.UNDER_25:
        publics.add("jeunes")
    if profile.age_band in (AgeBand.FROM_60_TO_64, AgeBand.FROM_65):
        publics.add("seniors")
    return frozenset(publics)


def score_by_public(candidate: Candidate, context: RankingContext) -> ScoreTerm:
    """Services meant for a public: a plus when it is the person's, a minus otherwise."""
    publics = set(candidate.publics) - {EVERYBODY}
    if not publics or EVERYBODY in candidate.publics:
        return ScoreTerm("public", 0.0, None)  # open to everybody: nothing to say
    matching = publics & profile_publics(context.profile)
    if matching:
        names = ", ".join(PUBLIC_LABELS.get(p, p) for p in sorted(matching))
        return ScoreTerm("public", 1.0, f"Accueille en particulier {names}")
    names = ", ".join(PUBLIC_LABELS.get(p, p) for p in sorted(publics))
    return ScoreTerm("public", -1.0, f"S'adresse surtout à : {names}")


DEFAULT_SCORERS: tuple[Scorer, ...] = (
    score_by_competence,
    score_by_help_level,
    score_by_distance,
    score_by_opening,
    score_by_appointment,
    score_by_accessibility,
    score_by_language,
    score_by_public,
)
DEFERRED_SCORERS: frozenset[Scorer] = frozenset({score_by_opening})
"""Costly scorers that ranking runs only for candidates that can still reach the top."""
