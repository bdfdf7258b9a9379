"""Hostile files given to the bus des droits import (``bus import``), fuzzed with hypothesis
on both backends: random bytes, invalid UTF-8, hostile cells (HTML, SQL, control and bidi
characters, very long text) in a well-formed file. The import either loads the file or
refuses it with `ImportFileRejected` (a French report); nothing else escapes, and a refused
file writes nothing."""

from __future__ import annotations

import csv
import io
import itertools
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from geodata.errors import ImportFileRejected
from routing.bus.imports import import_bus_schedule
from tests.routing.bus.test_bus_import import HEADER, NOW, counts
from tests.web.pages.test_hostile_forms import SETTINGS, hostile_text

_numbers = itertools.count()


def _import(session: Session, folder: Path, content: bytes) -> None:
    path = folder / f"calendrier-{next(_numbers)}.csv"
    path.write_bytes(content)
    before = counts(session)
    nested = session.begin_nested()
    try:
        import_bus_schedule(session, path, NOW)
    except ImportFileRejected as refused:
        assert refused.message  # a French explanation
        assert counts(session) == before
    finally:
        nested.rollback()  # the next example starts from the same data


def _row(*cells: str) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(cells)
    return out.getvalue()


@SETTINGS
@given(content=st.binary(max_size=2_000))
def test_random_bytes(session: Session, tmp_path: Path, content: bytes) -> None:
    _import(session, tmp_path, content)


@SETTINGS
@given(
    name=hostile_text(),
    code=hostile_text(),
    insee=st.one_of(hostile_text(), st.just("62873")),
    rule=hostile_text(),
    note=hostile_text(),
)
def test_hostile_cells(
    session: Session, tmp_path: Path, name: str, code: str, insee: str, rule: str, note: str
) -> None:
    route = _row("tournee", code or "t1", "", "", f"[Test] {name}", *[""] * 16, note, "test", "oui")
    stop = _row("arret", code or "t1", "a1", "", name, "", insee, *[""] * 16)
    when = _row("regle", code or "t1", "a1", "r1", "", "", "", "", "", rule, "2027-01-01",
                "2027-06-30", "", "", "09:00", "12:00", *[""] * 7)  # fmt: skip
    _import(session, tmp_path, (HEADER + "\n" + route + stop + when).encode("utf-8", "replace"))


@pytest.mark.parametrize(
    "content",
    [
        (HEADER + "\n").encode() + b"tournee,t\xe9,,,[Test] Tourn\xe9e,,,,,,,,,,,,,,,,,t,oui\n",
        b"\xff\xfe" + (HEADER + "\n").encode("utf-16-le"),
        (HEADER + "\n").encode() + b"arret,t1,a1,,\x00\x00,,62873" + b",\x00" * 16 + b"\n",
        (HEADER + "\n").encode() + b"tournee," + b"x" * 1_000_000 + b",,,n,,,,,,,,,,,,,,,,,t,oui\n",
    ],
    ids=["latin1", "utf16", "nul", "huge-cell"],
)
def test_files_that_are_not_clean_utf8_csv(
    session: Session, tmp_path: Path, content: bytes
) -> None:
    _import(session, tmp_path, content)
