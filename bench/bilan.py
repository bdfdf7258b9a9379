"""Benchmark: latency of ``POST /api/v1/bilan`` with 2 gunicorn workers, and their memory.

Run: ``.venv/bin/python -m bench.bilan [--requests 120] [--concurrency 2] [--workers 2]``.

* The database is the real bundled dataset (SpatiaLite, ``bench/out/bilan-bench.db``, built
  on the first run with its search index), served by gunicorn on 127.0.0.1 as ``make run``
  does, but with ``--timeout 120``: the first bilan of a worker loads OpenFisca-France. The
  rate limit is switched off (every request comes from 127.0.0.1).
* Cold start: one bilan per worker right after the start (both sent at once), timed apart:
  it includes loading the tax-benefit system in that worker.
* Load: ``--requests`` bilans from ``--concurrency`` client threads in a second process,
  each a different made-up household (ages, couples, children, incomes, housing, rents and
  12 communes of the 62 and the 31, drawn with a fixed seed): every one runs a full
  OpenFisca-France simulation and an orientation for the rights found. Latency is the wall
  time of the whole request; p50 and p95 over all requests.
* Memory: resident set (``VmRSS``) of each worker before the first bilan, after the cold
  start and after the load.
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
from pathlib import Path
from typing import Any

from bench.api_load import free_port, prepare

OUT = Path(__file__).resolve().parent / "out"
ROOT = Path(__file__).resolve().parent.parent
COMMUNES = (
    "62041", "62498", "62193", "62160", "62119", "62765",
    "31555", "31395", "31483", "31582", "31098", "31069",
)  # fmt: skip
HOUSING = ("locataire", "locataire", "locataire", "proprietaire", "heberge", "sans-domicile")


def households(count: int, seed: int) -> list[dict[str, Any]]:
    """Made-up households, varied enough that no two simulations are alike."""
    rng = random.Random(seed)
    found = []
    for _ in range(count):
        age = rng.choice((19, 24, 30, 38, 45, 52, 58, 63, 67, 72, 80))
        couple = rng.random() < 0.4
        housing = rng.choice(HOUSING)
        situation: dict[str, Any] = {
            "age": age,
            "couple": couple,
            "children_ages": sorted(rng.sample(range(0, 19), rng.choice((0, 0, 1, 2, 3)))),
            "monthly_earnings_eur": rng.choice((0, 0, 450, 900, 1250, 1450, 1800, 2400, 3200)),
            "other_monthly_income_eur": rng.choice((0, 0, 0, 350, 800, 1100)),
            "housing": housing,
            "insee_code": rng.choice(COMMUNES),
            "disability_rate": rng.choice((0, 0, 0, 0, 50, 80)),
            "is_student": age < 26 and rng.random() < 0.3,
            "is_agricultural": rng.random() < 0.1,
        }
        if couple:
            situation["partner_age"] = max(18, age + rng.randint(-6, 6))
            situation["partner_monthly_earnings_eur"] = rng.choice((0, 700, 1400, 2100))
        if housing == "locataire":
            situation["rent_eur"] = rng.choice((320, 450, 560, 680, 800, 950))
        found.append(situation)
    return found


def post(port: int, body: dict[str, Any]) -> tuple[int, float]:
    """One bilan on its own connection: (status, seconds)."""
    payload = json.dumps(body).encode("utf-8")
    head = (
        f"POST /api/v1/bilan HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n"
        "Connection: close\r\n\r\n"
    ).encode("ascii")
    started = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port), timeout=180) as connection:
        connection.sendall(head + payload)
        chunks = []
        while chunk := connection.recv(262_144):
            chunks.append(chunk)
    elapsed = time.perf_counter() - started
    response = b"".join(chunks)
    return int(response[9:12]), elapsed


def start_server(
    database: Path, index_dir: Path, port: int, workers: int
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "AIGUILLAGE_DATABASE_URL": f"sqlite:///{database}",
        "AIGUILLAGE_SEARCH_INDEX_DIR": str(index_dir),
        "AIGUILLAGE_RATE_LIMIT_PER_MINUTE": "0",
        "SPATIALITE_LIBRARY_PATH": "mod_spatialite",
    }
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "--workers", str(workers), "--bind", f"127.0.0.1:{port}", "--timeout", "120",
        "--log-level", "warning", "wsgi:app",
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=5) as probe:
                probe.sendall(
                    b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                )
                if probe.recv(12)[9:12] == b"200":
                    return server
        except OSError:
            pass
        time.sleep(0.5)
    server.terminate()
    raise RuntimeError("gunicorn n'a pas démarré")


def worker_rss_mb(server: subprocess.Popen[bytes]) -> list[float]:
    """Resident memory of the gunicorn workers (children of the arbiter), in MB."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    sizes = []
    for pid in children:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]) / 1024)
    return sorted(sizes)


