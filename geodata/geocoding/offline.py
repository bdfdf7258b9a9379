"""The offline geocoder: bundled communes and imported BAN addresses, no network needed.

The gazetteer is built lazily on first use (about 1 s), then reused by every request of the
process. It is rebuilt by :meth:`OfflineGeocoder.refresh`, and automatically when a cheap
fingerprint of the data (number of communes, former communes and addresses, checked at
most every ``check_interval_s``) changes, e.g. after ``data import-ban`` in another process.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from geodata.geocoding.addresses import AddressBook, AddressHit
from geodata.geocoding.gazetteer import Gazetteer, NameMatch, Place, load_gazetteer
from geodata.geocoding.normalise import PLACE_ABBREVIATIONS, expand, place_words
from geodata.geocoding.parsing import ParsedQuery, parse_query
from geodata.geocoding.results import (
    MAX_SUGGESTIONS,
    PRECISION_NOTES,
    GeocodingResult,
    Precision,
)
from geodata.models import Address, Commune, FormerCommune

MAX_RESULTS = 20
POSTCODE_CONFIRMED_BONUS = 0.08
POSTCODE_MISMATCH_PENALTY = 0.2
DEPARTEMENT_BONUS = 0.05
DEPARTEMENT_MISMATCH_PENALTY = 0.3
PREFERRED_DEPARTEMENT_BONUS = 0.13
"""Just above the typo penalty: in the territories served, a local commune typed with one
typo comes before an exact homonym elsewhere, unless that one is much more populated
(see :func:`importance`)."""
MAX_IMPORTANCE = 0.06
LOG10_LARGEST_POPULATION = 6.4
POSTCODE_ONLY_SCORE = 0.7
ADDRESS_LOOKUPS_PER_QUERY = 3
ADDRESS_LOOKUP_SCORE_MARGIN = 0.1
STREET_NOT_FOUND_FACTOR = 0.9
"""Addresses are only looked up in the best-matching communes (not in far-fetched typos)."""


class OfflineGeocoder:
    """Geocoder over the database: communes (names, old names, postcodes) and BAN addresses.

    ``preferred_departements`` (e.g. ``("62", "31")``, the territories served) break ties
    between homonyms: "Beaumont" is then the one of the territory, not the most populated
    one of France. Results are otherwise ranked by match quality, then population.
    """

    source = "offline"

    def __init__(
        self,
        *,
        preferred_departements: Sequence[str] = (),
        check_interval_s: float = 60.0,
        cached_communes: int = 256,
    ) -> None:
        self.preferred_departements = frozenset(preferred_departements)
        self.check_interval_s = check_interval_s
        self._gazetteer: Gazetteer | None = None
        self._fingerprint: tuple[object, ...] | None = None
        self._checked_at = 0.0
        self._lock = threading.Lock()
        self.addresses = AddressBook(cached_communes)

    # -- lifecycle -------------------------------------------------------------------------

    def _data_fingerprint(self, session: Session) -> tuple[object, ...]:
        bind = session.get_bind()
        counts = session.execute(
            select(
                select(func.count()).select_from(Commune).scalar_subquery(),
                select(func.count()).select_from(FormerCommune).scalar_subquery(),
                select(func.count()).select_from(Address).scalar_subquery(),
            )
        ).one()
        return (str(bind.engine.url), *counts)

    def gazetteer(self, session: Session) -> Gazetteer:
        """The gazetteer, built on first use and rebuilt when the data has changed."""
        now = time.monotonic()
        with self._lock:
            if self._gazetteer is not None and now - self._checked_at < self.check_interval_s:
                return self._gazetteer
            fingerprint = self._data_fingerprint(session)
            self._checked_at = now
            if self._gazetteer is None or fingerprint[:3] != (self._fingerprint or ())[:3]:
                self._gazetteer = _loaded(session)
                self.addresses.clear()
            elif fingerprint != self._fingerprint:
                self.addresses.clear()
            self._fingerprint = fingerprint
            return self._gazetteer

    def refresh(self, session: Session) -> None:
        """Rebuild the gazetteer and forget cached streets (call after an import)."""
        with self._lock:
            self._gazetteer = _loaded(session)
            self._fingerprint = self._data_fingerprint(session)
            self._checked_at = time.monotonic()
            self.addresses.clear()

    # -- geocoding -------------------------------------------------------------------------

    def geocode(self, session: Session, query: str, *, limit: int = 5) -> list[GeocodingResult]:
        if not isinstance(query, str):
            return []
        limit = max(1, min(limit, MAX_RESULTS))
        gazetteer = self.gazetteer(session)
        parsed = parse_query(query, gazetteer.departement_codes)
        if parsed.is_empty:
            return []
        matches = self._rank(gazetteer.match_words(parsed.words) if parsed.words else [], parsed)
        if parsed.postcode is not None and not any(
            parsed.postcode in m.place.postcodes for m in matches
        ):
            matches = sorted(self._postcode_matches(gazetteer, parsed) + matches, key=_order)
        if not matches:
            return []
        results: list[tuple[float, GeocodingResult]] = []
        best_score = max(m.score for m in matches)
        for rank, match in enumerate(matches):
            street = [w for i, w in enumerate(parsed.words) if not match.start <= i < match.end]
            wants_address = (
                bool(street)
                and rank < ADDRESS_LOOKUPS_PER_QUERY
                and match.score >= best_score - ADDRESS_LOOKUP_SCORE_MARGIN
            )
            results.append(self._result(session, gazetteer, match, parsed, street, wants_address))
        return _best(results, limit)

    def autocomplete(
        self, session: Session, prefix: str, *, limit: int = MAX_SUGGESTIONS
    ) -> list[GeocodingResult]:
        if not isinstance(prefix, str):
            return []
        limit = max(1, min(limit, MAX_SUGGESTIONS))
        gazetteer = self.gazetteer(session)
        parsed = parse_query(prefix, gazetteer.departement_codes)
        digits = prefix.strip()
        if digits.isascii() and digits.isdigit() and 2 <= len(digits) < 5:
            return [
                self._commune_result(gazetteer, _postcode_match(place), code, Precision.POSTCODE)
                for code, place in gazetteer.complete_postcode(digits, limit)
            ]
        results: list[GeocodingResult] = []
        if parsed.words and parsed.house_number is None:
            *head, last = parsed.words
            head_words = expand(head, PLACE_ABBREVIATIONS)
            prefixes = {" ".join([*head_words, last])}
            if last in PLACE_ABBREVIATIONS:
                prefixes.add(" ".join([*head_words, PLACE_ABBREVIATIONS[last]]))
            matches = self._rank(
                gazetteer.complete_name(prefixes, self.preferred_departements), parsed
            )
            if parsed.postcode is not None:
                matches = [m for m in matches if parsed.postcode in m.place.postcodes]
            precision = Precision.COMMUNE
            results = [
                self._commune_result(gazetteer, m, parsed.postcode, precision)
                for m in matches[:limit]
            ]
        if len(results) < limit:
            known = {(r.insee_code, r.precision) for r in results}
            results += [
                r
                for r in self.geocode(session, prefix, limit=limit)
                if (r.insee_code, r.precision) not in known
            ]
        return results[:limit]

    # -- ranking and results ---------------------------------------------------------------

    def _adjusted(self, match: NameMatch, parsed: ParsedQuery) -> NameMatch:
        place, score = match.place, match.score
        if parsed.postcode is not None:
            confirmed = parsed.postcode in place.postcodes
            score += POSTCODE_CONFIRMED_BONUS if confirmed else -POSTCODE_MISMATCH_PENALTY
        if parsed.departement is not None:
            same = place.departement_code == parsed.departement
            score += DEPARTEMENT_BONUS if same else -DEPARTEMENT_MISMATCH_PENALTY
        bonus = match.ranking_bonus + importance(place.population)
        if place.departement_code in self.preferred_departements:
            bonus += PREFERRED_DEPARTEMENT_BONUS
        return replace(match, score=score - match.ranking_bonus + bonus, ranking_bonus=bonus)

    def _rank(self, matches: Iterable[NameMatch], parsed: ParsedQuery) -> list[NameMatch]:
        adjusted = [self._adjusted(m, parsed) for m in matches]
        return sorted(adjusted, key=_order)

    def _postcode_matches(self, gazetteer: Gazetteer, parsed: ParsedQuery) -> list[NameMatch]:
        """Communes of the postcode: those whose name starts with the typed words first
        ("Montreuil 62170" → Montreuil-sur-Mer), else all of them (postcode precision)."""
        assert parsed.postcode is not None
        places = gazetteer.places_with_postcode(parsed.postcode)
        typed = " ".join(expand(list(parsed.words), PLACE_ABBREVIATIONS))
        if typed:
            named = [
                NameMatch(p, 0.85, 0, len(parsed.words), p.name)
                for p in places
                if " ".join(place_words(p.name)).startswith(typed)
            ]
            if named:
                return self._rank(named, parsed)
        return [_postcode_match(place) for place in places]

    def _result(
        self,
        session: Session,
        gazetteer: Gazetteer,
        match: NameMatch,
        parsed: ParsedQuery,
        street: list[str],
        wants_address: bool,
    ) -> tuple[float, GeocodingResult]:
        """The result for one commune match, with its ranking key (match score × street)."""
        postcode_only = match.end == 0 and match.typed_name == ""
        precision = Precision.POSTCODE if postcode_only else Precision.COMMUNE
        hit = None
        if wants_address:
            hit = self.addresses.find(
                session,
                match.place.insee_code,
                street,
                parsed.house_number,
                parsed.repetition,
                match.former_name,
            )
        factor = hit.score if hit is not None else STREET_NOT_FOUND_FACTOR if street else 1.0
        base = self._commune_result(
            gazetteer, match, parsed.postcode, precision, match.quality * factor
        )
        key = match.score * factor
        if hit is not None:
            return key, _address_result(base, hit, match.place)
        if not wants_address:
            return key, base
        reason = (
            "aucune adresse importée pour cette commune"
            if self.addresses.streets(session, match.place.insee_code) is None
            else f"voie « {' '.join(street)} » introuvable dans les adresses importées"
        )
        return key, replace(base, notes=(reason, *base.notes))

    def _commune_result(
        self,
        gazetteer: Gazetteer,
        match: NameMatch,
        postcode: str | None,
        precision: Precision,
        score: float | None = None,
    ) -> GeocodingResult:
        place = match.place
        if postcode not in place.postcodes:
            postcode = place.postcodes[0] if place.postcodes else None
        name = place.name if match.former_name is None else f"{match.former_name}, {place.name}"
        notes = [PRECISION_NOTES[precision]]
        if match.former_name is not None:
            notes.append(
                f"« {match.former_name} » est une ancienne commune, "
                f"aujourd'hui rattachée à {place.name}"
            )
        if match.is_typo:
            notes.append(f"orthographe corrigée : {match.typed_name}")
        return GeocodingResult(
            label=f"{name} ({postcode})" if postcode else name,
            lon=place.lon,
            lat=place.lat,
            insee_code=place.insee_code,
            city=place.name,
            postcode=postcode,
            precision=precision,
            score=_shown(match.quality if score is None else score),
            context=_context(gazetteer, place),
            source=self.source,
            notes=tuple(notes),
        )


def _loaded(session: Session) -> Gazetteer:
    """The gazetteer with its address indexes built (under the geocoder's lock, once)."""
    gazetteer = load_gazetteer(session)
    gazetteer.prepare()
    return gazetteer


def importance(population: int) -> float:
    """0 to 0.06 growing with the logarithm of the population (Paris ≈ 0.06, 300 people ≈ 0.02).

    Breaks ties between equally good name matches, and lets a big city typed exactly
    outrank a one-typo village of the preferred départements.
    """
    return MAX_IMPORTANCE * min(1.0, math.log10(1 + max(0, population)) / LOG10_LARGEST_POPULATION)


def _postcode_match(place: Place) -> NameMatch:
    return NameMatch(place, POSTCODE_ONLY_SCORE, 0, 0, "")


def _context(gazetteer: Gazetteer, place: Place) -> str:
    departement = gazetteer.departement_names.get(place.departement_code, "")
    return f"{place.departement_code}, {departement}" if departement else place.departement_code


def _address_result(base: GeocodingResult, hit: AddressHit, place: Place) -> GeocodingResult:
    postcode = hit.postcode or base.postcode
    city = place.name
    approximate = any(note.startswith("position approximative") for note in hit.notes)
    notes = [
        *([] if approximate else [PRECISION_NOTES[hit.precision]]),
        *hit.notes,
        *base.notes[1:],  # after the commune's precision note: typo, old name…
    ]
    return replace(
        base,
        label=f"{hit.street_label} {postcode} {city}" if postcode else f"{hit.street_label} {city}",
        lon=hit.lon,
        lat=hit.lat,
        postcode=postcode,
        precision=hit.precision,
        notes=tuple(notes),
    )


def _order(match: NameMatch) -> tuple[float, int, str]:
    return (-match.score, -match.place.population, match.place.insee_code)


def _shown(score: float) -> float:
    """Scores shown are between 0 and 1; ranking uses the unbounded score."""
    return round(max(0.0, min(1.0, score)), 3)


def _best(results: list[tuple[float, GeocodingResult]], limit: int) -> list[GeocodingResult]:
    """Best ranked first, the more precise first on ties; one per (commune, precision, label)."""
    seen: set[tuple[str, Precision, str]] = set()
    unique: list[GeocodingResult] = []
    order = list(Precision)
    for _, result in sorted(results, key=lambda pair: (-pair[0], order.index(pair[1].precision))):
        key = (result.insee_code, result.precision, result.label)
        if key not in seen:
            seen.add(key)
            unique.append(result)
    return unique[:limit]
