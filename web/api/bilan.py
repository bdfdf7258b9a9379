"""POST /api/v1/bilan: the rights a household may be entitled to, computed with
OpenFisca-France, and where to go for each.

The situation is personal: it comes in the body of a POST (never in the URL), is read for
the time of the request and neither stored, logged nor cached (``Cache-Control: no-store``).
"""

from __future__ import annotations

from typing import Any

from flask import after_this_request
from flask.typing import ResponseReturnValue

from routing.bilan import draw_up_bilan
from web.api import API_PREFIX, ApiBlueprint
from web.api.providers import benefit_engine, geocoder, travel_times
from web.database import db_session
from web.presentation.bilan import bilan_document, situation_from
from web.schemas.bilan import BilanSchema, BilanSituationSchema
from web.schemas.instants import now

blp = ApiBlueprint(
    "bilan",
    __name__,
    url_prefix=API_PREFIX,
    description="Bilan des droits : les aides qu'un foyer peut demander, calculées avec "
    "OpenFisca-France, et où aller pour chacune.",
)


def forbid_storing(response: Any) -> Any:
    response.cache_control.no_store = True
    return response


@blp.post("/bilan")
@blp.arguments(BilanSituationSchema)
@blp.response(200, BilanSchema)
def bilan(answers: dict[str, Any]) -> ResponseReturnValue:
    """Faire le bilan des droits d'un foyer

    La situation du foyer (toutes les réponses sont facultatives : absentes ou null, elles
    valent « je ne sais pas ») → pour chaque droit du catalogue : probable, peu probable ou
    à vérifier (`likely`), le montant mensuel estimé quand OpenFisca-France le calcule, les
    raisons, ce qui reste incertain, les papiers à apporter et, si un lieu est donné
    (`insee_code` ou `address`), où aller près de ce lieu. Calcul indicatif ; rien n'est
    enregistré.
    """
    after_this_request(forbid_storing)
    result = draw_up_bilan(
        db_session(),
        situation_from(answers),
        now(),
        engine=benefit_engine(),
        geocoder=geocoder(),
        travel_times=travel_times(),
    )
    return bilan_document(db_session(), result)
