"""/orienter (professionals): rights + place + profile → ranked places with their reasons;
/orienter/fiche: the printable sheet for one right. Nothing about the person is stored or
logged: the situation lives in the query string of the professional's own browser."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import gettext as _

from directory.queries import list_rights
from routing.errors import RoutingError
from routing.orientation import OrientationRequest, PlaceQuery, Profile, orient
from web.api.providers import geocoder, travel_times
from web.database import db_session
from web.presentation.orientation import orientation_document
from web.presentation.partners import current_confirmation_policy
from web.presentation.sheet import orientation_sheet
from web.schemas.instants import now
from web.views import page_query

orientation_pages = Blueprint("orientation_pages", __name__)
MAX_RIGHTS = 5


@dataclass
class OrientationForm:
    rights: list[str] = field(default_factory=list)
    address: str = ""
    insee_code: str | None = None
    has_car: bool = True
    is_agricultural: bool = False
    needs_digital_help: bool = False
    has_reduced_mobility: bool = False
    problems: list[str] = field(default_factory=list)

    @property
    def is_complete(self) -> bool:
        return bool(self.rights) and bool(self.address or self.insee_code)

    def params(self, **changes: Any) -> dict[str, Any]:
        values: dict[str, Any] = {
            "right": self.rights,
            "address": self.address or None,
            "insee_code": self.insee_code,
            "has_car": None if self.has_car else "0",
            "is_agricultural": "1" if self.is_agricultural else None,
            "needs_digital_help": "1" if self.needs_digital_help else None,
            "has_reduced_mobility": "1" if self.has_reduced_mobility else None,
        }
        values.update(changes)
        return {key: value for key, value in values.items() if value not in (None, "", [])}

    def request(self) -> OrientationRequest:
        place = (
            PlaceQuery(address=self.address)
            if self.address
            else PlaceQuery(insee_code=self.insee_code)
        )
        profile = Profile(
            is_agricultural=self.is_agricultural,
            has_car=self.has_car,
            needs_digital_help=self.needs_digital_help,
            has_reduced_mobility=self.has_reduced_mobility,
        )
        return OrientationRequest(rights=tuple(self.rights), place=place, profile=profile)


def read_form(args: Any, known_rights: set[str]) -> OrientationForm:
    asked = [slug for slug in dict.fromkeys(args.getlist("right")) if slug]
    form = OrientationForm(
        rights=[slug for slug in asked if slug in known_rights][:MAX_RIGHTS],
        address=page_query.text(args, "address"),
        insee_code=page_query.insee_code(args),
        has_car=args.get("has_car", "1").strip().lower() not in ("0", "false", "non"),
        is_agricultural=page_query.flag(args, "is_agricultural"),
        needs_digital_help=page_query.flag(args, "needs_digital_help"),
        has_reduced_mobility=page_query.flag(args, "has_reduced_mobility"),
    )
    if len(form.rights) < len(asked):
        form.problems.append(
            _(
                "Un droit demandé n'est pas dans notre liste ou dépasse la limite de %(n)d droits.",
                n=MAX_RIGHTS,
            )
        )
    return form


def _orientation(form: OrientationForm) -> dict[str, Any] | None:
    if not form.is_complete:
        return None
    session = db_session()
    try:
        result = orient(
            session,
            form.request(),
            now(),
            geocoder=geocoder(),
            travel_times=travel_times(),
            confirmation=current_confirmation_policy(),
        )
    except RoutingError as error:
        form.problems.append(error.message)
        return None
    return orientation_document(session, result)


@orientation_pages.get("/orienter")
def form() -> str:
    rights = list_rights(db_session())
    orientation_form = read_form(request.args, {right.slug for right in rights})
    if request.args and not orientation_form.is_complete and not orientation_form.problems:
        orientation_form.problems.append(
            _("Choisissez au moins un droit et indiquez une adresse ou une commune.")
        )
    answer = _orientation(orientation_form)
    return render_template(
        "pages/orientation.html",
        form=orientation_form,
        rights=rights,
        answer=answer,
    )


@orientation_pages.get("/orienter/fiche")
def sheet() -> str:
    rights = list_rights(db_session())
    orientation_form = read_form(request.args, {right.slug for right in rights})
    if len(orientation_form.rights) != 1:
        abort(400, description=_("La fiche imprimable porte sur un seul droit."))
    answer = _orientation(orientation_form)
    if answer is None:
        abort(400, description=" ".join(orientation_form.problems) or _("Adresse manquante."))
    chosen = request.args.get("partner", "")
    back = url_for("orientation_pages.form", **orientation_form.params())
    return render_template(
        "print/orientation_sheet.html",
        sheet=orientation_sheet(answer, chosen),
        back_url=back,
    )
