"""JSON documents written piece by piece: the directory's exports never exist whole in memory.

The bytes are those of ``orjson.dumps(document, option=OPT_SORT_KEYS | OPT_NON_STR_KEYS)``
(what the API writes), so the same directory always gives the same file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, BinaryIO

import orjson

OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS


def write_json_object(
    out: BinaryIO,
    fields: Mapping[str, Any],
    arrays: Mapping[str, Callable[[], Iterable[Any]]],
) -> None:
    """An object of small ``fields`` and of ``arrays`` written item by item, keys sorted."""
    out.write(b"{")
    for position, key in enumerate(sorted([*fields, *arrays])):
        out.write(b"," if position else b"")
        out.write(orjson.dumps(key) + b":")
        if key in fields:
            out.write(orjson.dumps(fields[key], option=OPTIONS))
            continue
        out.write(b"[")
        for index, item in enumerate(arrays[key]()):
            out.write(b"," if index else b"")
            out.write(orjson.dumps(item, option=OPTIONS))
        out.write(b"]")
    out.write(b"}")
