"""GET /api/v1/rights, /api/v1/rights/<slug>: the rights catalogue (fresh one minute, like
every answer: administrators edit it in the back office)."""

from __future__ import annotations

from typing import Any

from directory.queries import get_right, list_rights
from web.api import API_PREFIX, ApiBlueprint
from web.database import db_session
from web.presentation.rights import right_document, right_summary
from web.schemas.base import NoQuerySchema
from web.schemas.rights import RightListSchema, RightSchema

blp = ApiBlueprint(
    "droits",
    __name__,
    url_prefix=API_PREFIX,
    description="Catalogue des droits : conditions, justificatifs, démarches, sources.",
)


@blp.get("/rights")
@blp.arguments(NoQuerySchema, location="query", as_kwargs=True)
@blp.response(200, RightListSchema)
def rights() -> dict[str, Any]:
    """Liste des droits"""
    items = [right_summary(right) for right in list_rights(db_session())]
    return {"items": items, "total": len(items)}


@blp.get("/rights/<string:slug>")
@blp.arguments(NoQuerySchema, location="query", as_kwargs=True)
@blp.response(200, RightSchema)
@blp.alt_response(404, response="NOT_FOUND")
def right(slug: str) -> dict[str, Any]:
    """Fiche d'un droit"""
    return right_document(get_right(db_session(), slug))
