"""The rights catalogue: one TOML file per right, validated into frozen dataclasses.

Each file in ``data/rights/<slug>.toml`` describes one right (RSA, prime d'activité, …):
who decides and pays, who helps to file the claim, a plain-French checklist, the
documents to bring, the steps, official forms and online procedures, its public sources
and the date of its last review. The loader checks every field and reports every problem
at once, in French, so that a territory can fix a file in one pass.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from contextlib import suppress
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

from directory.deciders import decider_labels
from directory.links import OnlineProcedure, is_https_url

DEFAULT_CATALOGUE_DIR = Path(__file__).resolve().parent.parent / "data" / "rights"

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
CERFA_PATTERN = re.compile(r"^[0-9]{5}\*[0-9]{2}$")

_REQUIRED_KEYS = (
    "slug",
    "name",
    "short_name",
    "aliases",
    "summary",
    "deciders",
    "decider_note",
    "helpers",
    "checklist",
    "documents",
    "steps",
    "source",
    "reviewed_at",
    "reviewed_by",
)
_OPTIONAL_KEYS = ("agricultural_decider", "forms", "online", "notes")


class RightContentError(ValueError):
    """A rights file (or a stored copy of one) breaks the catalogue format."""

    code = "right_content_invalid"

    def __init__(self, path: Path | str, messages: Sequence[str]) -> None:
        self.path = path
        self.messages: list[str] = list(messages)
        super().__init__(f"{path} : " + " ; ".join(self.messages))


@dataclass(frozen=True)
class OfficialForm:
    """A Cerfa form, e.g. ``15692*01``."""

    cerfa: str
    title: str
    url: str


@dataclass(frozen=True)
class SourceReference:
    """A public reference the content was checked against."""

    title: str
    url: str


@dataclass(frozen=True)
class RightContent:
    """Everything the application shows about one right."""

    slug: str
    name: str
    short_name: str
    aliases: tuple[str, ...]
    summary: str
    deciders: tuple[str, ...]
    decider_note: str
    agricultural_decider: str | None
    helpers: tuple[str, ...]
    checklist: tuple[str, ...]
    documents: tuple[str, ...]
    steps: tuple[str, ...]
    forms: tuple[OfficialForm, ...]
    online: OnlineProcedure | None
    notes: str
    source: tuple[SourceReference, ...]
    reviewed_at: date
    reviewed_by: str

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping (lists, dates as ISO text); ``from_dict`` reads it back."""
        data = asdict(self)
        data.update({key: list(value) for key, value in data.items() if isinstance(value, tuple)})
        data["reviewed_at"] = self.reviewed_at.isoformat()
        return data

    @classmethod
    def from_dict(
        cls, data: Mapping[str, Any], *, origin: str = "contenu enregistré"
    ) -> RightContent:
        """Rebuild (and re-validate) a right from ``to_dict`` output, e.g. a JSON column."""
        values = dict(data)
        reviewed_at = values.get("reviewed_at")
        if isinstance(reviewed_at, str):
            with suppress(ValueError):  # a bad date is reported by the validation below
                values["reviewed_at"] = date.fromisoformat(reviewed_at)
        return parse_right(values, origin=origin)


def load_right_file(path: Path) -> RightContent:
    """Read and validate one rights file; raise ``RightContentError`` listing every problem."""
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except OSError as exc:
        raise RightContentError(path, [f"fichier illisible : {exc.strerror or exc}"]) from exc
    except tomllib.TOMLDecodeError as exc:
        raise RightContentError(path, [f"le fichier n'est pas du TOML valide : {exc}"]) from exc
    return parse_right(data, origin=path)


def load_catalogue(directory: Path = DEFAULT_CATALOGUE_DIR) -> list[RightContent]:
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
            right = load_right_file(path)
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


