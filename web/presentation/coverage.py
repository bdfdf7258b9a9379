"""One presentation of a coverage analysis and of a proposed month, for the API, the pages,
the CSV export and the CLI alike (French labels, minutes, colours of the map)."""

from __future__ import annotations

from typing import Any

from directory.hours import format_day, format_time
from directory.vocabulary import PARTNER_KIND_LABELS
from routing.bus.planning.coverage import (
    COVERAGE_MODE_LABELS,
    CommuneCoverage,
    CoverageMode,
    CoverageReport,
    NearestPartner,
)
from routing.bus.planning.month import MonthPlan

BANDS = (
    (15 * 60, "#1a7f37", "moins de 15 min"),
    (30 * 60, "#9ac23c", "15 à 30 min"),
    (45 * 60, "#e8a33d", "30 à 45 min"),
    (60 * 60, "#d1495b", "45 min à 1 h"),
    (None, "#6d1a36", "plus d'une heure ou aucun lieu"),
)
"""Classes of the choropleth (travel time by the chosen mode), each with a label: the colour
is never the only carrier of the information (the table and the tooltip say it)."""
CSV_COLUMNS = (
    "code_insee", "commune", "population", "zone_eloignee", "partenaire_le_plus_proche",
    "type_de_partenaire", "minutes_en_voiture", "minutes_sans_voiture", "distance_km",
)  # fmt: skip


def minutes(seconds: int | None) -> int | None:
    return None if seconds is None else -(-seconds // 60)


def band_of(seconds: int | None) -> tuple[str, str]:
    for limit, colour, label in BANDS:
        if seconds is not None and (limit is None or seconds < limit):
            return colour, label
    return BANDS[-1][1], BANDS[-1][2]


def _partner(nearest: NearestPartner | None) -> dict[str, Any] | None:
    if nearest is None:
        return None
    return {
        "id": nearest.partner_id,
        "name": nearest.name,
        "kind": nearest.kind,
        "kind_label": PARTNER_KIND_LABELS.get(nearest.kind, nearest.kind),
        "travel_time_s": nearest.travel_time_s,
        "straight_distance_m": nearest.straight_distance_m,
    }


def commune_document(row: CommuneCoverage, mode: CoverageMode) -> dict[str, Any]:
    nearest = row.nearest(mode)
    return {
        "insee_code": row.commune.insee_code,
        "name": row.commune.name,
        "population": row.commune.population,
        "location": {"lon": row.commune.lon, "lat": row.commune.lat},
        "nearest_partner": _partner(nearest),
        "car_travel_time_s": row.by_car.travel_time_s if row.by_car else None,
        "without_car_travel_time_s": row.without_car.travel_time_s if row.without_car else None,
        "nearest_by_car": _partner(row.by_car),
        "nearest_without_car": _partner(row.without_car),
        "is_remote": row.is_remote,
    }


def coverage_document(report: CoverageReport) -> dict[str, Any]:
    totals = report.totals
    return {
        "right": report.right,
        "help_levels": list(report.help_levels),
        "mode": report.mode.value,
        "mode_label": COVERAGE_MODE_LABELS[report.mode],
        "threshold_min": report.threshold_s // 60,
        "permanent_partners": report.partner_count,
        "communes": [commune_document(row, report.mode) for row in report.communes],
        "totals": {
            "communes": totals.communes,
            "population": totals.population,
            "remote_communes": totals.remote_communes,
            "remote_population": totals.remote_population,
            "covered_population": totals.covered_population,
        },
        "summary": report.sentence,
        "method": (
            "Chaque commune est représentée par sa mairie (à défaut son centre) ; population "
            "municipale INSEE livrée avec l'application ; lieux permanents de l'annuaire qui "
            "accompagnent pour ce droit (ni bus, ni France services itinérantes, ni exemples "
            "fictifs) et qui servent la commune ; temps de trajet estimés (voir "
            "docs/GEODATA.md)."
        ),
    }


def csv_rows(report: CoverageReport) -> list[list[str]]:
    rows = [list(CSV_COLUMNS)]
    for row in report.communes:
        nearest = row.nearest(report.mode)
        rows.append(
            [
                row.commune.insee_code,
                row.commune.name,
                str(row.commune.population),
                "oui" if row.is_remote else "non",
                nearest.name if nearest else "",
                PARTNER_KIND_LABELS.get(nearest.kind, nearest.kind) if nearest else "",
                _text(minutes(row.by_car.travel_time_s if row.by_car else None)),
                _text(minutes(row.without_car.travel_time_s if row.without_car else None)),
                f"{nearest.straight_distance_m / 1000:.1f}" if nearest else "",
            ]
        )
    return rows


def _text(value: int | None) -> str:
    return "" if value is None else str(value)


def choropleth_features(report: CoverageReport) -> dict[str, str]:
    """INSEE code → colour of its class, for the map script (shapes come from the outlines)."""
    colours = {}
    for row in report.communes:
        nearest = row.nearest(report.mode)
        colours[row.commune.insee_code] = band_of(nearest.travel_time_s if nearest else None)[0]
    return colours


def plan_rows(plan: MonthPlan) -> list[dict[str, Any]]:
    """The proposed month, visit by visit, in French."""
    rows = []
    for tour in plan.day_tours():
        for order, visit in enumerate(tour.visits, start=1):
            commune = plan.stop_of(visit.stop)
            rows.append(
                {
                    "day": f"{format_day(tour.day.day)} {tour.day.day.year}",
                    "date": tour.day.day.isoformat(),
                    "order": order,
                    "insee_code": commune.insee_code,
                    "commune": commune.name,
                    "start": format_time(visit.arrival_s // 60),
                    "end": format_time(visit.departure_s // 60),
                    "lon": commune.lon,
                    "lat": commune.lat,
                }
            )
    return rows


def plan_document(plan: MonthPlan) -> dict[str, Any]:
    return {
        "month": f"{plan.request.month:%Y-%m}",
        "stops": [
            {"insee_code": c.insee_code, "name": c.name, "population": c.population}
            for c in plan.stops
        ],
        "depot": {"insee_code": plan.depot.insee_code, "name": plan.depot.name},
        "visits": plan_rows(plan),
        "dropped": list(plan.tours.dropped),
        "is_optimal": plan.selection.is_optimal,
        "half_days_used": plan.selection.half_days_used,
        "before": {
            "remote_population": plan.before.totals.remote_population,
            "remote_communes": plan.before.totals.remote_communes,
        },
        "after": {
            "remote_population": plan.remote_population_after,
            "remote_communes": plan.before.totals.remote_communes - len(plan.gained),
        },
        "gained": [
            {"insee_code": c.insee_code, "name": c.name, "population": c.population}
            for c in plan.gained
        ],
        "summary": plan.sentence,
        "coverage_summary": plan.before.sentence,
    }
