"""Databases for the geodata benchmarks: the real bundled dataset, on SpatiaLite or PostGIS.

A database is reused when it already holds the communes (so a benchmark can be re-run in
seconds); otherwise it is created, migrated and loaded with ``import_bundled_data``
(several minutes on 2 cores).
"""

from __future__ import annotations

import os
import platform
import statistics
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, create_engine, func, select, text

from directory.imports.bundle import import_bundled_data
from geodata.database import make_engine, make_session_factory, normalise_database_url
from geodata.models import Commune
from geodata.schema import upgrade_database

OUT_DIR = Path(__file__).resolve().parent / "out"
POSTGRES_DATABASE = "aiguillage_bench_geodata"


def loaded_engine(backend: str, postgres_admin: str | None) -> Engine:
    """An engine on a database holding the bundled data (created and loaded if needed)."""
    if backend == "spatialite":
        OUT_DIR.mkdir(exist_ok=True)
        engine = make_engine(f"sqlite:///{OUT_DIR / 'geodata-bench.db'}")
    else:
        if postgres_admin is None:
            raise SystemExit("--postgres ADMIN_URL est nécessaire pour PostGIS")
        admin = create_engine(normalise_database_url(postgres_admin), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            exists = connection.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"),
                {"name": POSTGRES_DATABASE},
            ).scalar()
            if not exists:
                connection.execute(text(f'CREATE DATABASE "{POSTGRES_DATABASE}"'))
        url = admin.url.set(database=POSTGRES_DATABASE).render_as_string(hide_password=False)
        with create_engine(url).begin() as connection:
            connection.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
        admin.dispose()
        engine = make_engine(url)
    upgrade_database(engine)
    factory = make_session_factory(engine)
    with factory() as session:
        if not session.scalar(select(func.count()).select_from(Commune)):
            print(f"chargement des données livrées dans {engine.url.database} …", flush=True)
            import_bundled_data(session, datetime.now(UTC))
            session.commit()
    if backend == "postgis":
        with engine.begin() as connection:
            connection.execute(text("ANALYZE"))
    return engine


def percentile_ms(samples_s: list[float], fraction: float) -> float:
    ordered = sorted(samples_s)
    index = min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))
    return ordered[index] * 1000


def describe(samples_s: list[float]) -> str:
    return (
        f"n={len(samples_s)} p50={percentile_ms(samples_s, 0.5):.3f} ms "
        f"p95={percentile_ms(samples_s, 0.95):.3f} ms "
        f"moyenne={statistics.fmean(samples_s) * 1000:.3f} ms"
    )


def machine() -> str:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cœurs, "
        f"Python {platform.python_version()}, charge moyenne 1 min {load:.2f}"
    )