def parse_right(data: Mapping[str, Any], *, origin: Path | str) -> RightContent:
    """Validate a decoded mapping into a ``RightContent`` (all problems reported together)."""
    check = _Checker()
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
    checklist = check.texts(data, "checklist", allow_empty=False)
    for index, question in enumerate(checklist, start=1):
        if not question.endswith("?"):
            check.fail(f"« checklist » n° {index} : une question doit finir par « ? »")

    forms = tuple(
        OfficialForm(cerfa=item["cerfa"], title=item["title"], url=item["url"])
        for item in check.tables(data, "forms", ("cerfa", "title", "url"), allow_empty=True)
    )
    for index, form in enumerate(forms, start=1):
        if not CERFA_PATTERN.fullmatch(form.cerfa):
            check.fail(
                f"« forms » n° {index} : numéro Cerfa « {form.cerfa} » invalide "
                "(attendu : 5 chiffres, une étoile, 2 chiffres, par ex. 15692*01)"
            )
    online: OnlineProcedure | None = None
    if data.get("online") is not None:
        online_table = check.table(data["online"], "« online »", ("label", "url"))
        if online_table is not None:
            online = OnlineProcedure(label=online_table["label"], url=online_table["url"])
    source = tuple(
        SourceReference(title=item["title"], url=item["url"])
        for item in check.tables(data, "source", ("title", "url"), allow_empty=False)
    )

    right = RightContent(
        slug=slug,
        name=check.text(data, "name"),
        short_name=check.text(data, "short_name"),
        aliases=check.texts(data, "aliases", allow_empty=True),
        summary=check.text(data, "summary"),
        deciders=deciders,
        decider_note=check.text(data, "decider_note"),
        agricultural_decider=agricultural_decider,
        helpers=check.choices(data, "helpers", HELPER_LABELS, allow_empty=False),
        checklist=checklist,
        documents=check.texts(data, "documents", allow_empty=False),
        steps=check.texts(data, "steps", allow_empty=False),
        forms=forms,
        online=online,
        notes=check.text(data, "notes", required=False),
        source=source,
        reviewed_at=check.day(data, "reviewed_at"),
        reviewed_by=check.text(data, "reviewed_by"),
    )
    if check.messages:
        raise RightContentError(origin, check.messages)
    return right


class _Checker:
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
        value = data.get(key)
        if value is None:
            return ()
        if not isinstance(value, list):
            self.fail(f"« {key} » doit être une liste de textes")
            return ()
        if not value and not allow_empty:
            self.fail(f"« {key} » ne doit pas être une liste vide")
        items: list[str] = []
        for index, item in enumerate(value, start=1):
            if not isinstance(item, str) or not item.strip():
                self.fail(f"« {key} » n° {index} doit être un texte non vide")
                continue
            items.append(item.strip())
        folded = [item.casefold() for item in items]
        for item in sorted({item for item in folded if folded.count(item) > 1}):
            self.fail(f"« {key} » : « {item} » apparaît plusieurs fois")
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

    def tables(
        self, data: Mapping[str, Any], key: str, fields: tuple[str, ...], *, allow_empty: bool
    ) -> list[dict[str, str]]:
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(f"« {key} » doit être une liste de tables")
            return []
        if not value and not allow_empty:
            self.fail(f"« {key} » ne doit pas être une liste vide")
        tables = [
            self.table(item, f"« {key} » n° {index}", fields)
            for index, item in enumerate(value, start=1)
        ]
        return [table for table in tables if table is not None]

    def table(self, value: object, where: str, fields: tuple[str, ...]) -> dict[str, str] | None:
        """One ``{field = "text", …}`` table, or None (with messages) when it is broken."""
        if not isinstance(value, Mapping):
            self.fail(f"{where} doit être une table ({', '.join(fields)})")
            return None
        problems_before = len(self.messages)
        for extra in sorted(set(value) - set(fields), key=str):
            self.fail(f"{where} : clé inconnue « {extra} »")
        table: dict[str, str] = {}
        for field in fields:
            field_value = value.get(field)
            if not isinstance(field_value, str) or not field_value.strip():
                self.fail(f"{where} : « {field} » doit être un texte non vide")
                continue
            table[field] = field_value.strip()
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
