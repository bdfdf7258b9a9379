"""No caller waits forever on PostgreSQL: a connection attempt and a statement both give up
(`geodata.database.make_engine`), unless operator work lifts the statement limit."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from geodata.database import lift_statement_timeout, make_engine
from tests.conftest import TestDatabases

HANG_LIMIT_S = 60.0  # far above the timeouts under test: reaching it means "hung"


@pytest.fixture
def postgres_url(test_databases: TestDatabases) -> str:
    engine = test_databases.create("postgis", "timeouts")
    return engine.url.render_as_string(hide_password=False)


def _outcome(work: Callable[[], None]) -> BaseException | None:
    """Run ``work`` in a thread; its exception, None if it returned, or fail if it hung."""
    found: list[BaseException | None] = []

    def run() -> None:
        try:
            work()
            found.append(None)
        except BaseException as exc:
            found.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(HANG_LIMIT_S)
    if thread.is_alive():
        pytest.fail(f"still waiting after {HANG_LIMIT_S} s")
    return found[0]


def test_a_statement_longer_than_the_limit_is_cancelled(postgres_url: str) -> None:
    engine = make_engine(postgres_url, statement_timeout_s=0.2)
    try:

        def sleep() -> None:
            with engine.connect() as connection:
                connection.execute(text("SELECT pg_sleep(5)"))

        error = _outcome(sleep)
        assert isinstance(error, OperationalError)
        assert "statement timeout" in str(error)
    finally:
        engine.dispose()


def test_operator_work_lifts_the_statement_limit_for_its_transaction(postgres_url: str) -> None:
    engine = make_engine(postgres_url, statement_timeout_s=0.2)
    try:
        with Session(engine) as session:
            lift_statement_timeout(session)
            assert session.scalar(text("SELECT 1 FROM pg_sleep(0.5)")) == 1
            session.rollback()
            with pytest.raises(OperationalError, match="statement timeout"):
                session.execute(text("SELECT pg_sleep(5)"))
    finally:
        engine.dispose()


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A loopback port that accepts connections and never answers (a stuck server)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join()
        for connection in accepted:
            connection.close()
        listener.close()


def test_a_connection_to_a_server_that_never_answers_gives_up(silent_server: int) -> None:
    engine: Engine = make_engine(
        f"postgresql://postgres@127.0.0.1:{silent_server}/postgres", connect_timeout_s=2
    )
    try:

        def connect() -> None:
            with engine.connect():
                pass

        error = _outcome(connect)
        assert isinstance(error, OperationalError)
        assert "timeout" in str(error).lower()
    finally:
        engine.dispose()
