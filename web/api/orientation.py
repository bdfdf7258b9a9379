"""GET /api/v1/orientation: which partner for this right, this person, this place, now."""

from __future__ import annotations

from typing import Any

from routing.orientation import (
    AgeBand,
    OrientationRequest,
    PlaceQuery,
    Profile,
    orient,
)
from web.api import API_PREFIX, ApiBlueprint
from web.api.providers import geocoder, travel_times
from web.database import db_session
from web.http_cache import set_max_age
from web.presentation.orientation import orientation_document
from web.presentation.partners import current_confirmation_policy
from web.schemas.instants import now
from web.schemas.orientation import OrientationQuerySchema, OrientationSchema

ORIENTATION_MAX_AGE_S = 60

blp = ApiBlueprint(
    "orientation",
    __name__,
    url_prefix=API_PREFIX,
    description="Orientation : partenaires compétents classés, avec les raisons du choix.",
)


def _request(args: dict[str, Any]) -> OrientationRequest:
    place = PlaceQuery(
        address=args.get("address"),
        point=(args["lon"], args["lat"]) if "lon" in args else None,
        insee_code=args.get("insee_code"),
    )
    profile = Profile(
        age_band=AgeBand(args["age_band"]) if "age_band" in args else None,
        is_agricultural=args["is_agricultural"],
        has_car=args["has_car"],
        needs_digital_help=args["needs_digital_help"],
        language=args.get("language"),
        has_reduced_mobility=args["has_reduced_mobility"],
    )
    return OrientationRequest(
        rights=tuple(args["right"]),
        place=place,
        profile=profile,
        max_partners=args["max_partners"],
    )


@blp.get("/orientation")
@blp.arguments(OrientationQuerySchema, location="query")
@blp.response(200, OrientationSchema)
def orientation(args: dict[str, Any]) -> dict[str, Any]:
    """Orienter une personne

    Pour un ou plusieurs droits (`right`, répétable) et un seul lieu (`address`, ou `lon`
    et `lat`, ou `insee_code` ; aucun lieu ou deux : 422) : les partenaires compétents
    classés, avec pour chacun les raisons lisibles du classement, la distance et le temps
    de trajet estimé ; les passages du bus des droits à portée ; les démarches à distance.
    """
    set_max_age(ORIENTATION_MAX_AGE_S)
    at = args.get("at") or now()
    result = orient(
        db_session(),
        _request(args),
        at,
        geocoder=geocoder(),
        travel_times=travel_times(),
        confirmation=current_confirmation_policy(),
    )
    return orientation_document(db_session(), result)
