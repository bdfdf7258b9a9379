"""Reading CSV files for imports: structure checks first, then rows with their line numbers."""

from __future__ import annotations

import csv
import itertools
import lzma
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from geodata.errors import ImportFileRejected

csv.field_size_limit(10_000_000)


@dataclass(frozen=True)
class CsvRow:
    line: int
    values: dict[str, str]

    def get(self, column: str) -> str:
        return (self.values.get(column) or "").strip()


def read_text(path: Path) -> str:
    """The file's text; a ``.xz`` file is decompressed (the France-wide sources are bundled
    compressed)."""
    data = lzma.decompress(path.read_bytes()) if path.suffix == ".xz" else path.read_bytes()
    return data.decode("utf-8-sig")


def read_csv_rows(path: Path, required_columns: Sequence[str]) -> list[CsvRow]:
    """Read the whole file, or refuse it with a French message (nothing is imported then)."""
    try:
        text = read_text(path)
    except FileNotFoundError as exc:
        raise ImportFileRejected(f"Fichier introuvable : {path}") from exc
    except UnicodeDecodeError as exc:
        raise ImportFileRejected(
            f"{path.name} n'est pas encodé en UTF-8 (octet {exc.start}) : fichier refusé."
        ) from exc
    return list(_rows(path.name, text, required_columns))


def iter_csv_rows(path: Path, required_columns: Sequence[str]) -> Iterator[CsvRow]:
    """Like :func:`read_csv_rows`, row by row, for files too big to hold (BAN: ~1 GB of rows).

    The structure is checked before the first row is yielded; a decoding or CSV error met
    later raises :class:`ImportFileRejected` at that row, so callers work in a transaction.
    """
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except FileNotFoundError as exc:
        raise ImportFileRejected(f"Fichier introuvable : {path}") from exc
    with handle:
        try:
            yield from _parse(path.name, handle, required_columns)
        except UnicodeDecodeError as exc:
            raise ImportFileRejected(
                f"{path.name} n'est pas encodé en UTF-8 (octet {exc.start}) : fichier refusé."
            ) from exc


def _rows(name: str, text: str, required_columns: Sequence[str]) -> Iterator[CsvRow]:
    return _parse(name, text.splitlines(keepends=True), required_columns)


def _parse(name: str, source: Iterable[str], required_columns: Sequence[str]) -> Iterator[CsvRow]:
    lines = iter(source)
    first = next(lines, None)
    if first is None:
        raise ImportFileRejected(f"{name} est vide : fichier refusé.")
    try:
        dialect = csv.Sniffer().sniff(first, delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(itertools.chain([first], lines), delimiter=delimiter)
    header = [column.strip() for column in next(reader)]
    missing = [column for column in required_columns if column not in header]
    if missing:
        raise ImportFileRejected(
            f"{name} : colonnes obligatoires absentes : {', '.join(missing)}. "
            f"Colonnes trouvées : {', '.join(header) or 'aucune'}."
        )
    try:
        for record in reader:
            if not record or all(not value.strip() for value in record):
                continue
            if len(record) != len(header):
                raise ImportFileRejected(
                    f"{name}, ligne {reader.line_num} : {len(record)} champs au lieu de "
                    f"{len(header)} (séparateur ou guillemets incorrects) : fichier refusé."
                )
            yield CsvRow(reader.line_num, dict(zip(header, record, strict=True)))
    except csv.Error as exc:
        raise ImportFileRejected(
            f"{name}, ligne {reader.line_num} : CSV illisible ({exc})."
        ) from exc
