"""Reading decoded rights content field by field, collecting every problem in French.

The rights catalogue (``directory.rights_catalogue``) and its glossary
(``directory.rights_glossary``) read TOML files written by people, and JSON copies of
them stored in the database. ``ContentChecker`` reads each field with a safe fallback and
records a French message for every problem, so that a territory can fix a file in one pass.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from directory.links import is_https_url


class RightContentError(ValueError):
    """A rights file, the glossary, or a stored copy of them, breaks the catalogue format."""

    code = "right_content_invalid"

    def __init__(self, path: Path | str, messages: Sequence[str]) -> None:
        self.path = path
        self.messages: list[str] = list(messages)
        super().__init__(f"{path} : " + " ; ".join(self.messages))


def read_toml(path: Path) -> dict[str, Any]:
    """A decoded TOML file, or ``RightContentError`` saying in French why it cannot be read."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise RightContentError(path, [f"fichier illisible : {exc.strerror or exc}"]) from exc
    except tomllib.TOMLDecodeError as exc:
        raise RightContentError(path, [f"le fichier n'est pas du TOML valide : {exc}"]) from exc


@dataclass(frozen=True)
class RecordShape:
    """The keys a table may have: required texts, optional texts, lists of texts (the
    ``cited`` one, if any, lists source ids and may not be empty), required booleans and
    required dates. A key named ``url`` must be an https address."""

    texts: tuple[str, ...] = ()
    optional_texts: tuple[str, ...] = ()
    lists: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    cited: str | None = None

    @property
    def keys(self) -> tuple[str, ...]:
        cited = (self.cited,) if self.cited else ()
        return (*self.texts, *self.optional_texts, *self.lists, *cited, *self.flags, *self.dates)


class ContentChecker:
    """Collects French error messages while reading fields with safe fallbacks."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def fail(self, message: str) -> None:
        self.messages.append(message)

    def text(self, data: Mapping[str, Any], key: str, *, required: bool = True) -> str:
        value = data.get(key)
        if value is None:
            return ""  # absence of a required key is reported once, up front
        if not isinstance(value, str):
            self.fail(f"« {key} » doit être un texte")
            return ""
        if required and not value.strip():
            self.fail(f"« {key} » ne doit pas être vide")
        return value.strip()

    def texts(self, data: Mapping[str, Any], key: str, *, allow_empty: bool) -> tuple[str, ...]:
        return self.text_list(data.get(key), f"« {key} »", allow_empty=allow_empty)

    def text_list(self, value: object, where: str, *, allow_empty: bool) -> tuple[str, ...]:
        """A list of non-empty texts, each once (case-insensitive)."""
        if value is None:
            return ()
        if not isinstance(value, list):
            self.fail(f"{where} doit être une liste de textes")
            return ()
        if not value and not allow_empty:
            self.fail(f"{where} ne doit pas être une liste vide")
        items: list[str] = []
        for index, item in enumerate(value, start=1):
            if not isinstance(item, str) or not item.strip():
                self.fail(f"{where} n° {index} doit être un texte non vide")
                continue
            items.append(item.strip())
        folded = [item.casefold() for item in items]
        for item in sorted({item for item in folded if folded.count(item) > 1}):
            self.fail(f"{where} : « {item} » apparaît plusieurs fois")
        return tuple(items)

    def choices(
        self, data: Mapping[str, Any], key: str, allowed: Mapping[str, str], *, allow_empty: bool
    ) -> tuple[str, ...]:
        items = self.texts(data, key, allow_empty=allow_empty)
        for item in items:
            if item not in allowed:
                self.fail(
                    f"« {key} » : valeur inconnue « {item} » "
                    f"(valeurs permises : {', '.join(allowed)})"
                )
        return tuple(item for item in items if item in allowed)

    def records(
        self, data: Mapping[str, Any], key: str, shape: RecordShape, *, allow_empty: bool
    ) -> list[dict[str, Any]]:
        """A list of tables of the given shape; broken tables are reported and left out."""
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(f"« {key} » doit être une liste de tables")
            return []
        if not value and not allow_empty:
            self.fail(f"« {key} » ne doit pas être une liste vide")
        found = [
            self.record(item, f"« {key} » n° {index}", shape)
            for index, item in enumerate(value, start=1)
        ]
        return [item for item in found if item is not None]

    def record(self, value: object, where: str, shape: RecordShape) -> dict[str, Any] | None:
        """One table of the given shape, or None (with messages) when it is broken."""
        if not isinstance(value, Mapping):
            self.fail(f"{where} doit être une table ({', '.join(shape.keys)})")
            return None
        problems_before = len(self.messages)
        for extra in sorted(set(value) - set(shape.keys), key=str):
            self.fail(f"{where} : clé inconnue « {extra} »")
        table: dict[str, Any] = {}
        for field in shape.texts:
            field_value = value.get(field)
            if not isinstance(field_value, str) or not field_value.strip():
                self.fail(f"{where} : « {field} » doit être un texte non vide")
                continue
            table[field] = field_value.strip()
        for field in shape.optional_texts:
            field_value = value.get(field, "")
            if field_value is None:  # null in a stored JSON copy
                field_value = ""
            if not isinstance(field_value, str):
                self.fail(f"{where} : « {field} » doit être un texte")
                continue
            table[field] = field_value.strip()
        for field in shape.lists:
            table[field] = self.text_list(
                value.get(field, []), f"{where} : « {field} »", allow_empty=True
            )
        if shape.cited:
            table[shape.cited] = self.text_list(
                value.get(shape.cited, []), f"{where} : « {shape.cited} »", allow_empty=True
            )
            if not table[shape.cited]:
                self.fail(
                    f"{where} : aucune source ; chaque affirmation cite au moins une entrée "
                    f"de « source » dans « {shape.cited} »"
                )
        for field in shape.flags:
            if not isinstance(value.get(field), bool):
                self.fail(f"{where} : « {field} » doit valoir true ou false")
                continue
            table[field] = value[field]
        for field in shape.dates:
            day = value.get(field)
            if isinstance(day, datetime) or not isinstance(day, date):
                self.fail(
                    f"{where} : « {field} » doit être une date écrite AAAA-MM-JJ, sans guillemets"
                )
                continue
            table[field] = day
        if "url" in table and not is_https_url(table["url"]):
            self.fail(f"{where} : l'adresse « {table['url']} » doit commencer par https://")
        return table if len(self.messages) == problems_before else None

    def day(self, data: Mapping[str, Any], key: str) -> date:
        value = data.get(key)
        if value is None:
            return date.min
        if isinstance(value, datetime) or not isinstance(value, date):
            self.fail(f"« {key} » doit être une date écrite AAAA-MM-JJ, sans guillemets")
            return date.min
        return value
