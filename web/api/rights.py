"""GET /api/v1/rights, /api/v1/rights/<slug>: the rights catalogue."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from directory.models import Right
from directory.queries import get_right, list_rights
from directory.rights_catalogue import DECIDER_LABELS, HELPER_LABELS
from web.api import API_PREFIX, ApiBlueprint
from web.database import db_session
from web.http_cache import LONG_MAX_AGE_S, set_max_age
from web.schemas.base import NoQuerySchema
from web.schemas.rights import RightListSchema, RightSchema

blp = ApiBlueprint(
    "droits",
    __name__,
    url_prefix=API_PREFIX,
    description="Catalogue des droits : conditions, justificatifs, démarches, sources.",
)


def _coded(code: str, labels: Mapping[str, str]) -> dict[str, str]:
    return {"code": code, "label": labels.get(code, code)}


def _summary(right: Right) -> dict[str, Any]:
    return {
        "slug": right.slug,
        "name": right.name,
        "short_name": right.short_name,
        "summary": str(right.content.get("summary", "")).strip(),
        "reviewed_at": right.reviewed_at,
    }


@blp.get("/rights")
@blp.arguments(NoQuerySchema, location="query", as_kwargs=True)
@blp.response(200, RightListSchema)
def rights() -> dict[str, Any]:
    """Liste des droits"""
    set_max_age(LONG_MAX_AGE_S)
    items = [_summary(right) for right in list_rights(db_session())]
    return {"items": items, "total": len(items)}


@blp.get("/rights/<string:slug>")
@blp.arguments(NoQuerySchema, location="query", as_kwargs=True)
@blp.response(200, RightSchema)
@blp.alt_response(404, response="NOT_FOUND")
def right(slug: str) -> dict[str, Any]:
    """Fiche d'un droit"""
    set_max_age(LONG_MAX_AGE_S)
    found = get_right(db_session(), slug)
    content = found.content
    agricultural = content.get("agricultural_decider")
    return {
        **content,
        **_summary(found),
        "deciders": [_coded(code, DECIDER_LABELS) for code in content.get("deciders", [])],
        "agricultural_decider": _coded(agricultural, DECIDER_LABELS) if agricultural else None,
        "helpers": [_coded(code, HELPER_LABELS) for code in content.get("helpers", [])],
    }
