"""The bilan des droits as the API sends it and the page shows it (one presentation), and the
situation read from the validated answers of either."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from routing.bilan import BASIS_LABELS, Bilan, Housing, Situation, euros
from web.presentation.orientation import orientation_document, place_document

SITUATION_FIELDS = (
    "age",
    "couple",
    "partner_age",
    "children_ages",
    "monthly_earnings_eur",
    "partner_monthly_earnings_eur",
    "other_monthly_income_eur",
    "housing",
    "rent_eur",
    "insee_code",
    "address",
    "disability_rate",
    "is_student",
    "is_agricultural",
)


def situation_from(answers: Mapping[str, Any]) -> Situation:
    """A `Situation` from answers already checked by `BilanSituationSchema` (absent or None:
    « je ne sais pas »); raises `InvalidSituation` for answers that do not fit together."""
    values = {name: answers.get(name) for name in SITUATION_FIELDS}
    if values["children_ages"] is not None:
        values["children_ages"] = tuple(values["children_ages"])
    if values["housing"] is not None:
        values["housing"] = Housing(values["housing"])
    if isinstance(values["address"], str):
        values["address"] = values["address"].strip()
    return Situation(**values)


def _orientation_parts(session: Session, bilan: Bilan) -> dict[str, dict[str, Any]]:
    """The orientation answer, cut into one part per right."""
    if bilan.orientation is None:
        return {}
    document = orientation_document(session, bilan.orientation)
    parts = {}
    for right in document["rights"]:
        slug = right["slug"]
        parts[slug] = {
            "partners": [r for r in document["results"] if r["right"] == slug],
            "deciders": right["deciders"],
            "decider_note": right["decider_note"],
            "remote": [r for r in document["remote"] if r["right"] == slug],
            "bus_visits": [v for v in document["bus_visits"] if slug in v["rights"]],
            "has_nearby_partner": right["has_nearby_partner"],
            "notices": right["notices"],
        }
    return parts


def bilan_document(session: Session, bilan: Bilan) -> dict[str, Any]:
    """The bilan, as the API sends it and the page shows it."""
    parts = _orientation_parts(session, bilan)
    return {
        "rights": [
            {
                "slug": right.slug,
                "name": right.name,
                "short_name": right.short_name,
                "likely": right.likely,
                "amount_eur": right.amount_eur,
                "amount_period": right.amount_period.value,
                "basis": right.basis.value,
                "basis_label": BASIS_LABELS[right.basis],
                "reasons": list(right.reasons),
                "uncertain": list(right.uncertain),
                "documents": list(right.documents),
                "orientation": parts.get(right.slug),
            }
            for right in bilan.rights
        ],
        "legislation_date": bilan.legislation_date,
        "engine": {"name": bilan.engine_name, "version": bilan.engine_version},
        "disclaimer": bilan.disclaimer,
        "place": place_document(bilan.place) if bilan.place is not None else None,
        "notices": list(bilan.notices),
    }


def amount_text(right: Mapping[str, Any]) -> str | None:
    """« Environ 243,60 € par mois » for a right of `bilan_document` with an amount."""
    amount = right["amount_eur"]
    if not amount:
        return None
    period = "par an" if right["amount_period"] == "year" else "par mois"
    return f"Environ {euros(amount)} {period}"
