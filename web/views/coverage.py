"""/couverture: how far each commune of a territory is from a permanent place that helps
(choropleth map, the same table, CSV export), and /couverture/plan: a proposed month for
the bus des droits (stops, days, order, coverage before → after). Lenient query reading:
a page never answers 500 to a bad link, it says what is wrong."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from flask import Blueprint, Response, current_app, render_template, request, url_for
from flask_babel import gettext as _
from shapely.geometry import mapping

from directory.queries import list_rights
from directory.rights_catalogue import RIGHT_SLUGS
from geodata.queries import list_commune_outlines, list_epci_names
from routing.bus.planning.coverage import (
    COVERAGE_MODE_LABELS,
    CoverageMode,
    CoverageReport,
    analyse_coverage,
)
from routing.bus.planning.month import MonthPlan, PlanRequest, propose_month
from routing.bus.planning.territory import TerritoryRequest
from routing.errors import InvalidCoverageRequest
from web.api.providers import travel_times
from web.database import db_session
from web.http_cache import set_max_age
from web.maps import PageMap, build_map, legend, settings_from
from web.media_types import GEOJSON
from web.presentation.coverage import (
    BANDS,
    band_of,
    coverage_document,
    minutes,
    plan_document,
)
from web.schemas.instants import now
from web.security_headers import csp_nonce
from web.views import page_query

coverage_pages = Blueprint("coverage_pages", __name__)
OUTLINES_MAX_AGE_S = 3600


@dataclass
class CoverageForm:
    epci: list[str] = field(default_factory=list)
    departement: str = ""
    right: str | None = None
    threshold_min: int = 30
    mode: CoverageMode = CoverageMode.CAR
    problems: list[str] = field(default_factory=list)

    def territory(self) -> TerritoryRequest:
        return TerritoryRequest(
            epci_sirens=tuple(self.epci),
            departement_codes=(self.departement,) if self.departement else (),
        )

    def params(self) -> dict[str, Any]:
        values: dict[str, Any] = {"epci": self.epci, "threshold_min": self.threshold_min}
        values["mode"] = self.mode.value
        if self.departement:
            values["departement"] = self.departement
        if self.right:
            values["right"] = self.right
        return values


def _territory_epcis() -> tuple[str, ...]:
    value = str(current_app.config["MAP_TERRITORY_EPCIS"])
    return tuple(part.strip() for part in value.split(",") if part.strip())


def _number(name: str, default: int, low: int, high: int) -> int:
    value = request.args.get(name, "").strip()
    if value.isascii() and value.isdigit():
        return min(max(int(value), low), high)
    return default


def read_form() -> CoverageForm:
    args = request.args
    epci = [code for code in args.getlist("epci") if code.isascii() and code.isdigit()][:20]
    departement = page_query.text(args, "departement", 3).upper()
    form = CoverageForm(
        epci=list(dict.fromkeys(epci)),
        departement=departement if departement.isalnum() else "",
        right=page_query.choice(args, "right", RIGHT_SLUGS),
        threshold_min=_number("threshold_min", 30, 1, 180),
        mode=CoverageMode(
            page_query.choice(args, "mode", [m.value for m in CoverageMode]) or "car"
        ),
    )
    return form


def _analyse(form: CoverageForm) -> CoverageReport | None:
    if not (form.epci or form.departement):
        return None
    try:
        return analyse_coverage(
            db_session(),
            form.territory(),
            travel_times(),
            right=form.right,
            mode=form.mode,
            threshold_s=form.threshold_min * 60,
        )
    except InvalidCoverageRequest as exc:
        _problems(form, exc)
        return None


def _form_context(form: CoverageForm) -> dict[str, Any]:
    session = db_session()
    return {
        "form": form,
        "epcis": _epci_choices(),
        "rights": list_rights(session),
        "modes": list(COVERAGE_MODE_LABELS.items()),
        "bands": [(colour, label) for _, colour, label in BANDS],
    }


def _epci_choices() -> list[tuple[str, str]]:
    return list_epci_names(db_session(), _territory_epcis())


def _choropleth_map(
    form: CoverageForm, report: CoverageReport, layers: dict[str, Any], label: str
) -> PageMap:
    """The territory's communes coloured by travel time (fetched by the map script), and
    extra layers; the view opens around the territory."""
    lons = [row.commune.lon for row in report.communes]
    lats = [row.commune.lat for row in report.communes]
    margin = 0.05
    return build_map(
        settings_from(current_app.config),
        bounds=(min(lons) - margin, min(lats) - margin, max(lons) + margin, max(lats) + margin),
        data={
            "choropleth_url": url_for("coverage_pages.outlines", **form.params()),
            "keep_view": True,
            "legend": legend(),
            **layers,
        },
        nonce=csp_nonce(),
        label=label,
    )


def _problems(form: CoverageForm, error: InvalidCoverageRequest) -> None:
    form.problems.append(error.message)
    for messages in error.field_errors.values():
        form.problems.extend(messages)


@coverage_pages.get("/couverture")
def coverage() -> str:
    form = read_form()
    report = _analyse(form)
    page_map = None
    document = None
    if report is not None:
        document = coverage_document(report)
        for commune, row in zip(document["communes"], report.communes, strict=True):
            nearest = row.nearest(report.mode)
            commune["minutes"] = minutes(nearest.travel_time_s if nearest else None)
            commune["car_minutes"] = minutes(commune["car_travel_time_s"])
            commune["without_car_minutes"] = minutes(commune["without_car_travel_time_s"])
            commune["band"] = band_of(nearest.travel_time_s if nearest else None)[1]
        page_map = _choropleth_map(
            form, report, {}, _("Carte des temps de trajet vers le lieu permanent le plus proche")
        )
    return render_template(
        "pages/coverage.html",
        report=document,
        page_map=page_map,
        csv_url=url_for("coverage.coverage_csv", **form.params()) if report else None,
        api_url=url_for("coverage.coverage", **form.params()) if report else None,
        **_form_context(form),
    )


@coverage_pages.get("/couverture/communes.geojson")
def outlines() -> Response:
    """The territory's communes with the colour of their class, for the choropleth."""
    form = read_form()
    report = _analyse(form)
    features = []
    if report is not None:
        rows = {row.commune.insee_code: row for row in report.communes}
        for outline in list_commune_outlines(db_session(), list(rows)):
            row = rows[outline.insee_code]
            nearest = row.nearest(report.mode)
            colour, label = band_of(nearest.travel_time_s if nearest else None)
            wait = minutes(nearest.travel_time_s) if nearest else None
            features.append(
                {
                    "type": "Feature",
                    "id": outline.insee_code,
                    "properties": {
                        "name": outline.name,
                        "colour": colour,
                        "label": label,
                        "population": row.commune.population,
                        "minutes": wait,
                        "is_remote": row.is_remote,
                    },
                    "geometry": mapping(outline.outline),
                }
            )
    set_max_age(OUTLINES_MAX_AGE_S)
    body = current_app.json.dumps({"type": "FeatureCollection", "features": features})
    return current_app.response_class(body, content_type=GEOJSON)


