"""Load and fault benchmark: Locust (headless) against gunicorn + PostGIS on 127.0.0.1.

Run: ``make load`` (steady load) and ``make load-fault`` (PostgreSQL stopped 10 s during
the load), or ``.venv/bin/python -m bench.load [--duration 60] [--users 30] [--fault]``.

* PostgreSQL is a **private cluster** (`tests.private_postgres`) in ``bench/out/load-pg``,
  on a free loopback port: the machine's shared server is never stopped. The first run
  creates it, imports the bundled real data (62 and 31) and builds the search index; later
  runs reuse them.
* gunicorn runs as ``make run`` does (``gunicorn.conf.py``: 2 workers × 8 threads), the rate
  limits off (all the load comes from 127.0.0.1); the caches on, as in production.
* Locust (`bench/locustfile.py`): ``--users`` users, each at one request per second, so a
  steady offered rate of ``--users`` requests per second; after a warm-up of every kind of
  request on both workers.
* ``--fault``: users also send error reports; after a third of the run the cluster is
  stopped (``pg_ctl stop -m fast``) for ``--outage`` seconds, then started again. Reported:
  statuses while it was down, the recovery time (from the restart to the last failed
  answer), the slowest answer during the outage, and whether every error report the server
  acknowledged is in the database afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.api_load import OUT, ROOT, free_port, get, wait_until_healthy
from tests.private_postgres import PrivateCluster

DATABASE = "aiguillage_load"
GUNICORN_LOG = OUT / "load-gunicorn.log"
WARM_UP = (
    "/api/v1/partners?q=rsa&near=2.7772,50.2910",
    "/recherche?address=Arras&right=rsa",
    "/api/v1/orientation?right=rsa&lon=2.7772&lat=50.2910",
    "/orienter?right=rsa&address=Arras",
    "/api/v1/partners.geojson?bbox=2.6,50.2,2.9,50.4&limit=500",
    "/api/v1/partners.geojson?bbox=1.3,43.5,1.6,43.7&limit=500",
)


def prepare(cluster: PrivateCluster, index_dir: Path) -> str:
    """The bench database (bundled real data) and its index, made once."""
    from sqlalchemy import func, select

    from directory.imports.bundle import import_bundled_data
    from directory.models import Partner
    from directory.search import index_status, rebuild_index
    from geodata.database import make_engine, make_session_factory
    from geodata.schema import upgrade_database

    url = cluster.create_database(DATABASE)
    engine = make_engine(url)
    upgrade_database(engine)
    factory = make_session_factory(engine)
    with factory() as session:
        if not session.scalar(select(func.count()).select_from(Partner)):
            print("Import des données livrées dans PostGIS (une fois)…", flush=True)
            import_bundled_data(session, datetime.now(UTC))
            session.commit()
    with factory() as session:
        if not index_status(session, index_dir).in_step:
            print(f"Construction de l'index {index_dir}…", flush=True)
            rebuild_index(session, index_dir)
    engine.dispose()
    return url


def partner_sample(url: str, count: int = 300) -> list[int]:
    from sqlalchemy import select

    from directory.models import Partner
    from geodata.database import make_engine, make_session_factory

    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        ids = list(session.scalars(select(Partner.id).order_by(Partner.id)))
    engine.dispose()
    step = max(1, len(ids) // count)
    return ids[::step][:count]


def reports_stored(url: str, messages: list[str]) -> int:
    from sqlalchemy import select

    from directory.models import ErrorReport
    from geodata.database import make_engine, make_session_factory

    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        stored = set(
            session.scalars(select(ErrorReport.message).where(ErrorReport.message.in_(messages)))
        )
    engine.dispose()
    return len(stored)


def start_gunicorn(url: str, index_dir: Path, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "AIGUILLAGE_DATABASE_URL": url,
        "AIGUILLAGE_SEARCH_INDEX_DIR": str(index_dir),
        "AIGUILLAGE_RATE_LIMIT_PER_MINUTE": "0",
        "AIGUILLAGE_ERROR_REPORTS_PER_MINUTE": "0",
        "SPATIALITE_LIBRARY_PATH": "mod_spatialite",
    }
    command = [
        str(Path(sys.executable).with_name("gunicorn")), "--config", "gunicorn.conf.py",
        "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app",
    ]  # fmt: skip
    with GUNICORN_LOG.open("w", encoding="utf-8") as log:  # the server keeps its own handle
        server = subprocess.Popen(command, cwd=ROOT, env=env, stderr=log)
    wait_until_healthy(server, port)
    return server


def server_errors() -> list[str]:
    """Lines of the server's log that say a request failed inside it (tracebacks, 500s)."""
    markers = ("Error handling request", "unexpected error", "Exception on ")
    text = GUNICORN_LOG.read_text(encoding="utf-8", errors="replace")
    return [line for line in text.splitlines() if any(marker in line for marker in markers)]


def run_locust(
    port: int, users: int, duration_s: float, record: Path, acknowledged: Path, env: dict[str, str]
) -> None:
    command = [
        str(Path(sys.executable).with_name("locust")), "-f", str(ROOT / "bench" / "locustfile.py"),
        "--headless", "--users", str(users), "--spawn-rate", str(users),
        "--run-time", f"{duration_s:.0f}s", "--host", f"http://127.0.0.1:{port}",
        "--only-summary", "--stop-timeout", "30", "--loglevel", "WARNING",
    ]  # fmt: skip
    full_env = {
        **os.environ,
        **env,
        "PYTHONPATH": str(ROOT),  # the locustfile imports bench.api_load
        "AIGUILLAGE_LOAD_RECORD": str(record),
        "AIGUILLAGE_LOAD_ACKNOWLEDGED": str(acknowledged),
    }
    subprocess.run(command, cwd=ROOT, env=full_env, check=False)


