"""Benchmark: reverse look-up (point → commune, EPCI, département) on SpatiaLite and PostGIS.

Run: ``.venv/bin/python -m bench.geodata_reverse [--postgres ADMIN_URL] [--points 3000]``
(without ``--postgres``, SpatiaLite only).

Dataset: the bundled real data (35 014 communes with centres; 1 473 polygons for 62 and
31). Points (seeded): two thirds uniformly random inside the bounding boxes of the
Pas-de-Calais and Haute-Garonne commune centres widened by 0.05° (polygon hits, border
and outside points), one third random commune centres of the whole country moved by up to 3 km
(nearest-centre fallback). Points refused (abroad, at sea) are timed too. One warm
session per backend, as a web worker has. Target: p95 ≤ 2 ms.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import time
from collections import Counter

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bench.geodata_db import describe, loaded_engine, machine
from geodata import spatial
from geodata.database import make_session_factory
from geodata.errors import InvalidLocation
from geodata.models import Commune
from geodata.reverse import reverse_geocode


def sample_points(session: Session, count: int, seed: int = 11) -> list[tuple[float, float]]:
    rnd = random.Random(seed)
    points: list[tuple[float, float]] = []
    lon, lat = spatial.lon_lat_of(Commune.centre)
    for code in ("62", "31"):
        west, south, east, north = session.execute(
            select(func.min(lon), func.min(lat), func.max(lon), func.max(lat)).where(
                Commune.departement_code == code
            )
        ).one()
        margin = 0.05  # commune centres: widen the box to the département's edges
        points += [
            (rnd.uniform(west - margin, east + margin), rnd.uniform(south - margin, north + margin))
            for _ in range(count // 3)
        ]
    centres = session.execute(
        select(*spatial.lon_lat_of(Commune.centre))
        .where(Commune.centre.is_not(None))
        .order_by(Commune.insee_code)
    ).all()
    for lon, lat in rnd.sample(centres, count - len(points)):
        points.append((lon + rnd.uniform(-0.04, 0.04), lat + rnd.uniform(-0.027, 0.027)))
    return points


def run(backend: str, postgres_admin: str | None, count: int) -> None:
    engine = loaded_engine(backend, postgres_admin)
    with make_session_factory(engine)() as session:
        points = sample_points(session, count)
        for lon, lat in points[:100]:  # warm-up: connection, prepared statements, caches
            with contextlib.suppress(InvalidLocation):
                reverse_geocode(session, lon, lat)
        timings: list[float] = []
        cpu: list[float] = []
        methods: Counter[str] = Counter()
        for lon, lat in points:
            started, cpu_started = time.perf_counter(), time.process_time()
            try:
                method = reverse_geocode(session, lon, lat).method.value
            except InvalidLocation:
                method = "refusé (hors de France, en mer)"
            timings.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
            methods[method] += 1
    print(f"{backend} : {machine()}")
    print(f"  durée réelle : {describe(timings)}")
    print(f"  temps CPU du processus Python (sans le serveur PostgreSQL) : {describe(cpu)}")
    print(f"  méthodes : {dict(methods)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres", help="URL d'administration PostgreSQL")
    parser.add_argument("--points", type=int, default=3000)
    args = parser.parse_args()
    run("spatialite", None, args.points)
    if args.postgres:
        run("postgis", args.postgres, args.points)


if __name__ == "__main__":
    main()
