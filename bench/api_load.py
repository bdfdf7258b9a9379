"""Benchmark: throughput and latency of ``GET /api/v1/partners?q=…&near=…`` under load.

Run: ``.venv/bin/python -m bench.api_load [--duration 20] [--concurrency 8] [--mode all]``.

* The database is the real bundled dataset (SpatiaLite, ``bench/out/api-bench.db``, built
  on the first run with its search index), served by gunicorn on 127.0.0.1 as ``make run``
  does (``gunicorn.conf.py``: 2 workers × 8 threads since issue 16; 2 sync workers before).
  The rate limit is switched off (every request comes from 127.0.0.1); the answer cache
  (`web.response_cache`) is on, as in production.
* The load comes from a second process (threads, one connection per request, closed)
  during a bounded time, after a warm-up.
* ``hot``: 240 distinct searches (12 texts × 20 real places of the two territories) asked
  over and over, as real traffic repeats itself; most answers come from the answer cache.
* ``unique``: every request has a point never asked before (a few metres of jitter), so no
  answer comes from the answer cache: distances, ranking, opening hours and the page are
  computed every time; the matches of the 12 texts come from the index's match cache
  (`directory.search.match_cache`), as searches repeat their words far more than places.
* ``cold``: as ``unique``, on a server whose match cache is switched off
  (``AIGUILLAGE_SEARCH_MATCH_CACHE_CANDIDATES=0``): the cost of words never searched before.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

OUT = Path(__file__).resolve().parent / "out"
ROOT = Path(__file__).resolve().parent.parent
TEXTS = (
    "rsa", "caf", "mairie", "france services", "logement", "retraite", "prime activite",
    "ccas", "aide sociale", "c2s", "domiciliation", "allocations familiales",
)  # fmt: skip
PLACES = (
    (2.7772, 50.2910), (2.8317, 50.4322), (2.6373, 50.5297), (1.8587, 50.9513),
    (2.2517, 50.7500), (1.6131, 50.7264), (2.4333, 50.7167), (3.0300, 50.2667),
    (2.5000, 50.4000), (2.9000, 50.1000), (1.4442, 43.6045), (0.7233, 43.1081),
    (1.3272, 43.4611), (1.2000, 43.2500), (1.6333, 43.5500), (0.9000, 43.0000),
    (1.0931, 43.5917), (1.3978, 43.7511), (1.5833, 43.3833), (0.5800, 42.7900),
)  # fmt: skip


# Shared by the load benchmarks (bench.load's locustfile, bench.worker_memory): the places
# residents type, and rights of the catalogue.
ADDRESSES = ("Arras", "Lens", "Calais", "Boulogne-sur-Mer", "Toulouse", "Muret", "Cadours")
RIGHTS = ("rsa", "prime-activite", "aides-logement", "c2s", "aspa", "allocations-familiales")


def prepare(database: Path, index_dir: Path) -> None:
    """Build the bench database and index once (reused afterwards)."""
    from directory.imports.bundle import import_bundled_data
    from directory.search import index_status, rebuild_index
    from geodata.database import make_engine, make_session_factory
    from geodata.schema import upgrade_database

    if not database.exists():
        print(f"Création de {database} (données réelles livrées)…", flush=True)
        engine = make_engine(f"sqlite:///{database}")
        upgrade_database(engine)
        with make_session_factory(engine)() as session:
            import_bundled_data(session, datetime.now(UTC))
            session.commit()
    engine = make_engine(f"sqlite:///{database}")
    with make_session_factory(engine)() as session:
        if not index_status(session, index_dir).in_step:  # absent, or of an older schema
            print(f"Construction de l'index {index_dir}…", flush=True)
            rebuild_index(session, index_dir)


def hot_paths() -> list[str]:
    return [
        f"/api/v1/partners?q={quote(text)}&near={lon},{lat}"
        for text in TEXTS
        for lon, lat in PLACES
    ]


def unique_paths(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    paths = []
    for index in range(count):
        lon, lat = PLACES[index % len(PLACES)]
        lon += rng.uniform(-0.02, 0.02)
        lat += rng.uniform(-0.02, 0.02)
        text = TEXTS[rng.randrange(len(TEXTS))]
        paths.append(f"/api/v1/partners?q={quote(text)}&near={lon:.6f},{lat:.6f}")
    return paths


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start_server(
    database: Path, index_dir: Path, port: int, workers: int, *, match_cache: bool = True
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "AIGUILLAGE_SEARCH_MATCH_CACHE_CANDIDATES": "200000" if match_cache else "0",
        "AIGUILLAGE_DATABASE_URL": f"sqlite:///{database}",
        "AIGUILLAGE_SEARCH_INDEX_DIR": str(index_dir),
        "AIGUILLAGE_RATE_LIMIT_PER_MINUTE": "0",
        "SPATIALITE_LIBRARY_PATH": "mod_spatialite",
    }
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
        "--log-level", "warning", "wsgi:app",
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    wait_until_healthy(server, port)
    return server


def wait_until_healthy(server: subprocess.Popen[bytes], port: int, limit_s: float = 180) -> None:
    """Wait for ``/api/v1/health`` to answer 200; stop ``server`` and raise if it never does."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        try:
            if get("127.0.0.1", port, "/api/v1/health")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    server.terminate()
    raise RuntimeError("gunicorn n'a pas démarré")


