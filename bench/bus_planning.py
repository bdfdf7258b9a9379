"""Benchmark: planning the bus des droits on the real bundled data.

Run: ``.venv/bin/python -m bench.bus_planning [--runs 5] [--database bench/out/bus.db]``
(add ``--postgres ADMIN_URL`` for PostGIS).

1. **Plan**: a proposed month for the four Haute-Garonne EPCIs of the territory (217
   communes), 60 candidate communes (the 60 most populous « zones éloignées » without a
   car, 30 minutes), 8 half-days, 8 stops at most: coverage, candidate × commune travel
   times, stop selection (CP-SAT), tours (OR-Tools routing, 1 s limit). Target ≤ 10 s,
   goal ≤ 2 s.
2. **Coverage** of the whole Haute-Garonne (31, 586 communes) by car and without a car,
   against the real France services and town halls. Target ≤ 2 s.

Travel times are the default straight-line estimates (``EstimatedTravelTimes``).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import Engine, create_engine, func, select, text

from directory.imports.bundle import import_bundled_data
from geodata.database import make_engine, make_session_factory, normalise_database_url
from geodata.models import Commune
from geodata.schema import upgrade_database
from geodata.travel_time import EstimatedTravelTimes
from routing.bus.planning.coverage import CoverageMode, analyse_coverage
from routing.bus.planning.month import PlanRequest, propose_month
from routing.bus.planning.territory import TerritoryRequest

HAUTE_GARONNE_EPCIS = TerritoryRequest(
    epci_sirens=("200068641", "200071298", "200071314", "200072643")
)
DEPARTEMENT_31 = TerritoryRequest(departement_codes=("31",))
CANDIDATES = 60
OUT = Path(__file__).resolve().parent / "out"


def _database(path: Path, postgres_admin: str | None) -> Engine:
    if postgres_admin is None:
        if path.exists():
            return make_engine(f"sqlite:///{path}")
        path.parent.mkdir(parents=True, exist_ok=True)
        engine = make_engine(f"sqlite:///{path}")
    else:
        admin = create_engine(normalise_database_url(postgres_admin), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            exists = connection.execute(
                text("SELECT 1 FROM pg_database WHERE datname = 'aiguillage_bench_bus'")
            ).scalar()
            if not exists:
                connection.execute(text('CREATE DATABASE "aiguillage_bench_bus"'))
        url = admin.url.set(database="aiguillage_bench_bus").render_as_string(hide_password=False)
        with create_engine(url).begin() as connection:
            connection.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
        engine = make_engine(url)
        if exists:
            return engine
    upgrade_database(engine)
    with make_session_factory(engine)() as session:
        import_bundled_data(session, datetime.now(UTC))
        session.commit()
    return engine


def _timed(runs: int, work: Callable[[], object]) -> tuple[list[float], object]:
    seconds, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        seconds.append(time.perf_counter() - started)
    return seconds, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database", type=Path, default=OUT / "bus-planning.db")
    parser.add_argument("--postgres", help="admin URL: benchmark PostGIS instead of SpatiaLite")
    args = parser.parse_args()
    engine = _database(args.database, args.postgres)
    provider = EstimatedTravelTimes()
    print(f"Python {platform.python_version()}, {os.cpu_count()} cores, {engine.dialect.name}")
    with make_session_factory(engine)() as session:
        communes_31 = session.scalar(
            select(func.count()).select_from(Commune).where(Commune.departement_code == "31")
        )
        before = analyse_coverage(
            session, HAUTE_GARONNE_EPCIS, provider, mode=CoverageMode.WITHOUT_CAR
        )
        remote = sorted(
            (row.commune for row in before.communes if row.is_remote),
            key=lambda c: (-c.population, c.insee_code),
        )[:CANDIDATES]
        request = PlanRequest(
            territory=HAUTE_GARONNE_EPCIS,
            month=date(2027, 3, 1),
            max_stops=8,
            half_days=8,
            mode=CoverageMode.WITHOUT_CAR,
            candidate_codes=tuple(c.insee_code for c in remote),
        )
        plan_s, plan = _timed(args.runs, lambda: propose_month(session, request, provider))
        print(
            f"\nPlan: {len(remote)} candidate communes, {request.half_days} half-days, "
            f"{before.totals.communes} communes, {before.totals.remote_communes} remote"
        )
        print(f"  {plan.sentence}")  # type: ignore[attr-defined]
        print(f"  runs (s): {', '.join(f'{s:.2f}' for s in plan_s)}")
        print(f"  median {statistics.median(plan_s):.2f} s, max {max(plan_s):.2f} s")
        print("\nCoverage of the Haute-Garonne (31):", communes_31, "communes")
        for mode in CoverageMode:
            cover_s, report = _timed(
                args.runs,
                lambda mode=mode: analyse_coverage(session, DEPARTEMENT_31, provider, mode=mode),
            )
            print(f"  {mode.value}: {report.sentence}")  # type: ignore[attr-defined]
            print(
                f"    runs (s): {', '.join(f'{s:.2f}' for s in cover_s)}; "
                f"median {statistics.median(cover_s):.2f} s, max {max(cover_s):.2f} s"
            )
    print(f"\nLoad average during the run: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
