"""Benchmark: latency of one orientation on a synthetic national directory.

Run: ``.venv/bin/python -m bench.orientation_latency [--scale 1.0] [--postgres ADMIN_URL]``.

The directory comes from :mod:`bench.synthetic` (made-up partners around the real town
halls of France, every one marked « [Synthétique] »). Each measured orientation is what the
JSON API will do for one person: geocode a commune typed as text (offline geocoder, warm
gazetteer), load and rank the candidates for one or two rights, find the deciding bodies,
the bus visits and the remote channels. Places are real communes drawn at random (uniformly,
so rural communes weigh as much as cities), rights and profiles at random, instants at
random over weekdays, week-ends and public holidays. Target: p95 ≤ 50 ms.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, create_engine, func, select, text

from bench.synthetic import create_reference_database, insert_synthetic_directory, read_communes
from directory.models import Partner, Service
from geodata.database import make_engine, make_session_factory, normalise_database_url
from geodata.geocoding.offline import OfflineGeocoder
from routing.orientation import OrientationRequest, PlaceQuery, Profile, orient

RIGHTS = (
    "rsa", "prime-activite", "aides-logement", "c2s", "aspa", "allocations-familiales",
    "aide-sociale-ccas", "domiciliation", "fsl", "are", "cheque-energie", "aah",
)  # fmt: skip
PROFILES = (
    Profile(),
    Profile(has_car=False),
    Profile(is_agricultural=True),
    Profile(needs_digital_help=True, has_reduced_mobility=True),
)
PARIS = ZoneInfo("Europe/Paris")
START = datetime(2026, 12, 1, 8, 0, tzinfo=PARIS)


def _database(
    postgres_admin: str | None, directory: Path, scale: float, reuse: Path | None
) -> Engine:
    if reuse is not None and reuse.exists():
        return make_engine(f"sqlite:///{reuse}")
    if postgres_admin is None:
        url = f"sqlite:///{reuse or directory / 'orientation-bench.db'}"
    else:
        admin = create_engine(normalise_database_url(postgres_admin), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text('DROP DATABASE IF EXISTS "aiguillage_bench_orientation"'))
            connection.execute(text('CREATE DATABASE "aiguillage_bench_orientation"'))
        url = admin.url.set(database="aiguillage_bench_orientation").render_as_string(
            hide_password=False
        )
        with create_engine(url).begin() as connection:
            connection.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
    engine = create_reference_database(url)
    with make_session_factory(engine)() as session:
        insert_synthetic_directory(session, scale=scale)
        session.commit()
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("ANALYZE"))
    return engine


def _requests(count: int, seed: int) -> list[tuple[OrientationRequest, datetime]]:
    rng = random.Random(seed)
    communes = [c for c in read_communes() if c.population > 0]
    requests = []
    for _ in range(count):
        commune = rng.choice(communes)
        rights = tuple(rng.sample(RIGHTS, rng.choice((1, 1, 1, 2))))
        query = PlaceQuery(address=f"{commune.name} {commune.departement_code}")
        at = START + timedelta(days=rng.randint(0, 180), minutes=rng.randint(0, 11 * 60))
        requests.append((OrientationRequest(rights, query, rng.choice(PROFILES)), at))
    return requests


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="bench.synthetic scale")
    parser.add_argument("--postgres", help="admin URL: benchmark PostGIS instead of SpatiaLite")
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--database", type=Path, help="SpatiaLite file to keep and reuse")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        started = time.perf_counter()
        engine = _database(args.postgres, Path(directory), args.scale, args.database)
        build_s = time.perf_counter() - started
        geocoder = OfflineGeocoder()
        factory = make_session_factory(engine)
        with factory() as session:
            partners = session.scalar(select(func.count()).select_from(Partner))
            services = session.scalar(select(func.count()).select_from(Service))
        requests = _requests(args.warmup + args.queries, args.seed)
        timings_ms: list[float] = []
        cpu_ms: list[float] = []
        answered = empty = 0
        for index, (request, at) in enumerate(requests):
            with factory() as session:
                begin, begin_cpu = time.perf_counter(), time.process_time()
                result = orient(session, request, at, geocoder=geocoder)
                elapsed_ms = (time.perf_counter() - begin) * 1000
                elapsed_cpu_ms = (time.process_time() - begin_cpu) * 1000
            if index < args.warmup:
                continue
            timings_ms.append(elapsed_ms)
            cpu_ms.append(elapsed_cpu_ms)
            answered += 1
            empty += sum(1 for right in result.rights if not right.partners)
        engine.dispose()
    backend = "PostGIS" if args.postgres else "SpatiaLite"
    print(
        f"{backend}, {partners} partners, {services} services (scale {args.scale}), "
        f"built in {build_s:.0f} s"
    )
    print(
        f"{answered} orientations after {args.warmup} warm-up ones ({empty} right sections "
        f"without partner): p50 {statistics.median(timings_ms):.1f} ms, "
        f"p95 {_percentile(timings_ms, 0.95):.1f} ms, p99 {_percentile(timings_ms, 0.99):.1f} ms, "
        f"max {max(timings_ms):.1f} ms"
    )
    print(
        f"CPU time of this process per orientation: p50 {statistics.median(cpu_ms):.1f} ms, "
        f"p95 {_percentile(cpu_ms, 0.95):.1f} ms (the database work is included for "
        "SpatiaLite, not for PostGIS, which runs in its own processes)"
    )
    print(f"Load average during the run: {os.getloadavg()[0]:.1f}")
    print(
        f"Machine: {platform.platform()}, {os.cpu_count()} CPU, Python {platform.python_version()}"
    )


if __name__ == "__main__":
    main()
