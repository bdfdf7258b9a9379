"""Benchmark: the biggest API answers — cold start of a worker, GeoJSON, exports, compression.

Run (from the tree to measure; the current directory's packages are imported):
``.venv/bin/python -m bench.api_answers --database sqlite:////path/aiguillage.db
--index /path/search-index [--runs 7]``, for instance on a database made with
``flask data import-bundled --france`` (16 104 partners).

* ``cold``: a new process builds the app and asks the mainland map (``bbox`` of
  metropolitan France, ``limit=5000``, « à confirmer » included): the first answer pays for
  opening the index and for writing the weekly hours of every partner shown; then the same
  request ``--runs`` times (warm, answer cache off) and a département (62) map.
* ``sizes``: each answer plain, gzip (level 6) and brotli (quality 4), the levels of
  `web.compression`, with the time each compression takes.
* ``exports``: the data·inclusion export asked twice (first: built into ``EXPORTS_DIR``;
  second: served from the file), plain and gzip.
Prints one JSON document; docs/BENCHMARKS.md keeps the figures.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any

MAINLAND = "/api/v1/partners.geojson?bbox=-5.2,41.3,9.6,51.1&limit=5000&include_unconfirmed=1"
DEPARTEMENT = "/api/v1/partners.geojson?departement=62&limit=5000&include_unconfirmed=1"
DATAINCLUSION = "/api/v1/exports/datainclusion.json"


def _timed(client: Any, url: str, **headers: str) -> tuple[float, bytes, Any]:
    started = time.perf_counter()
    response = client.get(url, headers=headers)
    body = response.get_data()
    return time.perf_counter() - started, body, response


def _compressed(body: bytes) -> dict[str, Any]:
    import brotli

    started = time.perf_counter()
    packed_gzip = gzip.compress(body, 6)
    gzip_s = time.perf_counter() - started
    started = time.perf_counter()
    packed_br = brotli.compress(body, quality=4, lgwin=22)
    br_s = time.perf_counter() - started
    return {
        "plain_bytes": len(body),
        "gzip_bytes": len(packed_gzip),
        "gzip_ms": round(gzip_s * 1000, 1),
        "br_bytes": len(packed_br),
        "br_ms": round(br_s * 1000, 1),
    }


def measure(runs: int) -> dict[str, Any]:
    """In this (new) process: build the app, then time the answers."""
    started = time.perf_counter()
    from web.app import create_app

    app = create_app({"RATE_LIMIT_PER_MINUTE": 0, "RESPONSE_CACHE_SIZE": 0})
    client = app.test_client()
    result: dict[str, Any] = {"create_app_s": round(time.perf_counter() - started, 2)}
    cpu = time.process_time()
    first, body, _ = _timed(client, MAINLAND)
    first_cpu = time.process_time() - cpu
    second, _, _ = _timed(client, MAINLAND)
    warm = [_timed(client, MAINLAND)[0] for _ in range(runs)]
    result["mainland"] = {
        "first_s": round(first, 2),
        "first_cpu_s": round(first_cpu, 2),
        "second_s": round(second, 2),
        "warm_p50_s": round(statistics.median(warm), 3),
        "warm_max_s": round(max(warm), 3),
        "features": json.loads(body)["numberReturned"],
        **_compressed(body),
    }
    departement_s, body, _ = _timed(client, DEPARTEMENT)
    result["departement_62"] = {"first_s": round(departement_s, 3), **_compressed(body)}
    cpu = time.process_time()
    build_s, body, _ = _timed(client, DATAINCLUSION)
    build_cpu = time.process_time() - cpu
    served_s, _, _ = _timed(client, DATAINCLUSION)
    gzip_s, packed, response = _timed(client, DATAINCLUSION, **{"Accept-Encoding": "gzip"})
    result["datainclusion"] = {
        "first_s": round(build_s, 2),
        "first_cpu_s": round(build_cpu, 2),
        "second_s": round(served_s, 2),
        "gzip_asked_s": round(gzip_s, 3),
        "plain_bytes": len(body),
        "sent_bytes_with_gzip": len(packed),
        "content_encoding": response.headers.get("Content-Encoding"),
    }
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--index", required=True)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.runs)))
        return
    environment = {
        **os.environ,
        "AIGUILLAGE_DATABASE_URL": args.database,
        "AIGUILLAGE_SEARCH_INDEX_DIR": args.index,
        "AIGUILLAGE_EXPORTS_DIR": tempfile.mkdtemp(prefix="aiguillage-bench-exports-"),
        "SPATIALITE_LIBRARY_PATH": os.environ.get("SPATIALITE_LIBRARY_PATH", "mod_spatialite"),
    }
    command = [sys.executable, "-m", "bench.api_answers", *sys.argv[1:], "--child"]
    output = subprocess.run(command, env=environment, capture_output=True, text=True, check=True)
    print(json.dumps(json.loads(output.stdout.strip().splitlines()[-1]), indent=2))


if __name__ == "__main__":
    main()
