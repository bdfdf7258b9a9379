"""The data·inclusion v1 JSON Schemas bundled in ``data/datainclusion/``, and French messages."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any, Literal

import jsonschema_rs
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

from geodata.data_files import DATA_DIR

DATAINCLUSION_DIR = DATA_DIR / "datainclusion"
Kind = Literal["structure", "service"]


@lru_cache(maxsize=2)
def _schema(kind: Kind) -> dict[str, Any]:
    path = DATAINCLUSION_DIR / f"{kind}.schema.json"
    schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return schema


@lru_cache(maxsize=2)
def validator(kind: Kind) -> Draft202012Validator:
    """A validator of one structure or one service (formats such as dates are checked)."""
    return Draft202012Validator(_schema(kind), format_checker=FormatChecker())


@lru_cache(maxsize=2)
def _fast_validator(kind: Kind) -> Any:
    """The same check, compiled (jsonschema-rs): 25 times faster on valid records."""
    return jsonschema_rs.validator_for(_schema(kind), validate_formats=True)


def _where(error: ValidationError) -> str:
    path = [str(part) for part in error.absolute_path]
    return f"« {'.'.join(path)} »" if path else "l'objet"


def describe_error(error: ValidationError) -> str:
    """A French sentence for one schema violation."""
    where = _where(error)
    value: Any = error.instance
    messages = {
        "required": lambda: f"champ obligatoire absent dans {where} : {error.message.split()[0]}",
        "type": lambda: f"{where} : type de valeur invalide",
        "enum": lambda: f"{where} : valeur inconnue du référentiel « {value} »",
        "const": lambda: f"{where} : valeur invalide « {value} »",
        "pattern": lambda: f"{where} : format invalide « {value} »",
        "format": lambda: f"{where} : format invalide « {value} »",
        "minLength": lambda: f"{where} : texte trop court",
        "maxLength": lambda: f"{where} : texte trop long",
        "minItems": lambda: f"{where} : liste vide",
        "uniqueItems": lambda: f"{where} : valeurs en double",
        "minimum": lambda: f"{where} : valeur trop petite",
    }
    if error.validator == "anyOf" and error.context:
        specific = [e for e in error.context if e.validator not in ("type", "anyOf")]
        if not specific:
            return messages["type"]()
        return describe_error(max(specific, key=lambda e: len(list(e.absolute_path))))
    make = messages.get(str(error.validator))
    return make() if make else f"{where} : valeur non conforme au schéma data·inclusion"


def schema_errors(kind: Kind, record: object) -> list[str]:
    """French descriptions of every violation of ``record`` (empty when it is valid)."""
    if _fast_validator(kind).is_valid(record):
        return []
    errors = sorted(validator(kind).iter_errors(record), key=lambda e: list(e.absolute_path))
    return [describe_error(error) for error in errors] or [
        "enregistrement non conforme au schéma data·inclusion"
    ]
