"""« Bilan des droits »: from a household's answers to the rights it may be missing.

Entry point: :func:`draw_up_bilan` (:mod:`.assess`), given a :class:`Situation`
(:mod:`.situation`) and a :class:`BenefitEngine` (:mod:`.engine`), answering a :class:`Bilan`
(:mod:`.answer`). Eligibility and amounts come from OpenFisca-France (:mod:`.openfisca`,
loaded once per process); rights it does not model keep the catalogue's conditions; the
places to go come from the orientation.
"""

from routing.bilan.answer import BASIS_LABELS, Basis, Bilan, RightAssessment, euros, french_date
from routing.bilan.assess import draw_up_bilan, list_catalogue, missing_answers
from routing.bilan.engine import AmountPeriod, BenefitEngine, Estimate
from routing.bilan.situation import HOUSING_LABELS, Housing, Situation

__all__ = [
    "BASIS_LABELS",
    "HOUSING_LABELS",
    "AmountPeriod",
    "Basis",
    "BenefitEngine",
    "Bilan",
    "Estimate",
    "Housing",
    "RightAssessment",
    "Situation",
    "draw_up_bilan",
    "euros",
    "french_date",
    "list_catalogue",
    "missing_answers",
]
