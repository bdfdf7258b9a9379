"""Benchmark: offline geocoding throughput and latency (single process, warm gazetteer).

Run: ``.venv/bin/python -m bench.geodata_geocoding [--backend spatialite|postgis]
[--postgres ADMIN_URL] [--queries 20000]``.

Dataset: the bundled real data (34 915 geocodable communes and arrondissements, 2 576
former communes) plus the BAN-format test fixture (12 addresses). Queries are drawn
(seeded) from the data as people type them: 45 % commune names of all France in various
spellings (plain, lower-case without accents, "St" for "Saint"), 15 % with a postcode,
10 % with one typo, 10 % a bare postcode, 10 % "street + commune" (street absent from the
imported addresses: commune fallback), 5 % fixture addresses with house numbers, 5 %
noise (punctuation, SQL/HTML fragments, 2 000 characters). Target: ≥ 500 queries/s.
"""

from __future__ import annotations

import argparse
import random
import time
import tracemalloc
from pathlib import Path

from sqlalchemy import select

from bench.geodata_db import describe, loaded_engine, machine
from geodata.database import make_session_factory
from geodata.geocoding.offline import OfflineGeocoder
from geodata.imports.ban import import_ban_addresses
from geodata.models import Commune

BAN_FIXTURE = (
    Path(__file__).resolve().parent.parent / "tests/geodata/fixtures/ban/adresses-test.csv"
)
NOISE = ("", ";;;", "'; DROP TABLE commune; --", "<b>Arras</b>", "x" * 2000, "12 ?? 99")
ADDRESSES = (
    "6 place Guy Mollet 62000 Arras",
    "2 rue de Douai Arras",
    "1 rue Charles Péguy 62000 Arras",
    "2 rue Dastarat Cadours",
    "27 rue Castelvielh 31600 Muret",
)
STREETS = ("12 rue de la Gare", "3 place de l'Église", "le bourg", "5 chemin des Vignes")


def typo(name: str, rnd: random.Random) -> str:
    i = rnd.randrange(len(name))
    return name[:i] + name[i + 1 :] if rnd.random() < 0.5 else name[:i] + "e" + name[i:]


def workload(communes: list[tuple[str, str]], size: int, seed: int = 7) -> list[str]:
    rnd = random.Random(seed)
    queries = []
    for _ in range(size):
        name, postcodes = rnd.choice(communes)
        postcode = postcodes.split("|")[0] if postcodes else ""
        draw = rnd.random()
        if draw < 0.15:
            queries.append(name)
        elif draw < 0.30:
            queries.append(name.lower().replace("é", "e").replace("-", " "))
        elif draw < 0.45:
            queries.append(name.replace("Saint-", "St ").replace("Sainte-", "Ste "))
        elif draw < 0.60:
            queries.append(f"{postcode} {name}" if rnd.random() < 0.5 else f"{name} {postcode}")
        elif draw < 0.70:
            queries.append(typo(name, rnd) if len(name) > 4 else name)
        elif draw < 0.80:
            queries.append(postcode)
        elif draw < 0.90:
            queries.append(f"{rnd.choice(STREETS)} {postcode} {name}")
        elif draw < 0.95:
            queries.append(rnd.choice(ADDRESSES))
        else:
            queries.append(rnd.choice(NOISE))
    return queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--backend", choices=("spatialite", "postgis"), default="spatialite")
    parser.add_argument("--postgres", help="URL d'administration PostgreSQL (pour postgis)")
    parser.add_argument("--queries", type=int, default=20_000)
    args = parser.parse_args()
    engine = loaded_engine(args.backend, args.postgres)
    factory = make_session_factory(engine)
    with factory() as session:
        import_ban_addresses(session, BAN_FIXTURE)
        session.commit()
        communes = list(session.execute(select(Commune.name, Commune.postal_codes)).tuples().all())
        queries = workload(communes, args.queries)
        geocoder = OfflineGeocoder(preferred_departements=("62", "31"))
        started = time.perf_counter()
        gazetteer = geocoder.gazetteer(session)
        build_s = time.perf_counter() - started
        tracemalloc.start()
        geocoder.refresh(session)  # same build, measured for memory only (tracemalloc is slow)
        memory_mb = tracemalloc.get_traced_memory()[0] / 1e6
        tracemalloc.stop()
        gazetteer = geocoder.gazetteer(session)
        for query in queries[:500]:  # warm the street cache like a running server
            geocoder.geocode(session, query)
        geocode_s: list[float] = []
        started = time.perf_counter()
        for query in queries:
            t0 = time.perf_counter()
            geocoder.geocode(session, query)
            geocode_s.append(time.perf_counter() - t0)
        total_s = time.perf_counter() - started
        cpu_started = time.process_time()
        for query in queries:
            geocoder.geocode(session, query)
        cpu_per_query_s = (time.process_time() - cpu_started) / len(queries)
        autocomplete_s: list[float] = []
        for query in queries[:5000]:
            prefix = query[: max(2, len(query) // 2)]
            t0 = time.perf_counter()
            geocoder.autocomplete(session, prefix)
            autocomplete_s.append(time.perf_counter() - t0)
    print(f"machine : {machine()}")
    print(f"base : {args.backend}, {len(gazetteer.places)} communes, {len(gazetteer)} noms")
    print(f"construction du gazetteer : {build_s:.2f} s, {memory_mb:.1f} Mo (tracemalloc)")
    print(f"géocodage : {len(queries) / total_s:.0f} requêtes/s — {describe(geocode_s)}")
    print(f"  temps CPU moyen par requête : {cpu_per_query_s * 1000:.3f} ms")
    print(f"autocomplétion : {describe(autocomplete_s)}")


if __name__ == "__main__":
    main()