def quantile(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100)[q - 1]


def summarise(rows: list[dict[str, Any]], duration_s: float) -> list[str]:
    lines = [
        "| requêtes | nombre | 5xx | autres non-2xx | p50 | p95 | max |",
        "|---|---|---|---|---|---|---|",
    ]
    by_name: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_name[row["name"]].append(row)
    for name, group in [*sorted(by_name.items()), ("**toutes**", rows)]:
        times = [row["ms"] for row in group]
        server_errors = sum(1 for row in group if row["status"] >= 500 or row["status"] == 0)
        others = sum(1 for row in group if 300 <= row["status"] < 500)
        lines.append(
            f"| {name} | {len(group)} | {server_errors} | {others} | {quantile(times, 50):.0f} ms "
            f"| {quantile(times, 95):.0f} ms | {max(times):.0f} ms |"
        )
    lines.append(f"\nDébit : {len(rows) / duration_s:.1f} requêtes/s sur {duration_s:.0f} s.")
    return lines


def fault_report(
    rows: list[dict[str, Any]], stopped_at: float, started_at: float, restarted_at: float
) -> list[str]:
    during = [row for row in rows if stopped_at <= row["t"] <= started_at]
    failed_after = [
        row for row in rows if row["t"] > started_at and (row["status"] >= 500 or not row["status"])
    ]
    recovery_s = max((row["t"] for row in failed_after), default=started_at) - started_at
    statuses = Counter(row["status"] for row in during)
    bad_types = [
        row
        for row in during
        if row["status"] == 503
        and not row["type"].startswith(("application/problem+json", "text/html"))
    ]
    others = Counter(row["status"] for row in rows if row["status"] not in (200, 303, 503))
    return [
        f"- PostgreSQL arrêté {started_at - stopped_at:.1f} s (arrêt `-m fast`, puis "
        f"`pg_ctl start` en {restarted_at - started_at:.2f} s).",
        f"- Réponses pendant l'arrêt : {dict(sorted(statuses.items()))} ; "
        f"503 sans problem+json ni page HTML : {len(bad_types)} ; "
        f"réponse la plus lente pendant l'arrêt : "
        f"{max((row['ms'] for row in during), default=0):.0f} ms.",
        f"- Rétablissement : dernière réponse en échec {recovery_s:.2f} s après le redémarrage "
        f"({len(failed_after)} échecs après le redémarrage).",
        f"- Statuts autres que 200, 303 et 503 sur tout l'essai : {dict(others) or 'aucun'}.",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=60.0, help="secondes de charge")
    parser.add_argument("--users", type=int, default=30, help="utilisateurs à 1 requête/s")
    parser.add_argument("--fault", action="store_true", help="arrêter PostgreSQL pendant la charge")
    parser.add_argument("--outage", type=float, default=10.0, help="durée de l'arrêt, en s")
    args = parser.parse_args()

    OUT.mkdir(exist_ok=True)
    index_dir = OUT / "load-index"
    record, acknowledged = OUT / "load-record.jsonl", OUT / "load-acknowledged.json"
    with PrivateCluster(OUT / "load-pg") as cluster:
        url = prepare(cluster, index_dir)
        partners = partner_sample(url)
        port = free_port()
        server = start_gunicorn(url, index_dir, port)
        try:
            for _ in range(4):  # both workers open the index, fill their caches
                for path in WARM_UP:
                    get("127.0.0.1", port, path)
            env = {
                "AIGUILLAGE_LOAD_PARTNERS": ",".join(map(str, partners)),
                "AIGUILLAGE_LOAD_WRITES": "1" if args.fault else "0",
            }
            times: dict[str, float] = {}

            def outage() -> None:
                time.sleep(args.duration / 3)
                times["stopped"] = time.time()
                cluster.stop("fast")
                time.sleep(max(0.0, args.outage - (time.time() - times["stopped"])))
                times["started"] = time.time()
                cluster.start()
                times["restarted"] = time.time()

            fault = threading.Thread(target=outage) if args.fault else None
            started = time.time()
            if fault is not None:
                fault.start()
            run_locust(port, args.users, args.duration, record, acknowledged, env)
            elapsed = time.time() - started
            if fault is not None:
                fault.join()
        finally:
            server.terminate()
            server.wait(timeout=60)
        rows = [json.loads(line) for line in record.read_text(encoding="utf-8").splitlines()]
        print(
            f"\n# {platform.node()} ({os.cpu_count()} CPU), gunicorn 2 workers × 8 threads, "
            f"PostGIS (cluster privé), {args.users} utilisateurs à 1 requête/s, "
            f"{args.duration:.0f} s{' avec arrêt de PostgreSQL' if args.fault else ''}\n"
        )
        print("\n".join(summarise(rows, min(elapsed, args.duration))))
        failures = server_errors()
        print(f"\nÉchecs dans le journal du serveur ({GUNICORN_LOG.name}) : {len(failures)}.")
        for line in failures[:5]:
            print(f"  {line}")
        if args.fault:
            print()
            print(
                "\n".join(
                    fault_report(rows, times["stopped"], times["started"], times["restarted"])
                )
            )
            messages = json.loads(acknowledged.read_text(encoding="utf-8"))
            before = [m for m in messages if float(m.split()[1]) < times["stopped"]]
            print(
                f"- Signalements acquittés : {len(messages)} (dont {len(before)} avant l'arrêt) ; "
                f"retrouvés en base : {reports_stored(url, messages)} / {len(messages)}."
            )


if __name__ == "__main__":
    main()
