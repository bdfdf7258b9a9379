"""Benchmark: import of the whole bundled dataset into a fresh SpatiaLite (or PostGIS) database.

Run: ``.venv/bin/python -m bench.import_bundled [--postgres URL] [--runs 3] [--france]``.
Measures migrations + the full import (one transaction), then an idempotent re-import:
wall time, CPU time of this process (user + sys) and, on PostGIS, of the server process
that served the session (read from ``/proc``: the server runs on this machine), the SQL
statements sent (an ``executemany`` counts once, its rows are counted apart) and each
step's share. ``--checksum`` prints a digest of what was imported (partners, services,
service areas, served communes, reports; ids and timestamps left out) to compare two
versions of the code; ``--profile FILE`` writes a cProfile of the first import.
``--audit`` writes the audit log as ``data import-bundled`` does (one entry per partner
created or updated, before → after, and one for the run), in the same transaction.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import json
import os
import platform
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url, text
from sqlalchemy.orm import Session

from admin.audit import Actor, Origin, PartnerEntries, record, record_many
from directory.imports.bundle import PartnerFiles, import_bundled_data
from geodata.database import make_engine, make_session_factory, normalise_database_url
from geodata.import_report import ImportReport
from geodata.schema import upgrade_database

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _drop(postgres_admin: str | None, url: str) -> None:
    if postgres_admin is None:
        return
    admin = create_engine(normalise_database_url(postgres_admin), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        name = make_url(url).database
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _fresh_url(postgres_admin: str | None, directory: Path, run: int) -> str:
    if postgres_admin is None:
        return f"sqlite:///{directory / f'bench-{run}.db'}"
    admin = create_engine(normalise_database_url(postgres_admin), isolation_level="AUTOCOMMIT")
    name = f"aiguillage_bench_import_{os.getpid()}_{run}"  # other runs may share the server
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin.url.set(database=name).render_as_string(hide_password=False)
    with create_engine(url).begin() as connection:
        connection.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
    return url


@dataclass
class Statements:
    """SQL sent by the engine: statements, and the rows of the executemany ones."""

    statements: int = 0
    many_rows: int = 0

    def listen(self, engine: Engine) -> None:
        @event.listens_for(engine, "before_cursor_execute")
        def count(_conn: Any, _cursor: Any, _sql: str, params: Any, _ctx: Any, many: bool) -> None:
            self.statements += 1
            if many:
                self.many_rows += len(params)


@dataclass
class Measure:
    """Wall and CPU seconds of one import, in all and per step."""

    wall_s: float = 0.0
    cpu_s: float = 0.0
    server_cpu_s: float | None = None
    statements: int = 0
    many_rows: int = 0
    steps: list[tuple[str, float, float, int]] = field(default_factory=list)

    def describe(self) -> str:
        server = "" if self.server_cpu_s is None else f", server CPU {self.server_cpu_s:.1f} s"
        return (
            f"{self.wall_s:.1f} s wall, CPU {self.cpu_s:.1f} s{server}, "
            f"{self.statements} statements (+{self.many_rows} executemany rows)"
        )


def _server_pid(session: Session) -> int | None:
    """The PostgreSQL process serving this session (None on SpatiaLite)."""
    if session.get_bind().dialect.name != "postgresql":
        return None
    return int(session.scalar(text("SELECT pg_backend_pid()")))


def _server_cpu_s(pid: int | None) -> float | None:
    """CPU seconds used so far by that server process (it runs on this machine)."""
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime + stime


def _cpu_s() -> float:
    times = os.times()
    return times.user + times.system


@contextmanager
def _measuring(measure: Measure, counter: Statements) -> Iterator[None]:
    wall, cpu = time.perf_counter(), _cpu_s()
    statements, rows = counter.statements, counter.many_rows
    yield
    measure.wall_s += time.perf_counter() - wall
    measure.cpu_s += _cpu_s() - cpu
    measure.statements += counter.statements - statements
    measure.many_rows += counter.many_rows - rows


class _TimedEntries(PartnerEntries):
    """The command's observer, timing its own work (the before → after snapshots)."""

    seconds = 0.0

    def partner_synced(self, *args: Any) -> None:
        started = time.perf_counter()
        super().partner_synced(*args)
        self.seconds += time.perf_counter() - started


