"""What a server does before it serves: schema migrated, search index ready.

Run by gunicorn's master before it forks its workers (``gunicorn.conf.py``, when
``PREPARE_ON_START`` is true, the default), or by ``aiguillage db upgrade`` then
``aiguillage search prepare``. Several servers
may start together: the migration lock (`geodata.locks.migration_lock`) lets one of them
migrate, the others wait and find nothing to do; each server's index directory has its own
lock (`directory.search.index_position.index_lock`), so the workers of one server build it
once. An index that reflects a position of this database's change log is reused and
caught up; any other (absent, older schema, another or restored database, too far
behind) is rebuilt from the database, with a log line saying why.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from flask import Flask
from sqlalchemy import Engine

from directory.search import ensure_index
from directory.search.follow import CatchUp, catch_up
from geodata.schema import upgrade_database
from web.database import EXTENSION_KEY

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Migration:
    before: str | None
    after: str | None

    @property
    def migrated(self) -> bool:
        return self.before != self.after


def migrate(engine: Engine) -> Migration:
    before, after = upgrade_database(engine)
    migration = Migration(before, after)
    if migration.migrated:
        logger.info("schéma migré de %s à %s", before or "(vide)", after)
    else:
        logger.info("schéma déjà à jour (%s)", after)
    return migration


def prepare_index(app: Flask) -> CatchUp:
    """Build the index of this server, or reuse and catch up the one it has."""
    index_dir = Path(app.config["SEARCH_INDEX_DIR"])
    with app.extensions[EXTENSION_KEY]() as session:
        ensure_index(session, index_dir)  # a missing or damaged index: rebuilt, logged
        result = catch_up(session, index_dir, wait=True)
    if result.rebuilt_because is not None:
        logger.info("index de recherche construit (%s)", result.rebuilt_because)
    else:
        logger.info(
            "index de recherche repris à la séquence %s (%d partenaires relus)",
            result.sequence,
            result.reindexed,
        )
    return result


def prepare_on_start(app: Flask) -> None:
    """Migrate, then prepare the index; the engine's connections are closed afterwards so
    that no connection crosses gunicorn's fork."""
    engine: Engine = app.extensions["aiguillage.engine"]
    migrate(engine)
    prepare_index(app)
    engine.dispose()
