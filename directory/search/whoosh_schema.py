"""The whoosh schema, the fields of a document, and full builds of the index directory.

See `directory.search.whoosh_index` for why whoosh-reloaded and how searches stay fast.
An index directory holds the whoosh files (index name ``partners``) and
``aiguillage-search.json``: schema version, build time, thesaurus and gazetteer, so that
every process reads the same synonyms and communes as the documents were built with.
"""

from __future__ import annotations

import json
import math
import shutil
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from whoosh import columns, fields, index
from whoosh.util.filelock import try_for
from whoosh.writing import CLEAR, IndexWriter

from directory.search.analysis import french_analyzer, index_terms, words
from directory.search.documents import PartnerDocument
from directory.search.protocol import TEXT_WEIGHTS
from directory.search.thesaurus import Thesaurus
from geodata.geocoding.gazetteer import Gazetteer

SCHEMA_VERSION = 6  # 6: verified (day of verified_at) for the « à confirmer » filter
INDEX_NAME = "partners"
META_FILE = "aiguillage-search.json"
WRITE_TIMEOUT_S = 10.0
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def build_schema() -> fields.Schema:
    # Exact-value fields are KEYWORD(scorable=True) rather than ID: whoosh's segment writer
    # looks up a length column for every posting and, when a field has none, asks the file
    # system each time (measured: 5x slower builds). A one-byte length column avoids that.
    exact = {
        name: fields.KEYWORD(scorable=True)
        for name in ("kind", "right_levels", "help_levels", "insee", "epci", "dep",
                     "access", "appointment", "demo", "spell")
    }  # fmt: skip
    return fields.Schema(
        pid=fields.KEYWORD(unique=True, scorable=True),
        payload=fields.STORED(),
        lon=fields.COLUMN(columns.NumericColumn("d", default=math.nan)),
        lat=fields.COLUMN(columns.NumericColumn("d", default=math.nan)),
        updated=fields.COLUMN(columns.NumericColumn("q", default=0)),  # µs since 1970 (UTC)
        partner=fields.COLUMN(columns.NumericColumn("q", default=0)),  # the partner id
        text=fields.TEXT(analyzer=french_analyzer(), phrase=False),
        verified=fields.NUMERIC(numtype=int, bits=32, signed=False),  # date.toordinal(), 0: none
        **exact,
    )


def document_fields(doc: PartnerDocument, known_words: set[str] | None = None) -> dict[str, Any]:
    """The whoosh fields of one partner.

    The ``spell`` field only serves as a vocabulary for typo correction: during a full
    build (``known_words`` given) a word is put on the first document that has it only.
    """
    texts = doc.texts()
    services = [[s.right_slug, s.help_level] for s in doc.services]
    values: dict[str, Any] = {
        "text": [term for name, text in texts.items()
                 for term in index_terms(text) * TEXT_WEIGHTS[name]],
    }  # fmt: skip
    values.update(
        pid=str(doc.partner_id),
        partner=doc.partner_id,
        payload=(doc.name, doc.kind, doc.insee_code, doc.departement_code, doc.opening_hours,
                 services),
        kind=[doc.kind],
        right_levels=[f"{slug}:{level}" for slug, level in services],
        help_levels=sorted({level for _, level in services}),
        access=[doc.accessibility],
        appointment=[doc.appointment],
        demo=["1" if doc.is_demo else "0"],
        verified=0 if doc.verified_at is None else doc.verified_at.toordinal(),
        updated=(doc.updated_at - EPOCH) // timedelta(microseconds=1),
    )  # fmt: skip
    vocabulary = dict.fromkeys(words(" ".join(texts.values())))
    if known_words is not None:
        vocabulary = {word: None for word in vocabulary if word not in known_words}
        known_words.update(vocabulary)
    if vocabulary:
        values["spell"] = list(vocabulary)
    for name, value in (("insee", doc.insee_code), ("epci", doc.epci_siren),
                        ("dep", doc.departement_code)):  # fmt: skip
        if value:
            values[name] = [value]
    if doc.lon is not None and doc.lat is not None:
        values.update(lon=doc.lon, lat=doc.lat)
    return values


def write_meta(index_dir: Path, thesaurus: Thesaurus, gazetteer: Gazetteer, at: datetime) -> None:
    meta = {
        "schema_version": SCHEMA_VERSION,
        "built_at": at.isoformat(),
        "thesaurus": thesaurus.to_json(),
        "gazetteer": gazetteer.to_json(),
    }
    temporary = index_dir / f".{META_FILE}.tmp"
    temporary.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    temporary.replace(index_dir / META_FILE)