def client_main(port: int, concurrency: int, bodies: list[dict[str, Any]]) -> None:
    """The load generator (its own process); prints one JSON line of results."""
    latencies: list[float] = []
    statuses: list[int] = []
    lock = threading.Lock()
    queue = iter(bodies)

    def worker() -> None:
        while True:
            with lock:
                body = next(queue, None)
            if body is None:
                return
            status, elapsed = post(port, body)
            with lock:
                latencies.append(elapsed)
                statuses.append(status)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(
        json.dumps(
            {
                "latencies": latencies,
                "errors": sum(status != 200 for status in statuses),
                "elapsed_s": time.perf_counter() - started,
            }
        )
    )


def cold_start(port: int, workers: int) -> list[float]:
    """One bilan per worker at once, right after the start: each loads OpenFisca-France."""
    results: list[float] = []
    bodies = households(workers, seed=11)

    def one(body: dict[str, Any]) -> None:
        status, elapsed = post(port, body)
        if status != 200:
            raise RuntimeError(f"premier bilan : statut {status}")
        results.append(elapsed)

    threads = [threading.Thread(target=one, args=(body,)) for body in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=120)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--client", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--bodies", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.client:
        bodies = json.loads(args.bodies.read_text(encoding="utf-8"))
        client_main(args.client, args.concurrency, bodies)
        return

    OUT.mkdir(exist_ok=True)
    database, index_dir = OUT / "bilan-bench.db", OUT / "bilan-bench-index"
    prepare(database, index_dir)
    port = free_port()
    print(
        f"# {platform.node()} ({os.cpu_count()} CPU, charge {os.getloadavg()[0]:.1f}), "
        f"{args.workers} workers gunicorn, {args.concurrency} clients, {args.requests} bilans",
        flush=True,
    )
    server = start_server(database, index_dir, port, args.workers)
    try:
        before = worker_rss_mb(server)
        cold = cold_start(port, args.workers)
        after_cold = worker_rss_mb(server)
        bodies_file = OUT / "bilan-bodies.json"
        bodies_file.write_text(json.dumps(households(args.requests, seed=7)), encoding="utf-8")
        command = [
            sys.executable, "-m", "bench.bilan", "--client", str(port),
            "--concurrency", str(args.concurrency), "--bodies", str(bodies_file),
        ]  # fmt: skip
        output = subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True)
        result = json.loads(output.stdout.strip().splitlines()[-1])
        after_load = worker_rss_mb(server)
    finally:
        server.terminate()
        server.wait(timeout=30)
    latencies = sorted(result["latencies"])
    quantiles = statistics.quantiles(latencies, n=100)
    summary = {
        "cold_start_s": cold,
        "requests": len(latencies),
        "errors": result["errors"],
        "rate_per_s": len(latencies) / result["elapsed_s"],
        "p50_ms": quantiles[49] * 1000,
        "p95_ms": quantiles[94] * 1000,
        "max_ms": latencies[-1] * 1000,
        "worker_rss_mb": {"start": before, "after_cold": after_cold, "after_load": after_load},
        "load_average_after": os.getloadavg()[0],
    }
    (OUT / "bilan.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    print(f"premier bilan de chaque worker : {', '.join(f'{s:.1f} s' for s in cold)}")
    print(
        f"{summary['requests']} bilans, {summary['errors']} erreurs, "
        f"{summary['rate_per_s']:.2f} bilans/s, p50 {summary['p50_ms']:.0f} ms, "
        f"p95 {summary['p95_ms']:.0f} ms, max {summary['max_ms']:.0f} ms"
    )
    print(
        "mémoire des workers (Mo) : au démarrage "
        + ", ".join(f"{m:.0f}" for m in before)
        + " ; après le premier bilan "
        + ", ".join(f"{m:.0f}" for m in after_cold)
        + " ; après la charge "
        + ", ".join(f"{m:.0f}" for m in after_load)
    )


if __name__ == "__main__":
    main()
