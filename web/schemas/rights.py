"""Schemas of the rights catalogue."""

from __future__ import annotations

import marshmallow as ma


class CodeLabelSchema(ma.Schema):
    code = ma.fields.String(required=True)
    label = ma.fields.String(required=True, metadata={"description": "Libellé en français"})


class RightSummarySchema(ma.Schema):
    slug = ma.fields.String(required=True, metadata={"example": "rsa"})
    name = ma.fields.String(required=True, metadata={"example": "Revenu de solidarité active"})
    short_name = ma.fields.String(required=True, metadata={"example": "RSA"})
    summary = ma.fields.String(required=True)
    reviewed_at = ma.fields.Date(
        allow_none=True, metadata={"description": "Date de la dernière relecture de la fiche"}
    )


class RightListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(RightSummarySchema), required=True)
    total = ma.fields.Integer(required=True)


SOURCE_IDS = {"description": "Identifiants des sources (« source ») qui appuient ce texte"}
TO_VERIFY = {"description": "Non vide : ce qui reste à vérifier (à afficher « à vérifier »)"}


def _cited() -> ma.fields.List[str]:
    return ma.fields.List(ma.fields.String(), required=True, metadata=SOURCE_IDS)


class FormSchema(ma.Schema):
    cerfa = ma.fields.String(required=True, metadata={"example": "15481*01"})
    title = ma.fields.String(required=True)
    url = ma.fields.String(required=True, metadata={"description": "Page officielle du formulaire"})
    sources = _cited()
    to_verify = ma.fields.String(required=True, metadata=TO_VERIFY)


class OnlineProcedureSchema(ma.Schema):
    label = ma.fields.String(required=True)
    url = ma.fields.String(required=True)
    sources = _cited()
    to_verify = ma.fields.String(required=True, metadata=TO_VERIFY)


class SourceSchema(ma.Schema):
    id = ma.fields.String(required=True, metadata={"example": "sp-f994-residence"})
    title = ma.fields.String(required=True)
    url = ma.fields.String(required=True)
    consulted_at = ma.fields.Date(
        required=True, metadata={"description": "Date à laquelle la source a été consultée"}
    )
    note = ma.fields.String(
        required=True,
        metadata={"description": "Comment la source a été lue (par exemple une copie), ou vide"},
    )


class ConditionSchema(ma.Schema):
    question = ma.fields.String(required=True, metadata={"example": "Avez-vous 25 ans ou plus ?"})
    alternatives = ma.fields.List(
        ma.fields.String(),
        required=True,
        metadata={"description": "Autres façons de remplir la condition (« ou bien… »)"},
    )
    if_not = ma.fields.String(
        required=True, metadata={"description": "Que faire si la réponse est non"}
    )
    excludes = ma.fields.Boolean(
        required=True,
        metadata={
            "description": "Vrai seulement si un « non » (à la question et à chaque "
            "alternative) exclut vraiment"
        },
    )
    sources = _cited()
    to_verify = ma.fields.String(required=True, metadata=TO_VERIFY)


class ClaimSchema(ma.Schema):
    text = ma.fields.String(required=True)
    sources = _cited()
    to_verify = ma.fields.String(required=True, metadata=TO_VERIFY)


class GlossaryEntrySchema(ma.Schema):
    term = ma.fields.String(required=True, metadata={"example": "régime agricole"})
    variants = ma.fields.List(ma.fields.String(), required=True)
    explanation = ma.fields.String(required=True)
    sources = ma.fields.List(ma.fields.Nested(SourceSchema), required=True)


class RightSchema(RightSummarySchema):
    aliases = ma.fields.List(ma.fields.String(), required=True)
    former_names = ma.fields.List(
        ma.fields.String(),
        required=True,
        metadata={"description": "Anciens noms (RMI, CMU…) : pour la recherche, jamais affichés"},
    )
    summary_sources = _cited()
    deciders = ma.fields.List(
        ma.fields.Nested(CodeLabelSchema),
        required=True,
        metadata={"description": "Organismes qui décident et versent"},
    )
    decider_note = ma.fields.String(required=True)
    decider_sources = _cited()
    agricultural_decider = ma.fields.Nested(CodeLabelSchema, allow_none=True)
    helpers = ma.fields.List(
        ma.fields.Nested(CodeLabelSchema),
        required=True,
        metadata={"description": "Types de structures qui aident à faire la demande"},
    )
    checklist = ma.fields.List(
        ma.fields.String(),
        required=True,
        metadata={"description": "Les questions de « conditions », sans leurs alternatives"},
    )
    conditions = ma.fields.List(ma.fields.Nested(ConditionSchema), required=True)
    documents = ma.fields.List(ma.fields.String(), required=True)
    document_items = ma.fields.List(
        ma.fields.Nested(ClaimSchema),
        required=True,
        metadata={"description": "Les justificatifs avec leurs sources"},
    )
    steps = ma.fields.List(ma.fields.String(), required=True)
    step_items = ma.fields.List(
        ma.fields.Nested(ClaimSchema),
        required=True,
        metadata={"description": "Les étapes avec leurs sources"},
    )
    forms = ma.fields.List(ma.fields.Nested(FormSchema), required=True)
    online = ma.fields.Nested(OnlineProcedureSchema, allow_none=True)
    notes = ma.fields.String(required=True)
    notes_sources = _cited()
    source = ma.fields.List(ma.fields.Nested(SourceSchema), required=True)
    glossary = ma.fields.List(
        ma.fields.Nested(GlossaryEntrySchema),
        required=True,
        metadata={"description": "Mots employés par la fiche, expliqués simplement"},
    )
    reviewed_by = ma.fields.String(required=True)
