"""Benchmark: search latency, index build time and size on the synthetic national directory.

Run: ``.venv/bin/python -m bench.search_latency [--workdir /tmp/aiguillage-bench-search]``
(``--reuse`` keeps an existing synthetic database; ``--procs 2`` builds with 2 processes).

Method
------
1. A SpatiaLite database with the real divisions and the synthetic partners of
   `bench.synthetic` (≈ 63 000 partners, ≈ 186 000 services at ``--scale 1``).
2. ``rebuild_index`` from that database: wall time, CPU time (this process and its
   children), size on disk.
3. One process-wide index (as in a web worker), warmed by 20 queries, then ``--queries``
   searches per scenario, each timed alone (wall clock and CPU time of the thread):
   * ``texte seul``: what people type, no filter (« rsa lens », « mairie de muret »,
     « prime d'activiter », « france services ») — communes drawn by population;
   * ``texte + rayon``: a right or kind, a point (a commune, drawn by population) and a
     radius of 5 to 30 km;
   * ``texte + filtres + rayon + ouvert``: the same plus kind or right and help-level
     filters and « open at » a weekday instant between 9:00 and 17:00 (Paris time).
   Page size 20. The load average of the machine is printed: the machine may be shared.
   The index's match cache (`directory.search.match_cache`) is switched off: every search
   reads its matches from the index, as a word never searched before would.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import resource
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bench.synthetic import (
    Commune,
    create_reference_database,
    insert_synthetic_directory,
    read_communes,
)
from directory.search import (
    SearchFilters,
    SearchRequest,
    open_search_index,
    rebuild_index,
    search_partners,
)
from geodata.database import make_engine, make_session_factory

RIGHT_WORDS = ("rsa", "apl", "aide au logement", "css", "complémentaire santé solidaire",
               "chomage", "prime d'activité", "prime d'activiter", "aah", "minimum vieillesse",
               "allocations familiales", "domiciliation", "cheque energie", "fsl")  # fmt: skip
KIND_WORDS = ("mairie", "ccas", "france services", "caf", "mission locale",
              "maison des solidarités", "point justice", "france travail")  # fmt: skip
NATIONAL = ("rsa", "france services", "aide au logement", "prime d'activiter",
            "épicerie solidaire", "écrivain public", "accompagnement numérique",
            "mutuelle gratuite")  # fmt: skip
PARIS = ZoneInfo("Europe/Paris")


@dataclass(frozen=True)
class Timing:
    wall_ms: list[float]
    cpu_ms: list[float]
    results: list[int]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _pick(rng: random.Random, communes: list[Commune]) -> Commune:
    return rng.choices(communes, weights=[max(c.population, 50) for c in communes])[0]


def text_only(rng: random.Random, communes: list[Commune]) -> SearchRequest:
    roll = rng.random()
    if roll < 0.15:
        return SearchRequest(text=rng.choice(NATIONAL))
    word = rng.choice(KIND_WORDS if roll < 0.55 else RIGHT_WORDS)
    return SearchRequest(text=f"{word} {_pick(rng, communes).name}")


def with_radius(rng: random.Random, communes: list[Commune]) -> SearchRequest:
    commune = _pick(rng, communes)
    filters = SearchFilters(
        near=(commune.lon, commune.lat), radius_m=rng.choice((5e3, 10e3, 20e3, 30e3))
    )
    return SearchRequest(text=rng.choice(RIGHT_WORDS + KIND_WORDS), filters=filters)


def with_filters(rng: random.Random, communes: list[Commune]) -> SearchRequest:
    commune = _pick(rng, communes)
    day = datetime(2026, 11, 23, tzinfo=PARIS) + timedelta(days=rng.randrange(5))
    instant = day.replace(hour=rng.randrange(9, 17), minute=rng.choice((0, 15, 30, 45)))
    if rng.random() < 0.5:
        extra: dict[str, object] = {
            "kinds": (rng.choice(("mairie", "ccas", "france-services", "association")),)
        }
    else:
        extra = {"right_slugs": (rng.choice(("rsa", "c2s", "aides-logement", "domiciliation")),),
                 "help_levels": ("accompagnement", "instruction")}  # fmt: skip
    filters = SearchFilters(
        near=(commune.lon, commune.lat), radius_m=15_000, open_at=instant,
        accessible_only=rng.random() < 0.3, **extra,  # type: ignore[arg-type]
    )  # fmt: skip
    return SearchRequest(text=rng.choice(("aide", "dossier", "accueil", "")), filters=filters)


Scenario = Callable[[random.Random, list[Commune]], SearchRequest]


def measure(
    session: Session,
    index_dir: Path,
    make: Scenario,
    communes: list[Commune],
    count: int,
    seed: int,
) -> Timing:
    index = open_search_index(index_dir, match_cache_candidates=0)
    rng = random.Random(seed)
    for _ in range(20):
        search_partners(session, index, make(rng, communes))
    timing = Timing([], [], [])
    for _ in range(count):
        request = make(rng, communes)
        started, cpu = time.perf_counter(), time.thread_time()
        page = search_partners(session, index, request)
        timing.cpu_ms.append((time.thread_time() - cpu) * 1000)
        timing.wall_ms.append((time.perf_counter() - started) * 1000)
        timing.results.append(len(page.hits))
    return timing


def _size_mb(directory: Path) -> float:
    return sum(p.stat().st_size for p in directory.rglob("*") if p.is_file()) / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/aiguillage-bench-search"))
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--procs", type=int, default=1)
    parser.add_argument("--reuse", action="store_true", help="keep an existing database")
    parser.add_argument("--keep-index", action="store_true", help="measure searches only")
    arguments = parser.parse_args()
    arguments.workdir.mkdir(parents=True, exist_ok=True)
    database = arguments.workdir / "synthetic.db"
    index_dir = arguments.workdir / "index"
    print(f"Machine : {platform.processor() or platform.machine()}, {os.cpu_count()} cœurs, "
          f"Python {platform.python_version()}, charge {os.getloadavg()}")  # fmt: skip
    if not (arguments.reuse and database.exists()):
        database.unlink(missing_ok=True)
        engine = create_reference_database(f"sqlite:///{database}")
        with make_session_factory(engine)() as session:
            summary = insert_synthetic_directory(session, scale=arguments.scale)
            session.commit()
        print(f"Jeu synthétique : {summary.partners} partenaires, {summary.services} services "
              f"({summary.seconds:.0f} s)")  # fmt: skip
    engine = make_engine(f"sqlite:///{database}")
    factory = make_session_factory(engine)
    if not arguments.keep_index:
        children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu_before = time.process_time()
        with factory() as session:
            report = rebuild_index(session, index_dir, procs=arguments.procs)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = time.process_time() - cpu_before + (children.ru_utime - children_before.ru_utime)
        print(f"Construction de l'index : {report.document_count} documents, "
              f"{report.seconds:.1f} s (CPU {cpu:.1f} s, {arguments.procs} processus), "
              f"{_size_mb(index_dir):.0f} Mo, charge {os.getloadavg()}")  # fmt: skip
    started = time.perf_counter()
    open_search_index(index_dir, match_cache_candidates=0)  # every search reads the index
    opening_ms = (time.perf_counter() - started) * 1000
    print(f"Ouverture de l'index (une fois par processus) : {opening_ms:.0f} ms")
    communes = read_communes()
    print("| scénario | requêtes | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) "
          "| p95 CPU (ms) | résultats moyens |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|")
    scenarios: list[tuple[str, Scenario]] = [
        ("texte seul", text_only),
        ("texte + rayon", with_radius),
        ("texte + filtres + rayon + ouvert", with_filters),
    ]
    with factory() as session:
        for seed, (label, make) in enumerate(scenarios, start=1):
            timing = measure(session, index_dir, make, communes, arguments.queries, seed)
            wall = timing.wall_ms
            cells = (
                label, str(arguments.queries), f"{statistics.median(wall):.1f}",
                f"{percentile(wall, 0.95):.1f}", f"{percentile(wall, 0.99):.1f}",
                f"{max(wall):.1f}", f"{percentile(timing.cpu_ms, 0.95):.1f}",
                f"{statistics.mean(timing.results):.1f}",
            )  # fmt: skip
            print("| " + " | ".join(cells) + " |")
    print(f"Charge en fin de mesure : {os.getloadavg()}")


if __name__ == "__main__":
    main()