def read_meta(index_dir: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((index_dir / META_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def index_exists(index_dir: Path) -> bool:
    """True when ``index_dir`` holds an index this code can read (same schema version)."""
    meta = read_meta(index_dir)
    if meta is None or meta.get("schema_version") != SCHEMA_VERSION:
        return False
    try:
        return bool(index.exists_in(str(index_dir), indexname=INDEX_NAME))
    except Exception:  # an unreadable table of contents (older code) means "absent"
        return False


def build_index(
    index_dir: Path,
    documents: Iterable[PartnerDocument],
    thesaurus: Thesaurus,
    gazetteer: Gazetteer,
    *,
    now: datetime,
    procs: int = 1,
    limitmb: int = 256,
) -> int:
    """Replace the whole content of the index at ``index_dir``; return the document count.

    Searchers of other processes keep answering from the previous content until the commit,
    then see the new one at their next refresh. A build that fails (disk full, for
    instance) leaves the previous content in place: whoosh writes new segment files first
    and switches to them by renaming its table of contents, and the metadata file is also
    replaced by a rename. An index that cannot be read is replaced by a new one.
    """
    index_dir.mkdir(parents=True, exist_ok=True)
    ix = _open_or_create(index_dir)
    options: dict[str, Any] = {"limitmb": limitmb}
    if procs > 1:
        options.update(procs=procs, multisegment=True)
    count = 0
    known_words: set[str] = set()
    with locked_writer(ix, **options) as writer:
        for document in documents:
            writer.add_document(**document_fields(document, known_words))
            count += 1
        writer.commit(mergetype=CLEAR)
    ix.close()
    write_meta(index_dir, thesaurus, gazetteer, now)
    return count


def _open_or_create(index_dir: Path) -> index.Index:
    if index_exists(index_dir) and unreadable_reason(index_dir) is None:
        return index.open_dir(str(index_dir), indexname=INDEX_NAME)
    for child in index_dir.iterdir():
        if child.is_dir():
            shutil.rmtree(child)
        else:
            child.unlink()
    return index.create_in(str(index_dir), build_schema(), indexname=INDEX_NAME)


@contextmanager
def locked_writer(ix: index.Index, **options: Any) -> Iterator[IndexWriter]:
    """A writer of ``ix`` under the index's write lock; the caller commits inside the block.

    The lock is ours, not whoosh's (``_lk=False``): whoosh's writer takes it and then
    creates its segment files, and when the disk is full (creating, adding, cancelling and
    committing all write files) it raises without releasing it, so that every later write
    of the process failed with ``LockError``. Here the lock is released however the block
    ends; a failed write is cancelled, and the previous table of contents, hence the
    previous content, stays the one that is read.
    """
    lock = ix.lock("WRITELOCK")
    if not try_for(lock.acquire, timeout=WRITE_TIMEOUT_S, delay=0.1):
        raise index.LockError(f"index de recherche verrouillé depuis {WRITE_TIMEOUT_S} s")
    try:
        writer: IndexWriter = ix.writer(_lk=False, **options)
        try:
            yield writer
        except BaseException:
            if not writer.is_closed:
                with suppress(Exception):  # closing half-written files may fail again
                    writer.cancel()
                temporary = getattr(writer, "_tempstorage", None)
                with suppress(Exception):
                    if temporary is not None:
                        temporary.destroy()
            raise
    finally:
        lock.release()


def unreadable_reason(index_dir: Path) -> str | None:
    """Why the index at ``index_dir`` cannot serve (None: it can): absent, of another
    schema version, or damaged — its table of contents, segments, columns, terms or
    stored fields fail to read. Reads everything a search touches once (a fraction of a
    second for a département)."""
    if not index_exists(index_dir):
        return "absent ou d'une autre version"
    try:
        ix = index.open_dir(str(index_dir), indexname=INDEX_NAME)
        try:
            with ix.searcher() as searcher:
                reader = searcher.reader()
                docnums = list(reader.all_doc_ids())
                for name in ("partner", "lon", "lat", "updated"):
                    column = reader.column_reader(name)
                    for docnum in docnums:
                        column[docnum]
                for name in ("pid", "text", "kind"):
                    for _ in reader.lexicon(name):
                        pass
                if docnums:
                    searcher.stored_fields(docnums[0])
                    searcher.stored_fields(docnums[-1])
        finally:
            ix.close()
    except Exception as exc:
        return f"illisible ({type(exc).__name__} : {exc})"
    return None
