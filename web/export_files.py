"""The directory's exports as files: built once per state of the directory, kept gzipped.

An export of the national directory is tens of megabytes and seconds of work. Each one is
written once per *generation* of the directory (see `web.api.exports.export_generation`)
into ``EXPORTS_DIR``, gzipped (about 30 times smaller), then served from the file: to a
client that accepts gzip as it is, to others decompressed on the fly, chunk by chunk. No
worker keeps an export in memory. A lock file makes the other workers (and servers
sharing the folder) wait for the one building it rather than build it again; the file of
the previous generation is removed once the new one is in place.

Its ``ETag`` comes from the generation, not from the bytes: it is known without reading
the file, so that ``If-None-Match`` and ``HEAD`` never build anything, and every server on
the same database gives the same tag (the bytes are the same: the exports are written in a
stable order, keys sorted, and the gzip header carries no date).
"""

from __future__ import annotations

import fcntl
import gzip
import hashlib
import os
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

CHUNK = 256 * 1024
GZIP_LEVEL = 6


def export_tag(name: str, generation: str) -> str:
    """The (unquoted) entity tag of export ``name`` for a generation of the directory."""
    return hashlib.sha256(f"{name}\n{generation}".encode()).hexdigest()[:32]


class ExportFiles:
    """One gzipped file per export name, for the current generation only."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def path(self, name: str, generation: str) -> Path:
        return self.directory / f"{name}.{export_tag(name, generation)}.gz"

    def find(self, name: str, generation: str) -> Path | None:
        path = self.path(name, generation)
        return path if path.exists() else None

    def ensure(self, name: str, generation: str, write: Callable[[BinaryIO], None]) -> Path:
        """The file of this generation, written by ``write`` (uncompressed bytes) if absent."""
        path = self.path(name, generation)
        if path.exists():
            return path
        self.directory.mkdir(parents=True, exist_ok=True)
        with (self.directory / f"{name}.lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # another worker may be writing it
            if path.exists():
                return path
            partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
            try:
                with (
                    partial.open("wb") as raw,
                    gzip.GzipFile(
                        filename="", mode="wb", fileobj=raw, compresslevel=GZIP_LEVEL, mtime=0
                    ) as packed,
                ):
                    write(packed)  # type: ignore[arg-type]  # a binary file object
                partial.replace(path)
            finally:
                partial.unlink(missing_ok=True)
            for older in self.directory.glob(f"{name}.*.gz"):
                if older != path:
                    older.unlink(missing_ok=True)
        return path


def gzipped_chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as file:
        while chunk := file.read(CHUNK):
            yield chunk


def plain_chunks(path: Path) -> Iterator[bytes]:
    """The file decompressed, a chunk at a time."""
    inflate = zlib.decompressobj(wbits=zlib.MAX_WBITS | 16)
    for chunk in gzipped_chunks(path):
        if data := inflate.decompress(chunk):
            yield data
    if tail := inflate.flush():
        yield tail
