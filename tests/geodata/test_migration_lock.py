"""Two servers starting together on an empty database: one migrates, the other waits for
the migration lock and finds the schema up to date; neither fails. Real processes, both
backends (pg_advisory_lock; a flock beside the SQLite file)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import Engine, inspect

from tests.conftest import backend_name

CHILD = """
import sys, time, pathlib
from geodata.database import make_engine
from geodata.schema import upgrade_database
url, ready, go = sys.argv[1], pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
engine = make_engine(url)
ready.touch()
while not go.exists():
    time.sleep(0.005)
before, after = upgrade_database(engine)
print("migrated" if before != after else "up-to-date", after)
"""
ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 60


def test_two_servers_starting_together_migrate_once(empty_engine: Engine, tmp_path: Path) -> None:
    url = empty_engine.url.render_as_string(hide_password=False)
    go = tmp_path / "go"
    readies = [tmp_path / f"ready-{n}" for n in range(2)]
    children = [
        subprocess.Popen(
            [sys.executable, "-c", CHILD, url, str(ready), str(go)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for ready in readies
    ]
    deadline = time.monotonic() + START_TIMEOUT_S
    while not all(ready.exists() for ready in readies) and time.monotonic() < deadline:
        time.sleep(0.01)
    go.touch()  # both imported and connected: they start migrating at the same moment
    outputs = [child.communicate(timeout=START_TIMEOUT_S) for child in children]

    assert [child.returncode for child in children] == [0, 0], [err for _, err in outputs]
    results = sorted(out.split()[0] for out, _ in outputs)
    assert results == ["migrated", "up-to-date"], (backend_name(empty_engine), outputs)
    heads = {out.split()[1] for out, _ in outputs}
    assert len(heads) == 1
    assert "partner_change" in inspect(empty_engine).get_table_names()
