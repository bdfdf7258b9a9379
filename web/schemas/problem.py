"""The error document of the API: RFC 9457 ``application/problem+json`` (documentation only)."""

from __future__ import annotations

import marshmallow as ma

PROBLEM_CONTENT_TYPE = "application/problem+json"


class ProblemSchema(ma.Schema):
    type = ma.fields.String(
        required=True, metadata={"description": "URI du type d'erreur", "example": "about:blank"}
    )
    title = ma.fields.String(required=True, metadata={"description": "Titre court, en français"})
    status = ma.fields.Integer(required=True, metadata={"description": "Statut HTTP"})
    detail = ma.fields.String(required=True, metadata={"description": "Explication, en français"})
    instance = ma.fields.String(metadata={"description": "Chemin de la requête"})
    code = ma.fields.String(
        metadata={"description": "Code stable de l'erreur (ex. partner_not_found)"}
    )
    request_id = ma.fields.String(metadata={"description": "Référence d'une erreur interne"})
    errors = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.List(ma.fields.String()),
        metadata={"description": "Erreurs par paramètre ou champ (statut 422)"},
    )
