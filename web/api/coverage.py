"""GET /api/v1/coverage (JSON) and /api/v1/coverage.csv: how far each commune of a
territory is from a permanent place that helps with a right, by car and without a car."""

from __future__ import annotations

import csv
import io
from typing import Any

from flask import Response, current_app

from routing.bus.planning.coverage import CoverageMode, CoverageReport, analyse_coverage
from routing.bus.planning.territory import TerritoryRequest
from web.api import API_PREFIX, ApiBlueprint
from web.api.providers import travel_times
from web.database import db_session
from web.http_cache import set_max_age
from web.presentation.coverage import coverage_document, csv_rows
from web.schemas.coverage import CoverageQuerySchema, CoverageSchema

COVERAGE_MAX_AGE_S = 3600

blp = ApiBlueprint(
    "coverage",
    __name__,
    url_prefix=API_PREFIX,
    description="Couverture d'un territoire par les lieux d'accompagnement permanents.",
)


def coverage_from(args: dict[str, Any]) -> CoverageReport:
    territory = TerritoryRequest(
        epci_sirens=tuple(dict.fromkeys(args.get("epci") or ())),
        departement_codes=tuple(dict.fromkeys(args.get("departement") or ())),
        insee_codes=tuple(dict.fromkeys(code.upper() for code in args.get("insee_code") or ())),
    )
    return analyse_coverage(
        db_session(),
        territory,
        travel_times(),
        right=args.get("right"),
        mode=CoverageMode(args["mode"]),
        threshold_s=int(args["threshold_min"]) * 60,
    )


@blp.get("/coverage")
@blp.arguments(CoverageQuerySchema, location="query")
@blp.response(200, CoverageSchema)
def coverage(args: dict[str, Any]) -> dict[str, Any]:
    """Couverture d'un territoire

    Pour chaque commune (`epci`, `departement` ou `insee_code`, répétables) : sa population,
    le lieu permanent le plus proche qui accompagne pour le droit (`right`, sinon pour au
    moins un droit) et les temps de trajet en voiture et sans voiture ; les communes
    au-delà du seuil (`threshold_min`, selon `mode`) sont des « zones éloignées ». Les
    totaux permettent de dire « N personnes habitent à plus de 30 minutes ».
    """
    set_max_age(COVERAGE_MAX_AGE_S)
    return coverage_document(coverage_from(args))


@blp.get("/coverage.csv")
@blp.arguments(CoverageQuerySchema, location="query")
@blp.response(200, {"type": "string"}, content_type="text/csv", description="CSV (UTF-8)")
def coverage_csv(args: dict[str, Any]) -> Response:
    """Couverture d'un territoire (CSV)

    Les mêmes communes que `/coverage`, une ligne par commune (UTF-8, séparateur « , »).
    """
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(csv_rows(coverage_from(args)))
    set_max_age(COVERAGE_MAX_AGE_S)
    response = current_app.response_class(buffer.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="couverture.csv"'
    return response
