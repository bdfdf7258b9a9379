"""Memory of one gunicorn worker over 10 000 mixed requests: does it stay flat?

Run: ``make memory`` or ``.venv/bin/python -m bench.worker_memory [--requests 10000]``.

* The database is the PostGIS private cluster of `bench.load` (bundled real data, made on
  the first run); gunicorn runs with ``gunicorn.conf.py`` but **one** worker (8 threads), so
  that every request lands in the process whose resident memory (``VmRSS`` of
  ``/proc/<pid>/status``) is read every 500 requests.
* The requests never repeat a question where the application caches answers, to fill
  every cache up to its bound: searches and orientations at a new point each time (answer
  cache, by count and by bytes), GeoJSON of a new map view each time, every partner's page
  and API document in turn (partner cards, opening-hours caches), result pages, and one
  export in a thousand (CSV, GeoJSON, data·inclusion: the largest answers).
* 4 clients at a time, one connection per request (raw sockets, `bench.api_load.get`).
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import random
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

from bench.api_load import (
    ADDRESSES,
    OUT,
    PLACES,
    RIGHTS,
    ROOT,
    TEXTS,
    free_port,
    get,
    wait_until_healthy,
)
from bench.load import partner_sample, prepare
from tests.private_postgres import PrivateCluster

EXPORTS = (
    "/api/v1/exports/partners.csv",
    "/api/v1/exports/partners.geojson",
    "/api/v1/exports/datainclusion.json",
)


def request_paths(
    count: int, partners: list[int], seed: int = 11, *, exports: bool = True
) -> list[str]:
    rng = random.Random(seed)
    cycle = itertools.cycle(partners)
    paths = []
    for number in range(count):
        lon, lat = PLACES[rng.randrange(len(PLACES))]
        lon, lat = lon + rng.uniform(-0.05, 0.05), lat + rng.uniform(-0.05, 0.05)
        kind = number % 10
        if exports and number % 1000 == 999:
            paths.append(EXPORTS[(number // 1000) % len(EXPORTS)])
        elif kind in (0, 1, 2):
            paths.append(f"/api/v1/partners?q={quote(rng.choice(TEXTS))}&near={lon:.6f},{lat:.6f}")
        elif kind == 3:
            paths.append(
                f"/api/v1/orientation?right={rng.choice(RIGHTS)}&lon={lon:.6f}&lat={lat:.6f}"
            )
        elif kind == 4:
            bbox = f"{lon - 0.2:.5f},{lat - 0.15:.5f},{lon + 0.2:.5f},{lat + 0.15:.5f}"
            paths.append(f"/api/v1/partners.geojson?bbox={bbox}&limit=2000")
        elif kind in (5, 6):
            paths.append(f"/partenaires/{next(cycle)}")
        elif kind == 7:
            paths.append(f"/api/v1/partners/{next(cycle)}")
        elif kind == 8:
            address = quote(rng.choice(ADDRESSES))
            paths.append(
                f"/recherche?address={address}&right={rng.choice(RIGHTS)}&page={rng.randint(1, 3)}"
            )
        else:
            paths.append(
                f"/orienter?right={rng.choice(RIGHTS)}&address={quote(rng.choice(ADDRESSES))}"
            )
    return paths


def worker_pid(arbiter: int) -> int:
    """The arbiter's worker (a new one after ``max_requests``)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        children = Path(f"/proc/{arbiter}/task/{arbiter}/children").read_text().split()
        if len(children) == 1:
            return int(children[0])
        time.sleep(0.2)
    raise RuntimeError("pas de processus de travail")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("VmRSS introuvable")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--every", type=int, default=500, help="relevé tous les N requêtes")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument(
        "--no-exports", dest="exports", action="store_false", help="sans les exports"
    )
    parser.add_argument(
        "--max-requests", type=int, help="défaut : gunicorn.conf.py ; 0 : jamais remplacé"
    )
    args = parser.parse_args()

    OUT.mkdir(exist_ok=True)
    index_dir = OUT / "load-index"
    with PrivateCluster(OUT / "load-pg") as cluster:
        url = prepare(cluster, index_dir)
        partners = partner_sample(url, count=100_000)
        port = free_port()
        env = {
            **os.environ,
            "AIGUILLAGE_DATABASE_URL": url,
            "AIGUILLAGE_SEARCH_INDEX_DIR": str(index_dir),
            "AIGUILLAGE_RATE_LIMIT_PER_MINUTE": "0",
            "SPATIALITE_LIBRARY_PATH": "mod_spatialite",
        }
        command = [
            str(Path(sys.executable).with_name("gunicorn")), "--config", "gunicorn.conf.py",
            "--workers", "1", "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
            "wsgi:app",
        ]  # fmt: skip
        if args.max_requests is not None:
            command[-1:-1] = ["--max-requests", str(args.max_requests)]
        server = subprocess.Popen(command, cwd=ROOT, env=env)
        try:
            pid = worker_pid(server.pid)
            wait_until_healthy(server, port)
            paths = request_paths(args.requests, partners, exports=args.exports)
            print(
                f"# {platform.node()} ({os.cpu_count()} CPU), 1 worker gunicorn × 8 threads, "
                f"PostGIS, {len(partners)} partenaires, {args.requests} requêtes, "
                f"{args.clients} clients, exports : {'oui' if args.exports else 'non'}, "
                f"MALLOC_ARENA_MAX={os.environ.get('MALLOC_ARENA_MAX', '(défaut)')}\n"
            )
            print("| requêtes | RSS du worker | erreurs (5xx) | durée | worker |")
            print("|---|---|---|---|---|")
            print(f"| 0 | {rss_mb(pid):.0f} Mo | 0 | 0 s | {pid} |", flush=True)
            errors = 0
            started = time.monotonic()
            with ThreadPoolExecutor(args.clients) as pool:
                for first in range(0, len(paths), args.every):
                    chunk = paths[first : first + args.every]
                    statuses = list(pool.map(lambda p: get("127.0.0.1", port, p)[0], chunk))
                    errors += sum(1 for status in statuses if status >= 500 or status == 0)
                    pid = worker_pid(server.pid)
                    print(
                        f"| {first + len(chunk)} | {rss_mb(pid):.0f} Mo | {errors} "
                        f"| {time.monotonic() - started:.0f} s | {pid} |",
                        flush=True,
                    )
        finally:
            server.terminate()
            server.wait(timeout=60)


if __name__ == "__main__":
    main()
