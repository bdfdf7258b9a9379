"""GET /api/v1/exports/…: the whole directory as data·inclusion v1 JSON, CSV and GeoJSON.

Each export is built once per generation of the directory and served from a gzipped file
(`web.export_files`): ``If-None-Match`` gets a 304 and ``HEAD`` its headers without
building anything, and two requests at once never build it twice.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from flask import Response, current_app, request
from sqlalchemy.orm import Session

from directory.change_log import directory_generation
from directory.exchange.datainclusion_export import write_datainclusion
from directory.exchange.snapshot import (
    directory_updated_at,
    iter_partners_for_export,
    right_names,
)
from directory.exchange.tabular import write_csv, write_geojson
from web.api import API_PREFIX, ApiBlueprint
from web.database import db_session
from web.export_files import ExportFiles, export_tag, gzipped_chunks, plain_chunks
from web.http_cache import set_max_age
from web.media_types import CSV, GEOJSON, JSON
from web.schemas.base import NoQuerySchema
from web.schemas.exports import DataInclusionDocumentSchema, FeatureCollectionSchema

EXPORT_MAX_AGE_S = 600

blp = ApiBlueprint(
    "exports",
    __name__,
    url_prefix=API_PREFIX,
    description="L'annuaire entier, avec ses sources et licences, pour d'autres outils.",
)


def export_generation(session: Session) -> str:
    """What the exports are made of, as a key that changes whenever they would: the
    directory's generation (the latest change in the database's change log, whichever
    server made it) and the rights' names."""
    names = hashlib.sha256(repr(sorted(right_names(session).items())).encode()).hexdigest()
    return f"{directory_generation(session)}|{names[:16]}"


def export_files() -> ExportFiles:
    return ExportFiles(Path(current_app.config["EXPORTS_DIR"]))


def _accepts_gzip() -> bool:
    return request.accept_encodings["gzip"] > 0


def _serve(
    name: str,
    content_type: str,
    file_name: str,
    write: Callable[[Session, BinaryIO], None],
) -> Response:
    session = db_session()
    generation = export_generation(session)
    tag = export_tag(name, generation)
    gzipped = _accepts_gzip()
    set_max_age(EXPORT_MAX_AGE_S)
    response = current_app.response_class(content_type=content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{file_name}"'
    response.vary.add("Accept-Encoding")
    response.cache_control.public = True
    response.cache_control.max_age = EXPORT_MAX_AGE_S
    # One tag per representation, as flask-compress writes them for the other answers.
    response.set_etag(f"{tag}:gzip" if gzipped else tag)
    if request.if_none_match.contains(tag) or request.if_none_match.contains(f"{tag}:gzip"):
        response.status_code = 304
        return response
    files = export_files()
    if request.method == "HEAD":  # headers only: the length when the file is already made
        response.response = iter(())  # streamed: no « Content-Length: 0 » is added
        found = files.find(name, generation)
        if found is not None and gzipped:
            response.headers["Content-Encoding"] = "gzip"
            response.content_length = found.stat().st_size
        return response
    path = files.ensure(name, generation, lambda out: write(session, out))
    if gzipped:
        response.headers["Content-Encoding"] = "gzip"
        response.content_length = path.stat().st_size
        response.response = gzipped_chunks(path)
    else:
        response.response = plain_chunks(path)
    return response


def _datainclusion(session: Session, out: BinaryIO) -> None:
    # Dated by the directory's last change, not by the request: the same directory gives
    # the same document (and the same ETag).
    generated_at = directory_updated_at(session) or datetime(1970, 1, 1, tzinfo=UTC)
    write_datainclusion(session, out, generated_at)


def _csv(session: Session, out: BinaryIO) -> None:
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    write_csv(iter_partners_for_export(session), text)
    text.flush()
    text.detach()  # the gzip stream stays open: its owner closes it


def _geojson(session: Session, out: BinaryIO) -> None:
    write_geojson(iter_partners_for_export(session), out)


@blp.get("/exports/datainclusion.json")
@blp.arguments(NoQuerySchema, location="query", as_kwargs=True)
@blp.response(200, DataInclusionDocumentSchema)
def datainclusion() -> Response:
    """Annuaire au schéma data·inclusion v1

    Structures et services au schéma data·inclusion v1 ; ce qui n'a pas d'équivalent
    (type de partenaire, zone d'intervention, fermetures…) est dans l'objet d'extension
    « aiguillage » de chaque enregistrement. Réimportable sans perte
    (`aiguillage exchange import-datainclusion`). `generated_at` est l'instant de la
    dernière modification de l'annuaire.
    """
    return _serve("datainclusion", JSON, "aiguillage-datainclusion.json", _datainclusion)


@blp.get("/exports/partners.csv")
@blp.arguments(NoQuerySchema, location="query", as_kwargs=True)
@blp.response(
    200, {"type": "string"}, content_type="text/csv", description="Un partenaire par ligne"
)
def partners_csv() -> Response:
    """Annuaire en CSV"""
    return _serve("partners-csv", CSV, "aiguillage-partenaires.csv", _csv)


@blp.get("/exports/partners.geojson")
@blp.arguments(NoQuerySchema, location="query", as_kwargs=True)
@blp.response(200, FeatureCollectionSchema, content_type="application/geo+json")
def partners_geojson() -> Response:
    """Annuaire en GeoJSON"""
    return _serve("partners-geojson", GEOJSON, "aiguillage-partenaires.geojson", _geojson)
