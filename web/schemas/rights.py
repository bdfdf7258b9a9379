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


class FormSchema(ma.Schema):
    cerfa = ma.fields.String(required=True, metadata={"example": "15692*01"})
    title = ma.fields.String(required=True)
    url = ma.fields.String(required=True)


class LinkSchema(ma.Schema):
    label = ma.fields.String(required=True)
    url = ma.fields.String(required=True)


class SourceSchema(ma.Schema):
    title = ma.fields.String(required=True)
    url = ma.fields.String(required=True)


class RightSchema(RightSummarySchema):
    aliases = ma.fields.List(ma.fields.String(), required=True)
    deciders = ma.fields.List(
        ma.fields.Nested(CodeLabelSchema),
        required=True,
        metadata={"description": "Organismes qui décident et versent"},
    )
    decider_note = ma.fields.String(required=True)
    agricultural_decider = ma.fields.Nested(CodeLabelSchema, allow_none=True)
    helpers = ma.fields.List(
        ma.fields.Nested(CodeLabelSchema),
        required=True,
        metadata={"description": "Types de structures qui aident à faire la demande"},
    )
    checklist = ma.fields.List(ma.fields.String(), required=True)
    documents = ma.fields.List(ma.fields.String(), required=True)
    steps = ma.fields.List(ma.fields.String(), required=True)
    forms = ma.fields.List(ma.fields.Nested(FormSchema), required=True)
    online = ma.fields.Nested(LinkSchema, allow_none=True)
    notes = ma.fields.String(required=True)
    source = ma.fields.List(ma.fields.Nested(SourceSchema), required=True)
    reviewed_by = ma.fields.String(required=True)
