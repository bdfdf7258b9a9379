"""What a rights file asserts, each claim with the sources it was checked against.

A claim is anything a resident may act on: a condition of the checklist, a document to
bring, a step, a form, the online procedure, and the free texts (summary, who decides,
notes). Each one cites, by ``id``, one or more entries of the file's ``source`` list, and
each source says when it was consulted (``consulted_at``). A claim that could not be
confirmed carries a ``to_verify`` text, shown as « à vérifier ». ``check_citations``
enforces the rules that tie them together, including the one on ``reviewed_at``: a file is
only « relue » on a day when every one of its sources had been consulted again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from directory.links import OnlineProcedure
from directory.rights_checks import ContentChecker, RecordShape

SOURCE_ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
CERFA_PATTERN = re.compile(r"^[0-9]{5}\*[0-9]{2}$")

SOURCE_SHAPE = RecordShape(
    texts=("id", "title", "url"), optional_texts=("note",), dates=("consulted_at",)
)
CLAIM_SHAPE = RecordShape(texts=("text",), optional_texts=("to_verify",), cited="sources")
CONDITION_SHAPE = RecordShape(
    texts=("question",),
    optional_texts=("if_not", "to_verify"),
    lists=("alternatives",),
    flags=("excludes",),
    cited="sources",
)
FORM_SHAPE = RecordShape(
    texts=("cerfa", "title", "url"), optional_texts=("to_verify",), cited="sources"
)
ONLINE_SHAPE = RecordShape(texts=("label", "url"), optional_texts=("to_verify",), cited="sources")


@dataclass(frozen=True)
class SourceReference:
    """A public page the content was checked against, and the day it was consulted.

    ``note`` says how it was read when that matters, e.g. through a copy republished by a
    town hall, so that a reviewer knows what to re-read on the official site."""

    id: str
    title: str
    url: str
    consulted_at: date
    note: str = ""


@dataclass(frozen=True)
class Claim:
    """A document to bring or a step: one plain-French sentence or two, with its sources."""

    text: str
    sources: tuple[str, ...]
    to_verify: str = ""


@dataclass(frozen=True)
class Condition:
    """One question of the checklist.

    ``alternatives`` are other ways to meet it (« ou bien… »). ``excludes`` is true only
    when an honest « non » to the question and to every alternative really rules the
    person out; otherwise ``if_not`` tells what to do (« demandez quand même… »)."""

    question: str
    alternatives: tuple[str, ...]
    if_not: str
    excludes: bool
    sources: tuple[str, ...]
    to_verify: str = ""


@dataclass(frozen=True)
class OfficialForm:
    """A Cerfa form, e.g. ``15481*01``, and the official page where to get it."""

    cerfa: str
    title: str
    url: str
    sources: tuple[str, ...]
    to_verify: str = ""


@dataclass(frozen=True)
class SourcedProcedure:
    """The official place to file the claim online, with its sources."""

    label: str
    url: str
    sources: tuple[str, ...]
    to_verify: str = ""

    @property
    def procedure(self) -> OnlineProcedure:
        return OnlineProcedure(label=self.label, url=self.url)


def read_sources(check: ContentChecker, data: Mapping[str, Any]) -> tuple[SourceReference, ...]:
    found = tuple(
        SourceReference(**item)
        for item in check.records(data, "source", SOURCE_SHAPE, allow_empty=False)
    )
    for index, reference in enumerate(found, start=1):
        if not SOURCE_ID_PATTERN.fullmatch(reference.id):
            check.fail(
                f"« source » n° {index} : l'identifiant « {reference.id} » ne doit contenir "
                "que a-z, 0-9 et des tirets"
            )
    return found


def read_claims(check: ContentChecker, data: Mapping[str, Any], key: str) -> tuple[Claim, ...]:
    return tuple(Claim(**item) for item in check.records(data, key, CLAIM_SHAPE, allow_empty=False))


def read_conditions(check: ContentChecker, data: Mapping[str, Any]) -> tuple[Condition, ...]:
    found = tuple(
        Condition(**item)
        for item in check.records(data, "conditions", CONDITION_SHAPE, allow_empty=False)
    )
    for index, condition in enumerate(found, start=1):
        where = f"« conditions » n° {index}"
        if not condition.question.endswith("?"):
            check.fail(f"{where} : une question doit finir par « ? »")
        if not condition.excludes and not condition.if_not:
            check.fail(
                f"{where} : « if_not » est obligatoire quand un « non » n'exclut pas "
                "(« excludes = false ») : dites quoi faire, par exemple demander quand même"
            )
    return found


def read_forms(check: ContentChecker, data: Mapping[str, Any]) -> tuple[OfficialForm, ...]:
    forms = tuple(
        OfficialForm(**item) for item in check.records(data, "forms", FORM_SHAPE, allow_empty=True)
    )
    for index, form in enumerate(forms, start=1):
        if not CERFA_PATTERN.fullmatch(form.cerfa):
            check.fail(
                f"« forms » n° {index} : numéro Cerfa « {form.cerfa} » invalide "
                "(attendu : 5 chiffres, une étoile, 2 chiffres, par ex. 15692*01)"
            )
    return forms


def read_online(check: ContentChecker, data: Mapping[str, Any]) -> SourcedProcedure | None:
    if data.get("online") is None:  # None: absent (TOML) or null (JSON)
        return None
    found = check.record(data["online"], "« online »", ONLINE_SHAPE)
    return SourcedProcedure(**found) if found is not None else None


def check_citations(
    check: ContentChecker,
    sources: Sequence[SourceReference],
    citations: Iterable[tuple[str, Sequence[str]]],
    reviewed_at: date,
) -> None:
    """Every claim cites known sources, every source is cited, ids are unique, and the file
    is not « relue » after the day any of its sources was last consulted.

    ``citations`` pairs where a claim stands (« documents » n° 2) with the ids it cites."""
    known: dict[str, SourceReference] = {}
    for reference in sources:
        if reference.id in known:
            check.fail(f"« source » : l'identifiant « {reference.id} » est utilisé deux fois")
        known[reference.id] = reference
    cited: set[str] = set()
    for where, ids in citations:
        for source_id in ids:
            if source_id not in known:
                check.fail(f"{where} : la source « {source_id} » n'existe pas dans « source »")
            cited.add(source_id)
    for source_id in sorted(set(known) - cited):
        check.fail(f"« source » : « {source_id} » n'est citée par aucune affirmation")
    for reference in sources:
        if reviewed_at > reference.consulted_at:
            check.fail(
                f"« reviewed_at » ({reviewed_at.isoformat()}) est postérieure à la consultation "
                f"de la source « {reference.id} » ({reference.consulted_at.isoformat()}) : "
                "une fiche n'est relue que lorsque toutes ses sources ont été consultées"
            )