def _write_audit(session: Session, observer: _TimedEntries, now: datetime) -> None:
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


def _import(
    session: Session,
    files: PartnerFiles,
    measure: Measure,
    counter: Statements,
    audit: bool = False,
) -> list[ImportReport]:
    pid = _server_pid(session)
    server_before = _server_cpu_s(pid)
    marks: list[tuple[str, float, float, int]] = []

    def mark(label: str) -> None:  # CPU: this process's, plus the server's on PostGIS
        server = _server_cpu_s(pid) or 0.0
        marks.append((label, time.perf_counter(), _cpu_s() + server, counter.statements))

    now = datetime.now(UTC)
    observer = _TimedEntries("Commande data import-bundled") if audit else None
    reports = import_bundled_data(
        session, now, lambda s: mark(s.label), files=files, observer=observer
    )
    if observer is not None:
        _write_audit(session, observer, now)
    session.commit()
    mark("")
    measure.steps = [
        (label, end - wall, end_cpu - cpu, end_statements - statements)
        for (label, wall, cpu, statements), (_, end, end_cpu, end_statements) in pairwise(marks)
    ]
    server_after = _server_cpu_s(pid)
    if server_before is not None and server_after is not None:
        measure.server_cpu_s = server_after - server_before
    return reports


def checksum(
    session: Session, reports: list[ImportReport], dump: Path | None = None
) -> dict[str, str]:
    """Digests of the imported directory, keyed by (source, source id), and of the reports."""
    queries = {
        "partners": """SELECT p.source, p.source_id, p.kind, p.name, p.siret, p.description,
            p.street, p.address_complement, p.postcode, p.city, p.insee_code,
            ST_X(p.location), ST_Y(p.location), p.is_location_doubtful, p.location_note,
            p.phone, p.email, p.website, p.opening_hours, p.opening_hours_source,
            p.accessibility, p.accessibility_details, p.languages, p.appointment,
            p.transport_access, p.source_licence, p.source_date, p.verified_at, p.is_demo
            FROM partner p ORDER BY p.source, p.source_id""",
        "services": """SELECT p.source, p.source_id, s.right_slug, s.help_level,
            s.description, s.publics, s.source FROM service s JOIN partner p
            ON p.id = s.partner_id ORDER BY p.source, p.source_id, s.right_slug""",
        "areas": """SELECT p.source, p.source_id, a.level, a.code FROM service_area a
            JOIN partner p ON p.id = a.partner_id ORDER BY p.source, p.source_id, a.level,
            a.code""",
        "served_communes": """SELECT p.source, p.source_id, c.insee_code FROM served_commune c
            JOIN partner p ON p.id = c.partner_id ORDER BY p.source, p.source_id,
            c.insee_code""",
        "partner_ids": "SELECT id, source, source_id FROM partner ORDER BY id",
    }
    digests = {}
    for name, query in queries.items():
        digest = hashlib.sha256()
        count = 0
        for row in session.execute(text(query)):
            digest.update(repr(tuple(row)).encode())
            count += 1
        digests[name] = f"{count} rows {digest.hexdigest()[:16]}"
    digest = hashlib.sha256()
    for report in reports:
        counts = (report.rows_read, report.created, report.updated, report.unchanged,
                  report.deleted, report.merged)  # fmt: skip
        problems = (report.rejected, report.skipped, report.warnings)
        digest.update(repr((report.dataset, report.file_name, counts, problems)).encode())
    digests["reports"] = digest.hexdigest()[:16]
    if dump is not None:
        dump.write_text("\n".join(line for r in reports for line in r.lines(limit=10**9)) + "\n")
    return digests


