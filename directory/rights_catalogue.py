"""The rights catalogue: one TOML file per right, validated into frozen dataclasses.

Each file in ``data/rights/<slug>.toml`` describes one right (RSA, prime d'activité, …):
who decides and pays, who helps to file the claim, the conditions as plain-French
questions (with their alternatives and what to do after an honest « non »), the
documents to bring, the steps, official forms and the online procedure. Every claim cites
the sources it was checked against, each with the day it was consulted (see
``directory.rights_claims``); ``reviewed_at`` is the day every claim was last checked.
The loader checks every field and reports every problem at once, in French, so that a
territory can fix a file in one pass. ``docs/RIGHTS.md`` describes the format.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import suppress
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any

from directory.deciders import decider_labels
from directory.links import OnlineProcedure
from directory.rights_checks import ContentChecker, RightContentError, read_toml
from directory.rights_claims import (
    Claim,
    Condition,
    OfficialForm,
    SourcedProcedure,
    SourceReference,
    check_citations,
    read_claims,
    read_conditions,
    read_forms,
    read_online,
    read_sources,
)
from directory.rights_glossary import (
    Glossary,
    GlossaryEntry,
    bundled_glossary,
    read_stored_glossary,
)
from geodata.data_files import DATA_DIR

__all__ = [
    "DEFAULT_CATALOGUE_DIR",
    "HELPER_LABELS",
    "RIGHT_SLUGS",
    "RightContent",
    "RightContentError",
    "load_catalogue",
    "load_right_file",
    "parse_right",
]

DEFAULT_CATALOGUE_DIR = DATA_DIR / "rights"

RIGHT_SLUGS: tuple[str, ...] = (
    "rsa",
    "prime-activite",
    "asf",
    "aspa",
    "c2s",
    "aides-logement",
    "cheque-energie",
    "pension-invalidite",
    "are",
    "ass",
    "aah",
    "allocations-familiales",
    "fsl",
    "aide-sociale-ccas",
    "domiciliation",
)

HELPER_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "france-services": "Espace France Services",
        "mairie": "Mairie",
        "ccas": "Centre communal d'action sociale (CCAS)",
        "mds": "Maison des solidarités du département (MDS)",
        "caf": "Caisse d'allocations familiales (CAF)",
        "cpam": "Caisse primaire d'assurance maladie (CPAM)",
        "msa": "Mutualité sociale agricole (MSA)",
        "carsat": "Caisse d'assurance retraite et de la santé au travail (Carsat)",
        "france-travail": "France Travail",
        "mission-locale": "Mission locale",
        "association": "Association",
        "bus": "Bus des droits",
        "point-justice": "Point-justice",
    }
)

SLUG_PATTERN = re.compile(r"^[a-z0-9-]+$")

_REQUIRED_KEYS = (
    "slug",
    "name",
    "short_name",
    "aliases",
    "summary",
    "summary_sources",
    "deciders",
    "decider_note",
    "decider_sources",
    "helpers",
    "conditions",
    "documents",
    "steps",
    "source",
    "reviewed_at",
    "reviewed_by",
)
_OPTIONAL_KEYS = (
    "former_names",
    "agricultural_decider",
    "forms",
    "online",
    "notes",
    "notes_sources",
)


@dataclass(frozen=True)
class RightContent:
    """Everything the application shows about one right.

    ``former_names`` (RMI, CMU…) are for search only, never shown as the right's name.
    ``glossary`` holds the entries of ``data/glossary.toml`` that the right's texts use."""

    slug: str
    name: str
    short_name: str
    aliases: tuple[str, ...]
    former_names: tuple[str, ...]
    summary: str
    summary_sources: tuple[str, ...]
    deciders: tuple[str, ...]
    decider_note: str
    decider_sources: tuple[str, ...]
    agricultural_decider: str | None
    helpers: tuple[str, ...]
    conditions: tuple[Condition, ...]
    document_claims: tuple[Claim, ...]
    step_claims: tuple[Claim, ...]
    forms: tuple[OfficialForm, ...]
    online_procedure: SourcedProcedure | None
    notes: str
    notes_sources: tuple[str, ...]
    source: tuple[SourceReference, ...]
    reviewed_at: date
    reviewed_by: str
    glossary: tuple[GlossaryEntry, ...] = ()

    @property
    def checklist(self) -> tuple[str, ...]:
        """The questions of the conditions, in order."""
        return tuple(condition.question for condition in self.conditions)

    @property
    def documents(self) -> tuple[str, ...]:
        """The documents to bring, as plain sentences."""
        return tuple(claim.text for claim in self.document_claims)

    @property
    def steps(self) -> tuple[str, ...]:
        return tuple(claim.text for claim in self.step_claims)

    @property
    def online(self) -> OnlineProcedure | None:
        """The official online procedure, without its sources."""
        found = self.online_procedure
        return found.procedure if found is not None else None

    def texts(self) -> Iterator[str]:
        """Every sentence shown to residents (what the glossary is matched against)."""
        yield from (self.name, self.summary, self.decider_note, self.notes)
        for condition in self.conditions:
            yield from (condition.question, *condition.alternatives, condition.if_not)
        yield from self.documents
        yield from self.steps
        yield from (form.title for form in self.forms)
        if self.online_procedure is not None:
            yield self.online_procedure.label

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping shaped like the TOML file (lists, dates as ISO text), plus the
        glossary entries; ``from_dict`` reads it back."""
        data: dict[str, Any] = _json_ready(asdict(self))
        data["documents"] = data.pop("document_claims")
        data["steps"] = data.pop("step_claims")
        data["online"] = data.pop("online_procedure")
        return data

    @classmethod
    def from_dict(
        cls,
        data: Mapping[str, Any],
        *,
        origin: str = "contenu enregistré",
        rematch_glossary: bool = False,
    ) -> RightContent:
        """Rebuild (and re-validate) a right from ``to_dict`` output, e.g. a JSON column.

        ``rematch_glossary``: match the texts against the bundled glossary again (after an
        edit) instead of keeping the stored entries."""
        values = dict(data)
        check = ContentChecker()
        stored = values.pop("glossary", None)
        glossary = None if rematch_glossary else read_stored_glossary(check, _with_dates(stored))
        if check.messages:
            raise RightContentError(origin, check.messages)
        values["reviewed_at"] = _day(values.get("reviewed_at"))
        values["source"] = _with_dates(values.get("source"))
        return parse_right(values, origin=origin, glossary=glossary)


def _json_ready(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _json_ready(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_ready(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def _day(value: Any) -> Any:
    """An ISO text back to a date; anything else is left for the validation to report."""
    if isinstance(value, str):
        with suppress(ValueError):
            return date.fromisoformat(value)
    return value


def _with_dates(value: Any) -> Any:
    """Stored sources (possibly nested in glossary entries) with their dates read back."""
    if isinstance(value, list):
        return [_with_dates(item) for item in value]
    if isinstance(value, Mapping):
        return {
            key: _day(item) if key == "consulted_at" else _with_dates(item)
            for key, item in value.items()
        }
    return value


def load_right_file(path: Path, *, glossary: Glossary | None = None) -> RightContent:
    """Read and validate one rights file; raise ``RightContentError`` listing every problem."""
    data = read_toml(path)
    return parse_right(data, origin=path, glossary=glossary)


def load_catalogue(
    directory: Path = DEFAULT_CATALOGUE_DIR, *, glossary: Glossary | None = None
) -> list[RightContent]:
    """Load every ``*.toml`` file of ``directory``, sorted by slug.

    Problems from all files (and duplicate slugs) are gathered into one error.
    """
    if not directory.is_dir():
        raise RightContentError(directory, ["le dossier du catalogue des droits n'existe pas"])
    rights: list[RightContent] = []
    messages: list[str] = []
    first_file_of: dict[str, str] = {}
    for path in sorted(directory.glob("*.toml")):
        try:
            right = load_right_file(path, glossary=glossary)
        except RightContentError as exc:
            messages.extend(f"{path.name} : {message}" for message in exc.messages)
            continue
        if right.slug in first_file_of:
            messages.append(
                f"{path.name} : le slug « {right.slug} » est déjà utilisé par "
                f"{first_file_of[right.slug]}"
            )
            continue
        first_file_of[right.slug] = path.name
        rights.append(right)
    if messages:
        raise RightContentError(directory, messages)
    return sorted(rights, key=lambda right: right.slug)


def parse_right(
    data: Mapping[str, Any], *, origin: Path | str, glossary: Glossary | None = None
) -> RightContent:
    """Validate a decoded mapping into a ``RightContent`` (all problems reported together).

    ``glossary`` defaults to the bundled one (``data/glossary.toml``)."""
    check = ContentChecker()
    for key in _REQUIRED_KEYS:
        if data.get(key) is None:
            check.fail(f"clé obligatoire absente : « {key} »")
    for key in sorted(set(data) - {*_REQUIRED_KEYS, *_OPTIONAL_KEYS}, key=str):
        check.fail(f"clé inconnue : « {key} »")

    slug = check.text(data, "slug")
    if slug and not SLUG_PATTERN.fullmatch(slug):
        check.fail(f"« slug » : « {slug} » ne doit contenir que a-z, 0-9 et des tirets")
    known_deciders = decider_labels()
    deciders = check.choices(data, "deciders", known_deciders, allow_empty=False)
    agricultural_decider: str | None = None
    if data.get("agricultural_decider") is not None:  # None: absent (TOML) or null (JSON)
        agricultural_decider = check.text(data, "agricultural_decider")
        if agricultural_decider and agricultural_decider not in known_deciders:
            check.fail(
                f"« agricultural_decider » : valeur inconnue « {agricultural_decider} » "
                f"(valeurs permises : {', '.join(known_deciders)})"
            )
    right = RightContent(
        slug=slug,
        name=check.text(data, "name"),
        short_name=check.text(data, "short_name"),
        aliases=check.texts(data, "aliases", allow_empty=True),
        former_names=check.texts(data, "former_names", allow_empty=True),
        summary=check.text(data, "summary"),
        summary_sources=check.texts(data, "summary_sources", allow_empty=False),
        deciders=deciders,
        decider_note=check.text(data, "decider_note"),
        decider_sources=check.texts(data, "decider_sources", allow_empty=False),
        agricultural_decider=agricultural_decider,
        helpers=check.choices(data, "helpers", HELPER_LABELS, allow_empty=False),
        conditions=read_conditions(check, data),
        document_claims=read_claims(check, data, "documents"),
        step_claims=read_claims(check, data, "steps"),
        forms=read_forms(check, data),
        online_procedure=read_online(check, data),
        notes=check.text(data, "notes", required=False),
        notes_sources=check.texts(data, "notes_sources", allow_empty=True),
        source=read_sources(check, data),
        reviewed_at=check.day(data, "reviewed_at"),
        reviewed_by=check.text(data, "reviewed_by"),
    )
    _check_free_texts(check, right)
    if not check.messages:  # cross-checks only on a file whose every field reads well
        check_citations(check, right.source, _citations(right), right.reviewed_at)
    if check.messages:
        raise RightContentError(origin, check.messages)
    used = (bundled_glossary() if glossary is None else glossary).used_in(right.texts())
    return RightContent(**{**_fields(right), "glossary": used})


def _fields(right: RightContent) -> dict[str, Any]:
    return {name: getattr(right, name) for name in RightContent.__dataclass_fields__}


def _check_free_texts(check: ContentChecker, right: RightContent) -> None:
    """Notes cite their sources; old names are search aliases only, never a current name."""
    if right.notes and not right.notes_sources:
        check.fail("« notes_sources » : les notes citent au moins une source")
    if right.notes_sources and not right.notes:
        check.fail("« notes_sources » : des sources sans « notes »")
    current = {name.casefold() for name in (right.name, right.short_name, *right.aliases)}
    for former in right.former_names:
        if former.casefold() in current:
            check.fail(
                f"« former_names » : « {former} » est aussi un nom actuel ; un ancien nom ne "
                "sert qu'à la recherche"
            )


def _citations(right: RightContent) -> Iterator[tuple[str, Sequence[str]]]:
    yield "« summary_sources »", right.summary_sources
    yield "« decider_sources »", right.decider_sources
    if right.notes:
        yield "« notes_sources »", right.notes_sources
    groups: tuple[tuple[str, Sequence[Any]], ...] = (
        ("conditions", right.conditions),
        ("documents", right.document_claims),
        ("steps", right.step_claims),
        ("forms", right.forms),
    )
    for key, claims in groups:
        for index, claim in enumerate(claims, start=1):
            yield f"« {key} » n° {index}", claim.sources
    if right.online_procedure is not None:
        yield "« online »", right.online_procedure.sources
