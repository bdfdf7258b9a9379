"""`search_partners`: text, filters, distance, opening hours, sorting and pages.

Sorting
-------
* ``relevance``: the index's BM25F score of the text (plus constant bonuses when the
  partner offers a right, or is of a kind, named in the text);
* ``distance``: nearest first, from ``near`` or from the commune named in the text;
* ``combined`` (default when there is a point and some text): ``relevance / best relevance``
  × ``1 / (1 + distance / 5 km)``. A partner 5 km away needs twice the relevance of one
  on the spot; 15 km away, four times.

Candidate narrowing
-------------------
With a radius, the index only considers the partners inside the circle (grid cells, then
exact distances: see `directory.search.whoosh_positions`). With a point but no radius (a
commune named in the text), when the text and filters match few partners (estimated by
the index) all of them are ranked; otherwise rings of growing radius (15, 50, 150 km, then
everywhere) are searched until the page is full: the page then lists the best of
that ring, and ``total`` counts that ring only (it is marked as a lower bound). Opening hours
are evaluated last, on the ordered survivors, and only until the page is full.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from sqlalchemy.orm import Session

from directory.search.errors import InvalidSearch
from directory.search.opening import OpeningChecker
from directory.search.protocol import IndexFilters, MatchQuery, MatchResult, Payload, SearchIndex
from directory.search.ranking import Ranking, Scored, rank
from directory.search.request import SearchFilters, SearchHit, SearchPage, SearchRequest, SortOrder
from directory.search.understanding import Understanding, understand
from directory.vocabulary import HELP_LEVEL_LABELS
from geodata.distance import distance_in_words

RINGS_M: tuple[float | None, ...] = (15_000.0, 50_000.0, 150_000.0, None)
OPEN_BATCH_FACTOR = 3
FEW_MATCHES = 5_000  # below this estimate, a search around a point skips the rings
MAX_SCANNED = 2_000  # relevance-only searches stop scoring after this many matches
MAX_SCANNED_EVERYWHERE = 10_000  # the last ring (no radius) of a search around a point
ACCESSIBLE_VALUES = ("accessible",)
WITHOUT_APPOINTMENT_VALUES = ("sans-rdv", "rdv-possible")


def index_filters(filters: SearchFilters) -> IndexFilters:
    return IndexFilters(
        kinds=filters.kinds,
        right_slugs=filters.right_slugs,
        help_levels=filters.help_levels,
        insee_codes=filters.insee_codes,
        epci_sirens=filters.epci_sirens,
        departement_codes=filters.departement_codes,
        accessibility=ACCESSIBLE_VALUES if filters.accessible_only else (),
        appointment=WITHOUT_APPOINTMENT_VALUES if filters.without_appointment else (),
        include_demo=filters.include_demo,
        verified_since=filters.verified_since,
    )


def search_partners(
    session: Session | None, index: SearchIndex, request: SearchRequest
) -> SearchPage:
    """Search the directory. ``session`` is only read for closures when ``open_at`` is set."""
    request.validate()
    return search_window(session, index, request)


def search_window(
    session: Session | None, index: SearchIndex, request: SearchRequest
) -> SearchPage:
    """`search_partners` for a request already checked, whose page may be larger than the
    public `MAX_PER_PAGE` (a map reads thousands of hits in one pass, not page by page)."""
    filters = request.filters
    meaning = understand(
        request.text,
        index,
        detect_place=request.detect_place and filters.near is None,
        preferred_departements=request.preferred_departements,
    )
    centre = filters.near
    if centre is None and meaning.place is not None:
        centre = (meaning.place.place.lon, meaning.place.place.lat)
    if filters.radius_m is not None and centre is None:
        raise InvalidSearch(
            "Paramètres de recherche invalides.",
            {"radius_m": ["Un rayon demande un point de départ (longitude, latitude) "
                          "ou une commune nommée dans le texte."]},
        )  # fmt: skip
    sort = request.sort or (SortOrder.COMBINED if centre is not None else SortOrder.RELEVANCE)
    if centre is None and sort is not SortOrder.RELEVANCE:
        sort = SortOrder.RELEVANCE  # no point to measure from: nothing else makes sense
    checker = OpeningChecker(session, filters.open_at) if filters.open_at is not None else None
    run = _Run(index, request, meaning, centre, sort, checker)
    page = run.execute(relaxed=False)
    if not page.hits and page.total == 0 and sum(c.required for c in meaning.clauses) > 1:
        page = replace(run.execute(relaxed=True), relaxed=True)
    return page


class _Run:
    def __init__(
        self,
        index: SearchIndex,
        request: SearchRequest,
        meaning: Understanding,
        centre: tuple[float, float] | None,
        sort: SortOrder,
        checker: OpeningChecker | None,
    ) -> None:
        self.index = index
        self.request = request
        self.meaning = meaning
        self.centre = centre
        self.sort = sort
        self.checker = checker
        self.needed = request.page * request.per_page
        self.asked_rights = meaning.rights | set(request.filters.right_slugs)
        self.open_states: dict[int, bool | None] = {}
        self.payloads: dict[int, Payload] = {}

    def execute(self, *, relaxed: bool) -> SearchPage:
        filters = index_filters(self.request.filters)
        query = MatchQuery(self.meaning.clauses, filters, relaxed=relaxed)
        radius = self.request.filters.radius_m
        if self.centre is not None and radius is not None:
            scored, total, exact = self._within(query, radius)
            return self._page(scored, total, exact, radius)
        if self.centre is not None and self.sort is not SortOrder.RELEVANCE:
            if self.index.estimate(query) <= FEW_MATCHES:  # rare kinds or words: all at once
                scored, total, exact = self._within(query, None)
                return self._page(scored, total, exact, None)
            for ring in RINGS_M:
                scored, total, exact = self._within(query, ring)
                if ring is None or self._enough(scored):
                    return self._page(scored, total, exact and ring is None, ring)
        return self._by_relevance(query)

    def _within(self, query: MatchQuery, radius_m: float | None) -> tuple[Ranking, int, bool]:
        """Every match within ``radius_m`` of the centre, scored and sorted."""
        assert self.centre is not None
        lon, lat = self.centre
        circle = (lon, lat, radius_m) if radius_m is not None else None
        narrowed = replace(
            query,
            filters=replace(query.filters, circle=circle),
            limit=None,
            max_scanned=MAX_SCANNED_EVERYWHERE if radius_m is None else None,
        )
        result = self.index.match(narrowed)
        scored = self._score(result, radius_m)
        if not result.total_is_exact:
            return scored, max(result.total, len(scored)), False
        return scored, len(scored), True

    def _score(self, result: MatchResult, radius_m: float | None) -> Ranking:
        has_text = bool(self.meaning.clauses)
        return rank(result, self.centre, radius_m, self.sort, has_text=has_text)

    def _enough(self, scored: Ranking) -> bool:
        if len(scored) < self.needed:
            return False
        if self.checker is None:
            return True
        return len(self._open_prefix(scored, self.needed)) >= self.needed

    def _open_prefix(self, scored: Ranking, count: int) -> list[Scored]:
        """The first ``count`` open candidates (evaluating as few as possible)."""
        if self.checker is None:
            return list(scored[:count])
        kept: list[Scored] = []
        position = 0
        while len(kept) < count and position < len(scored):
            partner_ids = scored.partner_ids(
                position, position + max(count * OPEN_BATCH_FACTOR, 20)
            )
            self._check_opening(partner_ids)
            for offset, partner_id in enumerate(partner_ids):
                if self.open_states[partner_id]:
                    kept.append(scored[position + offset])
                    if len(kept) == count:
                        break
            position += len(partner_ids)
        return kept

    def _check_opening(self, partner_ids: list[int]) -> None:
        assert self.checker is not None
        unknown = [pid for pid in partner_ids if pid not in self.open_states]
        self._load_payloads(unknown)
        for partner_id in unknown:
            payload = self.payloads.get(partner_id)
            self.open_states[partner_id] = (
                self.checker.is_open(payload) if payload is not None else None
            )

    def _by_relevance(self, query: MatchQuery) -> SearchPage:
        if self.checker is None:
            result = self.index.match(replace(query, limit=self.needed, max_scanned=MAX_SCANNED))
            scored = self._score(result, None)
            return self._page(scored, result.total, result.total_is_exact, None)
        limit = self.needed * OPEN_BATCH_FACTOR
        while True:
            result = self.index.match(replace(query, limit=limit, max_scanned=MAX_SCANNED))
            scored = self._score(result, None)
            exhausted = len(result.candidates) < limit or not result.total_is_exact
            if exhausted or len(self._open_prefix(scored, self.needed)) >= self.needed:
                return self._page(scored, len(scored), exhausted, None)
            limit *= 4

    def _page(self, scored: Ranking, total: int, exact: bool, radius_m: float | None) -> SearchPage:
        start = (self.request.page - 1) * self.request.per_page
        listed: Sequence[Scored] = scored
        if self.checker is not None:
            listed = self._open_prefix(scored, self.needed + 1)
            if len(listed) > self.needed:
                exact = False  # more open partners may follow: « au moins … »
            total = len(listed)
        window = listed[start : start + self.request.per_page]
        self._load_payloads([s.candidate.partner_id for s in window])
        hits = tuple(
            self._hit(item) for item in window if item.candidate.partner_id in self.payloads
        )
        place = self.meaning.place
        return SearchPage(
            hits=hits,
            page=self.request.page,
            per_page=self.request.per_page,
            # A page past the last one is empty: it proves nothing about the total.
            total=max(total, start + len(hits)) if hits else total,
            total_is_exact=exact,
            sort=self.sort,
            place_label=place.label if place else None,
            place_insee_code=place.place.insee_code if place else None,
            searched_radius_m=radius_m,
            corrections=tuple((c.typed, c.read_as) for c in self.meaning.corrections),
        )

    def _load_payloads(self, partner_ids: list[int]) -> None:
        missing = [pid for pid in partner_ids if pid not in self.payloads]
        if missing:
            self.payloads.update(self.index.payloads(missing))

    def _hit(self, item: Scored) -> SearchHit:
        payload = self.payloads[item.candidate.partner_id]
        offered = dict(payload.services)
        matched = tuple(slug for slug in sorted(offered) if slug in self.asked_rights)
        labels = self.index.thesaurus.right_labels
        reasons = [
            f"{labels.get(slug, slug)} : {HELP_LEVEL_LABELS.get(offered[slug], offered[slug])}"
            for slug in matched
        ]
        place = self.meaning.place
        if item.distance_m is not None:
            where = f" de {place.place.name}" if place and self.request.filters.near is None else ""
            reasons.append(f"À {distance_in_words(item.distance_m)}{where}")
        is_open = self.open_states.get(payload.partner_id) if self.checker else None
        if is_open:
            reasons.append("Ouvert à l'heure demandée")
        return SearchHit(
            partner_id=payload.partner_id,
            name=payload.name,
            kind=payload.kind,
            score=item.score,
            relevance=item.candidate.relevance,
            distance_m=item.distance_m,
            matched_rights=matched,
            is_open=is_open,
            reasons=tuple(reasons),
            location=_location(item.candidate.lon, item.candidate.lat),
        )


def _location(lon: float | None, lat: float | None) -> tuple[float, float] | None:
    return (lon, lat) if lon is not None and lat is not None else None
