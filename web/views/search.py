"""/recherche: places near an address or a commune, as a list and a map."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import Blueprint, current_app, render_template, request, url_for
from flask_babel import gettext as _

from directory.queries import list_rights
from directory.search import SearchFilters, SearchPage, SearchRequest, search_partners
from directory.search.request import MAX_PAGE
from directory.vocabulary import PARTNER_KIND_LABELS, PARTNER_KINDS
from geodata.providers import preferred_departements
from routing.errors import RoutingError
from routing.orientation import PlaceQuery, ResolvedPlace
from routing.orientation.places import resolve_place
from web.api.providers import geocoder, search_index
from web.database import db_session
from web.maps import PageMap, build_map, legend, point_features, settings_from
from web.presentation import partner_documents
from web.presentation.partners import current_confirmation_policy
from web.schemas.instants import now
from web.security_headers import csp_nonce
from web.views import page_query

PER_PAGE = 10
search = Blueprint("search", __name__)


@dataclass
class SearchForm:
    """What the person asked, read leniently from the URL."""

    q: str = ""
    address: str = ""
    insee_code: str | None = None
    right: str | None = None
    kind: str | None = None
    open_now: bool = False
    accessible: bool = False
    without_appointment: bool = False
    include_unconfirmed: bool = False
    page: int = 1
    problems: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.q or self.address or self.insee_code or self.right or self.kind)

    def link(self, **changes: Any) -> str:
        """This search's URL with some parameters changed (None or False: removed)."""
        values: dict[str, Any] = {
            "q": self.q,
            "address": self.address,
            "insee_code": self.insee_code,
            "right": self.right,
            "kind": self.kind,
            "open_now": self.open_now,
            "accessible": self.accessible,
            "without_appointment": self.without_appointment,
            "include_unconfirmed": self.include_unconfirmed,
            "page": None,
        }
        values.update(changes)
        params: dict[str, Any] = {
            key: ("1" if value is True else value)
            for key, value in values.items()
            if value not in (None, "", False)
        }
        return url_for("search.results", **params)


def read_form(args: Any, right_slugs: set[str]) -> SearchForm:
    form = SearchForm(
        q=page_query.text(args, "q"),
        address=page_query.text(args, "address"),
        insee_code=page_query.insee_code(args),
        right=page_query.choice(args, "right", right_slugs),
        kind=page_query.choice(args, "kind", PARTNER_KINDS),
        open_now=page_query.flag(args, "open_now"),
        accessible=page_query.flag(args, "accessible"),
        without_appointment=page_query.flag(args, "without_appointment"),
        include_unconfirmed=page_query.flag(args, "include_unconfirmed"),
        page=page_query.page_number(args, MAX_PAGE),
    )
    if args.get("right") and form.right is None:
        form.problems.append(
            _("Ce droit n'est pas dans notre liste : il n'a pas été pris en compte.")
        )
    if args.get("kind") and form.kind is None:
        form.problems.append(_("Ce type de lieu est inconnu : il n'a pas été pris en compte."))
    return form


def _place(form: SearchForm) -> ResolvedPlace | None:
    if not (form.address or form.insee_code):
        return None
    query = (
        PlaceQuery(address=form.address) if form.address else PlaceQuery(insee_code=form.insee_code)
    )
    try:
        return resolve_place(db_session(), query, geocoder())
    except RoutingError:
        form.problems.append(
            _(
                "Nous n'avons pas trouvé « %(place)s ». Vérifiez l'orthographe, ou indiquez "
                "seulement le nom de la commune ou son code postal.",
                place=form.address or form.insee_code,
            )
        )
        return None


def _search(form: SearchForm, place: ResolvedPlace | None, at: datetime) -> SearchPage:
    search_request = SearchRequest(
        text=form.q,
        filters=SearchFilters(
            kinds=(form.kind,) if form.kind else (),
            right_slugs=(form.right,) if form.right else (),
            near=place.lon_lat if place else None,
            open_at=at if form.open_now else None,
            accessible_only=form.accessible,
            without_appointment=form.without_appointment,
            verified_since=(
                None
                if form.include_unconfirmed
                else current_confirmation_policy().oldest_current_date(at.date())
            ),
        ),
        page=form.page,
        per_page=PER_PAGE,
        preferred_departements=preferred_departements(current_app.config),
    )
    return search_partners(db_session(), search_index(), search_request)


@search.get("/recherche")
def results() -> str:
    session = db_session()
    rights = list_rights(session)
    form = read_form(request.args, {right.slug for right in rights})
    place = _place(form)
    found = None
    documents: list[dict[str, Any]] = []
    at = now()
    older_only = False
    if not form.is_empty and not (form.address and place is None):
        found = _search(form, place, at)
        if found.total == 0 and not form.include_unconfirmed and form.page == 1:
            # Never an empty page when places are known with older information: they are
            # shown, with a banner and each one's warning, and the links keep them.
            form.include_unconfirmed = older_only = True
            found = _search(form, place, at)
            older_only = found.total > 0
            form.include_unconfirmed = older_only
        documents = partner_documents(session, found.hits, at)
    page_map = results_map(documents, place) if documents else None
    return render_template(
        "pages/search.html",
        form=form,
        place=place,
        page_map=page_map,
        found=found,
        partners=documents,
        older_only=older_only,
        max_age_months=current_confirmation_policy().max_age_months,
        rights=rights,
        right_names={right.slug: right.name for right in rights},
        kinds=sorted(PARTNER_KIND_LABELS.items(), key=lambda item: item[1]),
        last_page=(
            min(MAX_PAGE, -(-found.total // PER_PAGE)) if found is not None and found.total else 1
        ),
    )


def results_map(partners: list[dict[str, Any]], place: ResolvedPlace | None) -> PageMap:
    data: dict[str, Any] = {"points": point_features(partners), "legend": legend()}
    if place is not None:
        data["home"] = {"lon": place.lon, "lat": place.lat, "label": place.label}
    return build_map(
        settings_from(current_app.config),
        centre=place.lon_lat if place else None,
        data=data,
        nonce=csp_nonce(),
        label=_("Carte des lieux de la liste"),
    )
