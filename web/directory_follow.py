"""Each app server follows the changes made through every other one (the change log).

Several servers share one database; each has its own search index and its own caches in
memory. A `DirectoryFollower` per process reads, every ``CHANGE_LOG_POLL_S`` seconds, the
latest sequence of the change log (`directory.change_log`, one primary-key look-up); when
the index of this server does not reflect it, it catches up (`directory.search.follow`:
the partners changed since, or a full rebuild when too far behind). It then publishes
`generation`, the change this server's index reflects: the answer cache of the API is
emptied when it moves, so an answer is never older than the index that computed it.

The polling runs in a daemon thread of each worker, started by its first request (after
gunicorn's fork); that first request also polls once itself, so a worker never answers
from an index it has not checked (``CHANGE_LOG_POLL_S`` 0: every request polls, no
thread). Requests never wait for a catch-up after that: a change
made elsewhere shows after at most the interval plus the catch-up (measured in
docs/RELIABILITY.md, « Plusieurs serveurs »).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path

from flask import Flask, current_app, request
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from directory.change_log import directory_generation
from directory.search.follow import CatchUp, catch_up
from directory.search.index_position import read_index_position
from web.database import EXTENSION_KEY

logger = logging.getLogger(__name__)
EXTENSION = "aiguillage.directory_follower"


class DirectoryFollower:
    def __init__(self, sessions: Callable[[], Session], index_dir: Path, poll_s: float) -> None:
        self._sessions = sessions
        self.index_dir = index_dir
        self.poll_s = poll_s
        self.generation: int | None = None
        """The change of the log this server's index reflects, as last checked."""
        self._pid: int | None = None
        self._start_lock = threading.Lock()
        self._stop = threading.Event()
        self._failing = False

    def poll(self) -> CatchUp | None:
        """Check the log once; catch up when the index does not reflect its latest change."""
        result = None
        with self._sessions() as session:
            latest = directory_generation(session)
            position = read_index_position(self.index_dir)
            if position is None or position.sequence != latest:
                result = catch_up(session, self.index_dir)
                if result.rebuilt_because is not None or result.reindexed:
                    logger.info(
                        "index de recherche rattrapé : séquence %s, %d partenaires relus%s",
                        result.sequence,
                        result.reindexed,
                        "" if result.rebuilt_because is None else " (reconstruit)",
                    )
        position = read_index_position(self.index_dir)
        self.generation = None if position is None else position.sequence
        return result

    def on_request(self) -> None:
        """Poll now (``poll_s`` 0), or make sure the polling thread of this process runs."""
        if self.poll_s <= 0:
            self._safe_poll()
        elif self._pid != os.getpid():
            self._start()

    def _start(self) -> None:
        """Poll once, then start the polling thread (once per process; again after a fork)."""
        with self._start_lock:
            if self._pid == os.getpid():
                return
            self._safe_poll()
            thread = threading.Thread(target=self._run, name="change-log-follower", daemon=True)
            thread.start()
            self._pid = os.getpid()

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        while not self._stop.wait(self.poll_s):
            self._safe_poll()

    def _safe_poll(self) -> None:
        try:
            self.poll()
        except SQLAlchemyError as exc:  # the database is away: keep serving, say it once
            if not self._failing:
                logger.warning("journal des changements illisible : %s", exc.__class__.__name__)
            self._failing = True
            return
        except Exception:
            logger.exception("rattrapage de l'index de recherche en échec")
            return
        if self._failing:
            logger.info("journal des changements de nouveau lisible")
        self._failing = False


def directory_follower() -> DirectoryFollower:
    follower: DirectoryFollower = current_app.extensions[EXTENSION]
    return follower


def init_directory_follow(app: Flask) -> None:
    follower = DirectoryFollower(
        lambda: app.extensions[EXTENSION_KEY](),
        Path(app.config["SEARCH_INDEX_DIR"]),
        float(app.config["CHANGE_LOG_POLL_S"]),
    )
    app.extensions[EXTENSION] = follower

    @app.before_request
    def _follow() -> None:
        if request.endpoint != "static" and not request.path.endswith("/health/live"):
            follower.on_request()
