"""Real gunicorn app servers on loopback ports, started from the repository's
gunicorn.conf.py as an operator would, for the multi-server tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
START_DEADLINE_S = 90.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class AppServer:
    name: str
    url: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_server(
    name: str, database_url: str, index_dir: Path, workdir: Path, *, workers: int, **settings: str
) -> AppServer:
    """``gunicorn -c gunicorn.conf.py wsgi:app`` on a free port; returns without waiting."""
    port = free_port()
    environment = {
        **os.environ,
        "AIGUILLAGE_DATABASE_URL": database_url,
        "AIGUILLAGE_SEARCH_INDEX_DIR": str(index_dir),
        "AIGUILLAGE_SECRET_KEY": "tests-plusieurs-serveurs",
        "AIGUILLAGE_RATE_LIMIT_PER_MINUTE": "0",
        "WEB_CONCURRENCY": str(workers),
        **{f"AIGUILLAGE_{key}": value for key, value in settings.items()},
    }
    log_path = workdir / f"{name}.log"
    gunicorn = Path(sys.executable).with_name("gunicorn")
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                str(gunicorn),
                "--config",
                "gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{port}",
                "wsgi:app",
            ],
            cwd=ROOT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    return AppServer(name, f"http://127.0.0.1:{port}", process, log_path)


def wait_until_ready(server: AppServer, deadline_s: float = START_DEADLINE_S) -> None:
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise AssertionError(f"{server.name} s'est arrêté :\n{server.log()[-3000:]}")
        try:
            if requests.get(f"{server.url}/api/v1/health/ready", timeout=5).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{server.name} jamais prêt :\n{server.log()[-3000:]}")
