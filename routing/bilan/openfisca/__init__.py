"""OpenFisca-France behind the `BenefitEngine` protocol: eligibility and amounts come from
the reference tax-benefit model, never from rules written here.

The tax-benefit system takes seconds and about 150 MB to load: `france_system` loads it on
first use and keeps it for the life of the process (once per worker), and every bilan then
runs one small simulation asking only the variables of the rights wanted.

Periods are where simulations go wrong. OpenFisca's formulas read the past: the RSA and the
prime d'activité the last 3 months of resources, the aides au logement the 12 months before
last and the incomes of year N-2, the chèque énergie the tax return of N-2, the C2S the last
12 months. A monthly income stated today is therefore written on every month of the years
N-4 to N (`HISTORY_YEARS`): the household is assumed to have had the same incomes, and says
so in the notes. Incomes the questionnaire does not ask about are set to zero on the same
periods (`UNASKED_INCOMES`), which also spares OpenFisca long chains of formulas that would
end in zero anyway.
"""

from routing.bilan.openfisca.engine import OpenFiscaFrance
from routing.bilan.openfisca.household import household_input
from routing.bilan.openfisca.rights import RIGHT_MODELS
from routing.bilan.openfisca.system import engine_version, france_system

__all__ = [
    "RIGHT_MODELS",
    "OpenFiscaFrance",
    "engine_version",
    "france_system",
    "household_input",
]