def get(host: str, port: int, path: str) -> tuple[int, int]:
    """One request on its own connection: (status, body length); status 0 when the body is
    shorter than its ``Content-Length``. Raw socket rather than ``http.client``: the load
    generator shares the two cores with the server, and ``http.client`` cost it about
    1.6 ms of CPU per request (half a core at 300 requests/s)."""
    request = f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n\r\n"
    with socket.create_connection((host, port), timeout=60) as connection:
        connection.sendall(request.encode("ascii"))
        chunks = []
        while chunk := connection.recv(262_144):
            chunks.append(chunk)
    response = b"".join(chunks)
    head, _, body = response.partition(b"\r\n\r\n")
    status = int(head[9:12])
    length = _content_length(head)
    if length is not None and length != len(body):
        return 0, len(body)
    return status, len(body)


def _content_length(head: bytes) -> int | None:
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value)
    return None


def client_main(port: int, duration_s: float, concurrency: int, paths: list[str]) -> None:
    """The load generator (runs in its own process); prints one JSON line of results."""
    latencies: list[float] = []
    errors: list[int] = []
    lock = threading.Lock()
    stop_at = time.perf_counter() + duration_s
    counter = iter(range(10**9))

    def worker() -> None:
        local, failed = [], 0
        while time.perf_counter() < stop_at:
            path = paths[next(counter) % len(paths)]
            started = time.perf_counter()
            try:
                status, _ = get("127.0.0.1", port, path)
            except OSError:
                status = 0
            local.append(time.perf_counter() - started)
            failed += status != 200
        with lock:
            latencies.extend(local)
            errors.append(failed)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    print(json.dumps({"latencies": latencies, "errors": sum(errors), "elapsed_s": elapsed}))


def run_load(port: int, duration_s: float, concurrency: int, paths: list[str]) -> dict[str, float]:
    paths_file = OUT / "api-load-paths.json"
    paths_file.write_text(json.dumps(paths), encoding="utf-8")
    command = [
        sys.executable, "-m", "bench.api_load", "--client", str(port),
        "--duration", str(duration_s), "--concurrency", str(concurrency),
        "--paths", str(paths_file),
    ]  # fmt: skip
    output = subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True).stdout
    result = json.loads(output.strip().splitlines()[-1])
    latencies = sorted(result["latencies"])
    quantiles = statistics.quantiles(latencies, n=100)
    return {
        "requests": len(latencies),
        "errors": result["errors"],
        "rate": len(latencies) / result["elapsed_s"],
        "p50_ms": quantiles[49] * 1000,
        "p95_ms": quantiles[94] * 1000,
        "p99_ms": quantiles[98] * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=20.0, help="secondes de charge")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, help="défaut : un port libre par serveur")
    parser.add_argument("--mode", choices=("hot", "unique", "cold", "all"), default="all")
    parser.add_argument("--client", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--paths", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.client:
        paths = json.loads(args.paths.read_text(encoding="utf-8"))
        client_main(args.client, args.duration, args.concurrency, paths)
        return

    OUT.mkdir(exist_ok=True)
    database, index_dir = OUT / "api-bench.db", OUT / "api-bench-index"
    prepare(database, index_dir)
    modes = ("hot", "unique", "cold") if args.mode == "all" else (args.mode,)
    print(f"# {platform.node()} ({os.cpu_count()} CPU), {args.workers} workers gunicorn, "
          f"{args.concurrency} clients, {args.duration:.0f} s par mesure", flush=True)  # fmt: skip
    for mode in modes:
        port = args.port or free_port()  # never a server of a previous run still closing
        server = start_server(database, index_dir, port, args.workers, match_cache=mode != "cold")
        try:
            hot = hot_paths()
            for path in hot * 2:  # warm-up: both workers open the index and fill their caches
                get("127.0.0.1", port, path)
            paths = hot if mode == "hot" else unique_paths(200_000, seed=7)
            stats = run_load(port, args.duration, args.concurrency, paths)
        finally:
            server.terminate()
            server.wait(timeout=30)
        print(
            f"{mode:7s} {stats['requests']:6.0f} requêtes, {stats['errors']:.0f} erreurs, "
            f"{stats['rate']:7.1f} req/s, p50 {stats['p50_ms']:6.1f} ms, "
            f"p95 {stats['p95_ms']:6.1f} ms, p99 {stats['p99_ms']:6.1f} ms",
            flush=True,
        )


if __name__ == "__main__":
    main()
