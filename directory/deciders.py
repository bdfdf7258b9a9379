"""The bodies that decide on rights (CAF, MSA, département…), read from ``data/deciders.toml``.

Each entry gives the French label shown to people, the kind of directory partner that is
one of the body's offices, its national website, and where this comes from (``source``,
``consulted_at``). The rights catalogue accepts only these codes as deciders.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from directory.errors import DirectoryError
from directory.links import OnlineProcedure, is_https_url
from directory.vocabulary import PARTNER_KINDS
from geodata.data_files import DATA_DIR

DEFAULT_DECIDERS_FILE = DATA_DIR / "deciders.toml"
_KEYS = frozenset({"label", "partner_kind", "website", "source", "consulted_at"})


class InvalidDeciders(DirectoryError):
    code = "invalid_deciders"


@dataclass(frozen=True)
class Decider:
    """A body that decides on rights; ``partner_kind`` is None when it has no own offices."""

    code: str
    label: str
    partner_kind: str | None
    website: OnlineProcedure | None
    source: str
    consulted_at: date


def load_deciders(path: Path = DEFAULT_DECIDERS_FILE) -> Mapping[str, Decider]:
    """Read and check the deciders file; ``InvalidDeciders`` lists every problem at once."""
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InvalidDeciders(f"{path.name} illisible : {exc}") from exc
    deciders: dict[str, Decider] = {}
    problems: list[str] = []
    for code, entry in document.items():
        messages = _entry_problems(entry)
        if messages:
            problems.extend(f"[{code}] {message}" for message in messages)
            continue
        website = entry.get("website")
        deciders[code] = Decider(
            code=code,
            label=entry["label"],
            partner_kind=entry.get("partner_kind"),
            website=OnlineProcedure(website["label"], website["url"]) if website else None,
            source=entry["source"],
            consulted_at=entry["consulted_at"],
        )
    if problems:
        raise InvalidDeciders(f"{path.name} : " + " ; ".join(problems))
    return MappingProxyType(deciders)


def _entry_problems(entry: Any) -> list[str]:
    if not isinstance(entry, dict):
        return ["une entrée doit être une table"]
    messages = [f"clé inconnue « {key} »" for key in sorted(set(entry) - _KEYS)]
    for key in ("label", "source"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            messages.append(f"« {key} » doit être un texte non vide")
    consulted_at = entry.get("consulted_at")
    if isinstance(consulted_at, datetime) or not isinstance(consulted_at, date):
        messages.append("« consulted_at » doit être une date écrite AAAA-MM-JJ")
    kind = entry.get("partner_kind")
    if kind is not None and kind not in PARTNER_KINDS:
        messages.append(f"type de partenaire inconnu « {kind} »")
    website = entry.get("website")
    if website is not None and not (
        isinstance(website, dict)
        and set(website) == {"label", "url"}
        and isinstance(website["label"], str)
        and website["label"].strip()
        and isinstance(website["url"], str)
        and is_https_url(website["url"])
    ):
        messages.append('« website » doit être { label = "…", url = "https://…" }')
    return messages


@lru_cache(maxsize=1)
def bundled_deciders() -> Mapping[str, Decider]:
    """The deciders of the bundled file, read once."""
    return load_deciders()


@lru_cache(maxsize=1)
def decider_labels() -> Mapping[str, str]:
    """French label of each decider code, in file order."""
    return MappingProxyType({code: d.label for code, d in bundled_deciders().items()})


def decider_label(code: str) -> str:
    """The French label of a decider code (the code itself when unknown)."""
    decider = bundled_deciders().get(code)
    return decider.label if decider is not None else code
