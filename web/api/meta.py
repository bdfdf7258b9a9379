"""Health of the service: ``/health`` (complete, for people), ``/health/live`` (the process
answers) and ``/health/ready`` (it can serve: database reachable, index present and not
behind the change log beyond ``READY_MAX_LAG_S``), for load balancers."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import current_app
from sqlalchemy.exc import SQLAlchemyError

from directory.queries import count_partners
from directory.search import IndexStatus, index_status
from geodata.database import backend_of
from geodata.queries import count_communes
from web.api import API_PREFIX, ApiBlueprint
from web.api.providers import search_index_dir
from web.database import db_session
from web.http_cache import set_max_age
from web.schemas.base import NoQuerySchema
from web.schemas.meta import HealthSchema, LiveSchema, ReadySchema

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
    Pour un répartiteur de charge, préférer `/health/live` et `/health/ready`.
    """
    set_max_age(0)
    engine = current_app.extensions["aiguillage.engine"]
    body: dict[str, Any] = {"backend": backend_of(engine).value}
    try:
        session = db_session()
        body["communes"] = count_communes(session)
        body["partners"] = count_partners(session)
        body["database"] = "ok"
        status = index_status(session, search_index_dir())
    except SQLAlchemyError as exc:
        body["database"] = "indisponible"
        body["detail"] = str(exc.__class__.__name__)
        body["status"] = "degraded"
        return body, 503
    body["search_index"] = _index_document(status)
    body["status"] = "ok" if status.in_step else "degraded"
    return body, 200


@blp.get("/health/live")
@blp.arguments(NoQuerySchema, location="query", as_kwargs=True)
@blp.response(200, LiveSchema, description="Le processus répond")
def health_live() -> dict[str, Any]:
    """Processus vivant

    Ne lit ni la base ni l'index : un 200 dit seulement que le processus répond (à
    redémarrer sinon).
    """
    set_max_age(0)
    return {"status": "ok"}


@blp.get("/health/ready")
@blp.arguments(NoQuerySchema, location="query", as_kwargs=True)
@blp.response(200, ReadySchema, description="Prêt à servir")
@blp.alt_response(503, schema=ReadySchema, description="Pas prêt : ne pas lui envoyer de trafic")
def health_ready() -> tuple[dict[str, Any], int]:
    """Prêt à servir

    Base joignable, index de recherche présent, de cette base, et pas en retard sur le
    journal des changements de plus de `READY_MAX_LAG_S` secondes. Sinon 503 avec la
    raison dans `detail`.
    """
    set_max_age(0)
    try:
        status = index_status(db_session(), search_index_dir())
    except SQLAlchemyError as exc:
        detail = f"base de données injoignable ({exc.__class__.__name__})"
        return {"status": "indisponible", "database": "indisponible", "detail": detail}, 503
    body: dict[str, Any] = {"database": "ok", "search_index": _index_document(status)}
    problem = _not_ready_because(status, float(current_app.config["READY_MAX_LAG_S"]))
    if problem is not None:
        body.update(status="indisponible", detail=problem)
        return body, 503
    body["status"] = "ok"
    return body, 200


def _not_ready_because(status: IndexStatus, max_lag_s: float) -> str | None:
    if not status.exists:
        return "index de recherche absent"
    if status.sequence is None:
        return "index de recherche à reconstruire (il ne suit pas cette base)"
    lag_s = _lag_s(status)
    if lag_s is not None and lag_s > max_lag_s:
        return f"index de recherche en retard de {lag_s:.0f} s sur la base"
    return None


def _lag_s(status: IndexStatus) -> float | None:
    if status.behind_since is None:
        return None
    return max(0.0, (datetime.now(UTC) - status.behind_since).total_seconds())


def _index_document(status: IndexStatus) -> dict[str, Any]:
    return {
        "status": status.state,
        "documents": status.document_count,
        "last_built_at": status.last_built_at,
        "sequence": status.sequence,
        "database_sequence": status.database_sequence,
        "lag_s": _lag_s(status),
    }
