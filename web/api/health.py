"""GET /api/v1/health: can the run command be trusted?"""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy.exc import SQLAlchemyError

from directory.queries import count_partners
from geodata.database import backend_of
from geodata.queries import count_communes
from web.api import api_v1
from web.database import db_session


@api_v1.get("/health")
def health() -> tuple[dict[str, Any], int]:
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
    body["status"] = "ok"
    return body, 200
