"""The rights catalogue in the back office: every role reads it; an administrateur edits
its plain-language claims one at a time, each change with its source and review date
(`directory.rights_editing`), audited, in one commit. The public pages (/droits, the API,
the orientation) read the database on each request; the answer caches follow
`directory.queries.rights_fingerprint`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as BaseResponse

from admin.audit import list_subject_history, record
from admin.blueprint import admin, current_user, screen_actor
from admin.partner_views import require_action, today
from admin.roles import Action
from directory.queries import get_right, list_rights
from directory.rights_editing import (
    ClaimEdit,
    InvalidRightEdit,
    NewSource,
    claim_label,
    claim_sources,
    claim_texts,
    edit_right_claim,
    list_claims,
)
from web.database import db_session

CLAIM_FIELD_LABELS = {
    "text": "texte",
    "question": "question",
    "alternatives": "autres façons de remplir la condition",
    "if_not": "que faire si la réponse est non",
    "to_verify": "à vérifier",
    "sources": "sources",
}


def _subject(slug: str) -> str:
    return f"right:{slug}"


@admin.get("/droits")
def rights() -> str:
    require_action(Action.VIEW_RIGHTS)
    return render_template("admin/rights.html", rights=list_rights(db_session()))


@admin.get("/droits/<slug>")
def right_claims(slug: str) -> str:
    require_action(Action.VIEW_RIGHTS)
    right = get_right(db_session(), slug)
    sources = {s["id"]: s for s in right.content.get("source", [])}
    claims = [
        (claim, claim_label(claim), text, [sources[i] for i in ids if i in sources])
        for claim, text, ids in list_claims(right.content)
    ]
    history = list_subject_history(db_session(), _subject(slug), limit=20)
    return render_template(
        "admin/right.html",
        right=right,
        claims=claims,
        history=history,
        edits=right.edits or {},
        field_label=_field_label,
    )


def _field_label(name: str) -> str:
    return CLAIM_FIELD_LABELS.get(name, name)


def _read_day(text: str, errors: dict[str, list[str]]) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors["reviewed_on"] = [_("Date attendue au format AAAA-MM-JJ.")]
        return None


def _snapshot(content: dict[str, Any], claim: str) -> dict[str, Any]:
    texts = claim_texts(content, claim)
    sources = {s["id"]: s for s in content.get("source", [])}
    cited = [
        f"{sources[i]['title']} ({sources[i]['url']}), consultée le {sources[i]['consulted_at']}"
        for i in claim_sources(content, claim)
        if i in sources
    ]
    return {**texts, "sources": cited}


@admin.route("/droits/<slug>/<claim>", methods=["GET", "POST"])
def right_claim(slug: str, claim: str) -> BaseResponse | tuple[str, int]:
    require_action(Action.EDIT_RIGHTS)
    session = db_session()
    right = get_right(session, slug)
    try:
        texts = claim_texts(right.content, claim)
        current_sources = claim_sources(right.content, claim)
    except InvalidRightEdit:
        abort(404)
    form: dict[str, Any] = {
        **{name: "\n".join(v) if isinstance(v, list) else v for name, v in texts.items()},
        "source_id": current_sources[0] if current_sources else "",
        "source_title": "",
        "source_url": "",
        "reviewed_on": today().isoformat(),
    }
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        form = {name: request.form.get(name, "").strip()[:2000] for name in form}
        if request.form.get("source_choice") == "nouvelle":
            form["source_id"] = ""
        day = _read_day(form["reviewed_on"], errors)
        if day is not None:
            new_texts: dict[str, Any] = {
                name: form[name].splitlines() if name == "alternatives" else form[name]
                for name in texts
            }
            edit = ClaimEdit(
                claim,
                new_texts,
                day,
                source_id=form["source_id"] or None,
                new_source=NewSource(form["source_title"], form["source_url"]),
            )
            before = _snapshot(right.content, claim)
            try:
                edit_right_claim(session, slug, edit, editor=current_user().email, today=today())
            except InvalidRightEdit as exc:
                session.rollback()
                errors = exc.field_errors
            else:
                record(
                    session,
                    screen_actor("catalogue des droits"),
                    "right-edit",
                    f"{right.short_name} — {claim_label(claim)} modifié",
                    subject=_subject(slug),
                    before=before,
                    after=_snapshot(right.content, claim),
                )
                session.commit()
                flash(_("La modification est enregistrée et publiée, avec sa source."))
                return redirect(url_for("admin.right_claims", slug=slug))
    sources = right.content.get("source", [])
    return render_template(
        "admin/right_claim.html",
        right=right,
        claim=claim,
        label=claim_label(claim),
        texts=texts,
        form=form,
        errors=errors,
        sources=sources,
        choice="nouvelle" if request.form.get("source_choice") == "nouvelle" else "existante",
    ), (422 if errors else 200)
