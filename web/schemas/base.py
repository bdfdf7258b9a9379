"""Base schemas whose validation messages are in French (marshmallow's own are in English)."""

from __future__ import annotations

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


class QuerySchema(FrenchSchema):
    """Query-string parameters: an unknown parameter is an error, never silently ignored."""

    class Meta:
        unknown = ma.RAISE


class NoQuerySchema(QuerySchema):
    """For endpoints without parameters: any query parameter is reported as unknown."""
