"""A private PostgreSQL + PostGIS cluster that a fault test may stop and start at will.

The machine's shared server (127.0.0.1:5432) serves every other test run and must never be
stopped; this one lives in a temporary directory, listens on a free loopback port (no Unix
socket) and trusts local connections. ``initdb`` refuses to run as root: as root the cluster
belongs to the ``postgres`` account, as anyone else to the current user.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType

PG_VERSION = "15"


def postgres_bin_dir() -> Path:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    return Path(f"/usr/lib/postgresql/{PG_VERSION}/bin")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class PrivateCluster:
    """``with PrivateCluster() as cluster:`` → initialised and started; removed at exit.

    With ``root`` (benchmarks), the cluster lives there and is kept at exit (stopped): the
    next run starts it again with its databases.
    """

    def __init__(self, root: Path | None = None) -> None:
        self.bin_dir = postgres_bin_dir()
        self.keep = root is not None
        if root is None:
            root = Path(tempfile.mkdtemp(prefix="aiguillage-private-pg-"))
        root.mkdir(parents=True, exist_ok=True)
        self.root = root
        self.data_dir = self.root / "data"
        self.log_file = self.root / "postgres.log"
        self.port = _free_port()
        self._as_postgres = os.geteuid() == 0
        self._started = False  # by us: a cluster another run is using is never stopped

    # -- lifecycle -----------------------------------------------------------------------

    def __enter__(self) -> PrivateCluster:
        try:
            if not (self.data_dir / "PG_VERSION").exists():
                self.initialise()
            self.start()
        except BaseException:
            self.remove()
            raise
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        self.remove()

    def initialise(self) -> None:
        if self._as_postgres:
            shutil.chown(self.root, "postgres", "postgres")
        self._run(
            "initdb", "--pgdata", str(self.data_dir), "--auth", "trust", "--username", "postgres",
            "--encoding", "UTF8", "--locale", "C.UTF-8", "--no-sync",
        )  # fmt: skip

    def start(self) -> None:
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories='' "
            "-c fsync=on -c max_connections=40"
        )
        self._run(
            "pg_ctl", "start", "--pgdata", str(self.data_dir), "--log", str(self.log_file),
            "--options", options, "--wait", "--timeout", "60",
        )  # fmt: skip
        self._started = True

    def stop(self, mode: str = "fast") -> None:
        """``fast``: clients are disconnected, committed work is checkpointed;
        ``immediate``: as if the server crashed (recovery from the WAL at the next start)."""
        self._run(
            "pg_ctl", "stop", "--pgdata", str(self.data_dir), "--mode", mode, "--wait",
            "--timeout", "60",
        )  # fmt: skip

    def is_running(self) -> bool:
        result = subprocess.run(
            self._command("pg_ctl", "status", "--pgdata", str(self.data_dir)),
            capture_output=True,
            check=False,
        )
        return result.returncode == 0

    def remove(self) -> None:
        if self._started and self.data_dir.exists() and self.is_running():
            self.stop("fast" if self.keep else "immediate")
        if not self.keep:
            shutil.rmtree(self.root, ignore_errors=True)

    # -- databases -----------------------------------------------------------------------

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """A new database with PostGIS (kept if it exists); returns its URL."""
        from sqlalchemy import create_engine, text

        admin = create_engine(self.url(), isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as connection:
                exists = connection.execute(
                    text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
                ).first()
                if exists is None:
                    connection.execute(text(f'CREATE DATABASE "{name}"'))
        finally:
            admin.dispose()
        engine = create_engine(self.url(name))
        try:
            with engine.begin() as connection:
                connection.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
        finally:
            engine.dispose()
        return self.url(name)

    # -- plumbing ------------------------------------------------------------------------

    def _command(self, program: str, *arguments: str) -> list[str]:
        command = [str(self.bin_dir / program), *arguments]
        return ["runuser", "-u", "postgres", "--", *command] if self._as_postgres else command

    def _run(self, program: str, *arguments: str) -> None:
        started = time.monotonic()
        result = subprocess.run(
            self._command(program, *arguments), capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            log = (
                self.log_file.read_text(errors="replace")[-2000:] if self.log_file.exists() else ""
            )
            raise RuntimeError(
                f"{program} a échoué ({time.monotonic() - started:.1f} s) : "
                f"{result.stderr.strip()} {log}"
            )
