"""GET /api/v1/health: can the run command be trusted?"""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy.exc import SQLAlchemyError

from directory.queries import count_partners
from directory.search import index_status
from geodata.database import backend_of
from geodata.queries import count_communes
from web.api import API_PREFIX, ApiBlueprint
from web.api.providers import search_index_dir
from web.database import db_session
from web.http_cache import set_max_age
from web.schemas.base import NoQuerySchema
from web.schemas.meta import HealthSchema

blp = ApiBlueprint(
    "service", __name__, url_prefix=API_PREFIX, description="État du service et documentation."
)


@blp.get("/health")
@blp.arguments(NoQuerySchema, location="query", as_kwargs=True)
@blp.response(200, HealthSchema, description="Service opérationnel")
@blp.alt_response(503, schema=HealthSchema, description="Base de données indisponible")
def health() -> tuple[dict[str, Any], int]:
    """État du service

    Base de données joignable, volumes chargés, index de recherche à jour. `degraded` :
    la base répond mais l'index est absent ou en retard (`aiguillage search rebuild`).
    """
    set_max_age(0)
    engine = current_app.extensions["aiguillage.engine"]
    body: dict[str, Any] = {"backend": backend_of(engine).value}
    try:
        session = db_session()
        body["communes"] = count_communes(session)
        body["partners"] = count_partners(session)
        body["database"] = "ok"
    except SQLAlchemyError as exc:
        body["database"] = "indisponible"
        body["detail"] = str(exc.__class__.__name__)
        body["status"] = "degraded"
        return body, 503
    status = index_status(session, search_index_dir())
    body["search_index"] = {
        "status": "ok" if status.in_step else ("en-retard" if status.exists else "absent"),
        "documents": status.document_count,
        "last_built_at": status.last_built_at,
    }
    body["status"] = "ok" if status.in_step else "degraded"
    return body, 200