@dataclass
class Run:
    first: Measure
    second: Measure
    rows: int
    digests: dict[str, str] | None = None
    second_digests: dict[str, str] | None = None


def run_once(
    url: str,
    files: PartnerFiles | None = None,
    *,
    with_checksum: bool = False,
    profile: Path | None = None,
    dump_reports: Path | None = None,
    audit: bool = False,
) -> Run:
    files = files or PartnerFiles()
    engine = make_engine(url)
    counter = Statements()
    counter.listen(engine)
    factory = make_session_factory(engine)
    first = Measure()
    profiler = cProfile.Profile()
    with _measuring(first, counter):
        upgrade_database(engine)
        with factory() as session:
            if profile is not None:
                profiler.enable()
            reports = _import(session, files, first, counter, audit)
            if profile is not None:
                profiler.disable()
                profiler.dump_stats(profile)
    run = Run(first, Measure(), sum(r.rows_read for r in reports))
    if with_checksum:
        with factory() as session:
            run.digests = checksum(session, reports, dump_reports)
    with _measuring(run.second, counter), factory() as session:
        second_reports = _import(session, files, run.second, counter, audit)
    if with_checksum:
        with factory() as session:
            run.second_digests = checksum(session, second_reports)
    engine.dispose()
    return run


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", help="admin URL: benchmark PostGIS instead of SpatiaLite")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--france",
        action="store_true",
        help="the France-wide Annuaire 2017 and CNFS files (data/reference/france)",
    )
    parser.add_argument("--checksum", action="store_true", help="digest of what was imported")
    parser.add_argument("--profile", type=Path, help="cProfile output of the first import")
    parser.add_argument("--reports", type=Path, help="write the first import's reports there")
    parser.add_argument("--steps", action="store_true", help="print each step's time")
    parser.add_argument("--audit", action="store_true", help="write the audit log too")
    args = parser.parse_args()
    files = PartnerFiles.france() if args.france else PartnerFiles()
    firsts, seconds = [], []
    backend = "PostGIS" if args.postgres else "SpatiaLite"
    print(f"{backend}, {os.cpu_count()} CPU, load average {os.getloadavg()[0]:.1f} at start")
    with tempfile.TemporaryDirectory() as directory:
        for number in range(args.runs):
            url = _fresh_url(args.postgres, Path(directory), number)
            try:
                run = run_once(
                    url,
                    files,
                    with_checksum=args.checksum,
                    profile=args.profile,
                    dump_reports=args.reports,
                    audit=args.audit,
                )
            finally:
                _drop(args.postgres, url)
            firsts.append(run.first.wall_s)
            seconds.append(run.second.wall_s)
            print(f"run {number + 1}, {run.rows} rows: first import {run.first.describe()}")
            print(f"  re-import {run.second.describe()}")
            if args.steps:
                for label, wall, cpu, statements in run.first.steps:
                    print(f"  {label}: {wall:.1f} s wall, {cpu:.1f} s CPU, {statements} statements")
                for label, wall, cpu, statements in run.second.steps:
                    print(f"  (re) {label}: {wall:.1f} s, {cpu:.1f} s CPU, {statements} statements")
            for name, digest in (run.digests or {}).items():
                print(f"  checksum {name}: {digest}")
            if run.digests is not None and run.second_digests is not None:
                same = {k: v for k, v in run.second_digests.items() if k != "reports"} == {
                    k: v for k, v in run.digests.items() if k != "reports"
                }
                print(f"  re-import leaves the data identical: {same}")
    print(
        f"{backend} — {platform.processor() or platform.machine()}, "
        f"first import median {statistics.median(firsts):.1f} s (max {max(firsts):.1f} s), "
        f"re-import median {statistics.median(seconds):.1f} s, "
        f"load average {os.getloadavg()[0]:.1f} at end"
    )


if __name__ == "__main__":
    main()
