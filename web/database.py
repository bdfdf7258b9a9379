"""One SQLAlchemy session per request; the view commits once, teardown closes it."""

from __future__ import annotations

import logging

from flask import Flask, current_app, g
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from geodata.database import make_engine, make_session_factory

EXTENSION_KEY = "aiguillage.sessions"
LOGGER = logging.getLogger(__name__)


def init_database(app: Flask) -> None:
    engine = make_engine(
        app.config["DATABASE_URL"],
        connect_timeout_s=float(app.config["DATABASE_CONNECT_TIMEOUT_S"]),
        statement_timeout_s=float(app.config["DATABASE_STATEMENT_TIMEOUT_S"]) or None,
    )
    app.extensions[EXTENSION_KEY] = make_session_factory(engine)
    app.extensions["aiguillage.engine"] = engine

    @app.teardown_appcontext
    def _close_session(_exc: BaseException | None) -> None:
        session: Session | None = g.pop("db_session", None)
        if session is None:
            return
        try:
            session.close()
        except SQLAlchemyError as exc:
            # The connection was lost (database restarted) after the answer was made: the
            # pool discards it, the answer stands (an error here would turn it into a 500).
            LOGGER.warning("session closed on a lost connection (%s)", type(exc).__name__)


def session_factory() -> sessionmaker[Session]:
    factory: sessionmaker[Session] = current_app.extensions[EXTENSION_KEY]
    return factory


def db_session() -> Session:
    if "db_session" not in g:
        g.db_session = session_factory()()
    session: Session = g.db_session
    return session
