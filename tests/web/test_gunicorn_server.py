"""The application served as in production (gunicorn with ``gunicorn.conf.py``), over real
sockets on 127.0.0.1: the errors gunicorn raises itself are French, and slow clients do not
take the service down."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
START_LIMIT_S = 60.0
ANSWER_LIMIT_S = 15.0  # a request unanswered after this is blocked (sync workers: 60 s)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _exchange(port: int, raw: bytes) -> bytes:
    """Send ``raw`` on a new connection, return everything the server answers."""
    with socket.create_connection(("127.0.0.1", port), timeout=ANSWER_LIMIT_S) as connection:
        connection.sendall(raw)
        chunks = []
        while chunk := connection.recv(65_536):
            chunks.append(chunk)
    return b"".join(chunks)


@pytest.fixture(scope="module")
def gunicorn_port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """gunicorn with the project's settings (2 workers) on an empty SpatiaLite database:
    what is tested here happens before or beside the database."""
    folder = tmp_path_factory.mktemp("gunicorn")
    port = _free_port()
    env = {
        "PATH": "/usr/bin:/bin",
        "SPATIALITE_LIBRARY_PATH": "mod_spatialite",
        "AIGUILLAGE_DATABASE_URL": f"sqlite:///{folder / 'empty.db'}",
        "AIGUILLAGE_SEARCH_INDEX_DIR": str(folder / "index"),
        "AIGUILLAGE_SECRET_KEY": "tests",
    }
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "--config", str(ROOT / "gunicorn.conf.py"), "--workers", "2",
        "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app",
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + START_LIMIT_S
        while True:
            try:
                _exchange(
                    port, b"GET /api/v1/absent HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
                )
                break
            except OSError:
                assert server.poll() is None, "gunicorn s'est arrêté au démarrage"
                assert time.monotonic() < deadline, "gunicorn n'a pas démarré"
                time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


def _status_and_body(answer: bytes) -> tuple[int, dict[str, str], str]:
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split(" ")[1]), headers, body.decode("utf-8")


@pytest.mark.parametrize(
    ("raw", "status", "words"),
    [
        (
            b"GET /recherche?q=" + b"a" * 5000 + b" HTTP/1.1\r\nHost: t\r\n\r\n",
            414,
            "Adresse trop longue",
        ),
        (
            b"GET / HTTP/1.1\r\nHost: t\r\nCookie: " + b"c" * 9000 + b"\r\n\r\n",
            431,
            "En-têtes trop volumineux",
        ),
        (
            b"GET / HTTP/1.1\r\nHost: t\r\n"
            + b"".join(b"X-En-Tete-%d: 1\r\n" % n for n in range(120))
            + b"\r\n",
            431,
            "En-têtes trop volumineux",
        ),
        (b"\x16\x03\x01 n'importe quoi\r\n\r\n", 400, "Requête invalide"),
        (b"GET / HTTP/1.1\r\nHost: t\r\nEn tete: x\r\n\r\n", 400, "Requête invalide"),
    ],
    ids=["request-line-414", "header-size-431", "header-count-431", "garbage-400", "header-400"],
)
def test_errors_raised_by_gunicorn_itself_are_french(
    gunicorn_port: int, raw: bytes, status: int, words: str
) -> None:
    answer_status, headers, body = _status_and_body(_exchange(gunicorn_port, raw))
    assert answer_status == status
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Content-Language"] == "fr"
    assert '<html lang="fr">' in body
    assert words in body
    assert "Bad Request" not in body and "Invalid" not in body and "Too" not in body
    assert "aaaa" not in body and "cccc" not in body  # nothing of the request echoed back


def test_slow_clients_do_not_hold_the_service(gunicorn_port: int) -> None:
    """Slowloris: more clients than workers each send their headers one line at a time and
    never finish; meanwhile an ordinary request is answered. (With 2 sync workers, the two
    first slow clients held both processes and the ordinary request waited for them.)"""
    stop = threading.Event()
    slow: list[socket.socket] = []

    def trickle(connection: socket.socket) -> None:
        number = 0
        while not stop.is_set():
            number += 1
            try:
                connection.sendall(b"X-Lent-%d: 1\r\n" % number)
            except OSError:
                return
            stop.wait(0.5)

    threads = []
    for _ in range(4):  # twice the number of workers
        connection = socket.create_connection(("127.0.0.1", gunicorn_port), timeout=5)
        connection.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: t\r\n")
        slow.append(connection)
        threads.append(threading.Thread(target=trickle, args=(connection,), daemon=True))
    for thread in threads:
        thread.start()
    try:
        time.sleep(1.0)  # every slow client is being read by the server
        answer = _exchange(
            gunicorn_port, b"GET /api/v1/absent HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
        )
        status, headers, _ = _status_and_body(answer)
        assert status == 404
        assert headers["Content-Type"].startswith("application/problem+json")
    finally:
        stop.set()
        for thread in threads:
            thread.join()
        for connection in slow:
            connection.close()
