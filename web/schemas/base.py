"""Base schemas whose validation messages are in French (marshmallow's own are in English)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from typing import Any

import marshmallow as ma

_COMMON = {
    "required": "Ce champ est obligatoire.",
    "null": "Ce champ ne peut pas être nul.",
    "validator_failed": "Valeur invalide.",
    "invalid_utf8": "Texte UTF-8 invalide.",
    "too_large": "Nombre trop grand.",
    "special": "Les valeurs spéciales (nan, infinity) ne sont pas acceptées.",
}
_INVALID_BY_TYPE: tuple[tuple[type[ma.fields.Field[Any]], str], ...] = (
    (ma.fields.Boolean, "Valeur booléenne attendue (true ou false, 1 ou 0)."),
    (ma.fields.Integer, "Nombre entier attendu."),
    (ma.fields.Number, "Nombre attendu."),
    (ma.fields.DateTime, "Date et heure au format ISO 8601 attendues."),
    (ma.fields.Date, "Date au format ISO 8601 (AAAA-MM-JJ) attendue."),
    (ma.fields.List, "Liste attendue."),
    (ma.fields.Nested, "Objet attendu."),
    (ma.fields.Dict, "Objet attendu."),
    (ma.fields.String, "Texte attendu."),
)


def frenchify(field: ma.fields.Field[Any]) -> None:
    """Replace marshmallow's English default messages of ``field`` (and its items) by French."""
    messages = field.error_messages
    for key, text in _COMMON.items():
        if key in messages:
            messages[key] = text
    if "invalid" in messages:
        for field_type, text in _INVALID_BY_TYPE:
            if isinstance(field, field_type):
                messages["invalid"] = text
                break
    inner = getattr(field, "inner", None)
    if isinstance(inner, ma.fields.Field):
        frenchify(inner)


class FrenchSchema(ma.Schema):
    """A schema whose errors are in French."""

    error_messages = {  # noqa: RUF012 (marshmallow reads this class attribute)
        "unknown": "Paramètre inconnu.",
        "type": "Type de données invalide.",
    }

    def on_bind_field(self, field_name: str, field_obj: ma.fields.Field[Any]) -> None:
        frenchify(field_obj)


# Free text may hold anything but a NUL character, which no data can contain (PostgreSQL
# refuses it): `web.api.refuse_nul_characters` answers 422, and the document says so.
WITHOUT_NUL = r"^[^\u0000]*$"
REPEATED = "Paramètre donné plusieurs fois : une seule valeur permise."
NOT_ASCII_NUMBER = "Nombre écrit en chiffres ASCII (0-9) attendu."
# What the documentation promises (docs/API.md): digits 0-9, a sign, a decimal point, an
# exponent. Python's int() and float() also read other scripts' digits (« ١ », « １ »),
# « 1_000 » and surrounding spaces.
ASCII_INTEGER = re.compile(r"[+-]?[0-9]+")
ASCII_DECIMAL = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")


def _read_only_by_python(value: object, field: ma.fields.Field[Any]) -> bool:
    """True for a number that Python reads but that is not written in ASCII digits."""
    if not isinstance(value, str) or not isinstance(field, ma.fields.Number):
        return False
    integer = isinstance(field, ma.fields.Integer)
    if (ASCII_INTEGER if integer else ASCII_DECIMAL).fullmatch(value):
        return False
    convert: Callable[[str], float] = int if integer else float
    try:
        return math.isfinite(convert(value))
    except ValueError:
        return False


def _values(data: Mapping[str, Any], key: str) -> list[Any]:
    """Every value given for ``key``: webargs hands a proxy of the query's multidict."""
    getlist = getattr(data, "getlist", None)
    if callable(getlist):
        return list(getlist(key))
    return [data[key]] if key in data else []


class QuerySchema(FrenchSchema):
    """Query-string parameters: an unknown parameter is an error, never silently ignored;
    so is a single-value parameter given twice (which one would count?) and a number written
    with other digits than 0-9. Checked here once for every endpoint of the API."""

    class Meta:
        unknown = ma.RAISE

    @ma.pre_load
    def _refuse_repeated_values_and_other_digits(
        self, data: Mapping[str, Any], **_: object
    ) -> Mapping[str, Any]:
        errors: dict[str, list[str]] = {}
        for name, field in self.load_fields.items():
            key = field.data_key or name
            values = _values(data, key)
            repeatable = isinstance(field, ma.fields.List | ma.fields.Tuple)
            if len(values) > 1 and not repeatable:
                errors[key] = [REPEATED]
                continue
            inner = field.inner if isinstance(field, ma.fields.List) else field
            if any(_read_only_by_python(value, inner) for value in values):
                errors[key] = [NOT_ASCII_NUMBER]
        if errors:
            raise ma.ValidationError(errors)
        return data


class NoQuerySchema(QuerySchema):
    """For endpoints without parameters: any query parameter is reported as unknown."""
