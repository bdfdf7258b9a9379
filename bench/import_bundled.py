"""Benchmark: import of the whole bundled dataset into a fresh SpatiaLite (or PostGIS) database.

Run: ``.venv/bin/python -m bench.import_bundled [--postgres URL] [--runs 3] [--audit]``.
Measures the wall time of migrations + the full import, then of an idempotent re-import.
``--audit`` writes the audit log as ``data import-bundled`` does (one entry per partner
created or updated, before → after, and one for the run), in the same transaction.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from admin.audit import Actor, Origin, PartnerEntries, record, record_many
from directory.imports.bundle import PartnerFiles, import_bundled_data
from geodata.database import make_engine, make_session_factory, normalise_database_url
from geodata.import_report import ImportReport
from geodata.schema import upgrade_database


def _fresh_url(postgres_admin: str | None, directory: Path, run: int) -> str:
    if postgres_admin is None:
        return f"sqlite:///{directory / f'bench-{run}.db'}"
    admin = create_engine(normalise_database_url(postgres_admin), isolation_level="AUTOCOMMIT")
    name = f"aiguillage_bench_{run}"
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin.url.set(database=name).render_as_string(hide_password=False)
    with create_engine(url).begin() as connection:
        connection.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
    return url


class _TimedEntries(PartnerEntries):
    """The command's observer, timing its own work (the before → after snapshots)."""

    seconds = 0.0

    def partner_synced(self, *args: Any) -> None:
        started = time.perf_counter()
        super().partner_synced(*args)
        self.seconds += time.perf_counter() - started


def _import(factory: sessionmaker[Session], files: PartnerFiles, audit: bool) -> list[ImportReport]:
    """One import in one transaction, audited as the command audits it when asked."""
    now = datetime.now(UTC)
    observer = _TimedEntries("Commande data import-bundled") if audit else None
    with factory() as session:
        reports = import_bundled_data(session, now, files=files, observer=observer)
        if observer is not None:
            started = time.perf_counter()
            actor = Actor(None, "bench", Origin.COMMAND, "data import-bundled")
            record_many(session, actor, observer.entries, now)
            record(session, actor, "import", "bench", at=now)
            session.flush()
            written = time.perf_counter() - started
            size = sum(len(json.dumps(e.changes, ensure_ascii=False)) for e in observer.entries)
            print(
                f"  audit: {len(observer.entries)} partner entries ({size / 1e6:.1f} MB of "
                f"changes), snapshots {observer.seconds:.1f} s, insert {written:.1f} s"
            )
        session.commit()
    return reports


def run_once(
    url: str, files: PartnerFiles | None = None, audit: bool = False
) -> tuple[float, float, int]:
    files = files or PartnerFiles()
    engine = make_engine(url)
    started = time.perf_counter()
    upgrade_database(engine)
    factory = make_session_factory(engine)
    reports = _import(factory, files, audit)
    first = time.perf_counter() - started
    rows = sum(r.rows_read for r in reports)
    started = time.perf_counter()
    _import(factory, files, audit)
    second = time.perf_counter() - started
    engine.dispose()
    return first, second, rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", help="admin URL: benchmark PostGIS instead of SpatiaLite")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--france",
        action="store_true",
        help="the France-wide Annuaire 2017 and CNFS files (data/reference/france)",
    )
    parser.add_argument("--audit", action="store_true", help="write the audit log too")
    args = parser.parse_args()
    files = PartnerFiles.france() if args.france else PartnerFiles()
    firsts, seconds = [], []
    with tempfile.TemporaryDirectory() as directory:
        for run in range(args.runs):
            first, second, rows = run_once(
                _fresh_url(args.postgres, Path(directory), run), files, args.audit
            )
            firsts.append(first)
            seconds.append(second)
            print(
                f"run {run + 1}: first import {first:.1f} s, re-import {second:.1f} s, {rows} rows"
            )
    backend = ("PostGIS" if args.postgres else "SpatiaLite") + (" (audited)" if args.audit else "")
    print(
        f"{backend} — {platform.processor() or platform.machine()}, "
        f"first import median {statistics.median(firsts):.1f} s (max {max(firsts):.1f} s), "
        f"re-import median {statistics.median(seconds):.1f} s"
    )


if __name__ == "__main__":
    main()