# -- proposed month ---------------------------------------------------------------------------


def _next_month(today: date) -> date:
    last = calendar.monthrange(today.year, today.month)[1]
    following = today.replace(day=last) + timedelta(days=1)
    return following.replace(day=1)


def _month(value: str, default: date) -> date:
    try:
        year, month = (int(part) for part in value.split("-", 1))
        return date(year, month, 1)
    except ValueError:
        return default


def day_layers(proposal: MonthPlan, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One map layer per working day: its stops in order, and the line from the depot back."""
    depot = [proposal.depot.lon, proposal.depot.lat]
    layers = []
    for day in dict.fromkeys(row["date"] for row in rows):
        visits = [row for row in rows if row["date"] == day]
        layers.append(
            {
                "name": visits[0]["day"],
                "stops": [
                    {
                        "name": f"{row['order']}. {row['commune']}",
                        "lon": row["lon"],
                        "lat": row["lat"],
                        "next": f"{row['day']}, {row['start']} – {row['end']}",
                    }
                    for row in visits
                ],
                "line": [depot, *([row["lon"], row["lat"]] for row in visits), depot],
            }
        )
    return layers


@dataclass
class PlanForm:
    """The proposed-month form of /couverture/plan (and of the back office's « publier »)."""

    coverage: CoverageForm
    month: date
    stops: int
    half_days: int
    visits_per_month: int

    def request(self) -> PlanRequest:
        form = self.coverage
        return PlanRequest(
            territory=form.territory(),
            month=self.month,
            max_stops=self.stops,
            half_days=self.half_days,
            visits_per_month=self.visits_per_month,
            right=form.right,
            mode=form.mode,
            threshold_s=form.threshold_min * 60,
        )

    def params(self) -> dict[str, Any]:
        return {**self.coverage.params(), "month": f"{self.month:%Y-%m}", "stops": self.stops,
                "half_days": self.half_days, "visits_per_month": self.visits_per_month}  # fmt: skip


def read_plan_form() -> PlanForm:
    """The form from the query string, leniently; the planning runs only
    on the territory's own EPCI (a problem says so otherwise)."""
    form = read_form()
    default_month = _next_month(now().date())
    plan_form = PlanForm(
        coverage=form,
        month=_month(request.args.get("month", ""), default_month),
        stops=_number("stops", 8, 1, 30),
        half_days=_number("half_days", 8, 1, 40),
        visits_per_month=_number("visits_per_month", 1, 1, 4),
    )
    allowed = set(_territory_epcis())
    if form.departement or set(form.epci) - allowed:
        form.problems.append(
            _("La proposition de mois porte sur les intercommunalités du territoire.")
        )
        form.departement, form.epci = "", [code for code in form.epci if code in allowed]
    return plan_form


def propose(plan_form: PlanForm) -> MonthPlan | None:
    """The proposed month, or None (no EPCI chosen, or a problem added to the form)."""
    if not plan_form.coverage.epci:
        return None
    try:
        return propose_month(db_session(), plan_form.request(), travel_times())
    except InvalidCoverageRequest as exc:
        _problems(plan_form.coverage, exc)
        return None


def plan_map(plan_form: PlanForm, proposal: MonthPlan, document: dict[str, Any]) -> PageMap:
    return _choropleth_map(
        plan_form.coverage,
        proposal.before,
        {"bus_routes": day_layers(proposal, document["visits"])},
        _("Carte du mois proposé pour le bus des droits"),
    )


def plan_context(plan_form: PlanForm) -> dict[str, Any]:
    return {
        "month": f"{plan_form.month:%Y-%m}",
        "stops": plan_form.stops,
        "half_days": plan_form.half_days,
        "visits_per_month": plan_form.visits_per_month,
        **_form_context(plan_form.coverage),
    }


@coverage_pages.get("/couverture/plan")
def plan() -> str:
    plan_form = read_plan_form()
    proposal = propose(plan_form)
    page_map = None
    document = None
    if proposal is not None:
        document = plan_document(proposal)
        page_map = plan_map(plan_form, proposal, document)
    return render_template(
        "pages/coverage_plan.html", plan=document, page_map=page_map, **plan_context(plan_form)
    )
