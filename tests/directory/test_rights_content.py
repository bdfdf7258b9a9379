"""What the bundled rights files say: the corrections of the 2026-12 review, every claim
sourced, jargon explained, old names kept for search only.

Each correction test fails on the wording of the files before that review (git history of
``data/rights``)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from directory.rights_catalogue import RIGHT_SLUGS, RightContent, load_catalogue
from directory.rights_claims import Condition
from directory.rights_glossary import bundled_glossary

NINE_MONTHS_RIGHTS = ("aspa", "allocations-familiales", "asf", "rsa", "prime-activite")
JARGON = (
    "régime agricole",
    "titre de séjour",
    "carte de résident",
    "protection subsidiaire",
    "taux d'incapacité",
    "CDAPH",
    "point de livraison",
    "contrat d'engagement",
)
OLD_NAMES = (
    "RMI",
    "revenu minimum d'insertion",
    "RSA socle",
    "RSA activité",
    "prime pour l'emploi",
    "CMU",
    "CMU-C",
    "ACS",
    "tarifs sociaux de l'énergie",
    "Pôle emploi",
    "FNS",
)


@pytest.fixture(scope="module")
def catalogue() -> dict[str, RightContent]:
    return {right.slug: right for right in load_catalogue()}


def condition_text(condition: Condition) -> str:
    return " ".join((condition.question, *condition.alternatives, condition.if_not))


def all_text(right: RightContent) -> str:
    return "\n".join(right.texts())


def mentions(text: str, phrase: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text, re.IGNORECASE) is not None


def nationality_condition(right: RightContent) -> Condition:
    (found,) = [c for c in right.conditions if "nationalité" in c.question]
    return found


# --- Corrections of the 2026-12 review ---------------------------------------------------


@pytest.mark.parametrize("slug", ["rsa", "prime-activite"])
def test_the_nationality_condition_names_those_not_bound_by_the_5_year_rule(
    catalogue: dict[str, RightContent], slug: str
) -> None:
    condition = nationality_condition(catalogue[slug])
    text = condition_text(condition).casefold()
    for who in ("réfugié", "protection subsidiaire", "apatride", "carte de résident"):
        assert who in text, who
    assert "union européenne" in text and "suisse" in text
    assert not condition.excludes and condition.if_not


def test_no_rsa_condition_whose_no_excludes_is_about_age_or_studies(
    catalogue: dict[str, RightContent],
) -> None:
    rsa = catalogue["rsa"]
    for condition in rsa.conditions:
        if condition.excludes:
            assert "25 ans" not in condition.question and "étud" not in condition.question
    (age,) = [c for c in rsa.conditions if "25 ans" in c.question]
    alternatives = " ".join(age.alternatives)
    assert "enceinte" in alternatives and "enfant" in alternatives
    assert "2 ans" in alternatives and "3 dernières années" in alternatives
    (studies,) = [c for c in rsa.conditions if "études" in c.question]
    assert any("étudiant" in a and "seul" in a for a in studies.alternatives)


def test_rsa_says_its_obligations_and_their_sanctions(catalogue: dict[str, RightContent]) -> None:
    rsa = catalogue["rsa"]
    steps = " ".join(rsa.steps)
    for fact in (
        "France Travail",
        "contrat d'engagement",
        "15 heures",
        "moins de 12 ans",
        "handicap",
        "suspension-remobilisation",
        "1er juin 2025",
        "mars 2025",
        "préremplit",
    ):
        assert fact in steps, fact
    assert "15481*01" in [form.cerfa for form in rsa.forms]


def test_rsa_and_prime_forms_of_unconfirmed_versions_are_flagged(
    catalogue: dict[str, RightContent],
) -> None:
    forms = {form.cerfa: form for form in catalogue["rsa"].forms}
    assert forms["15481*01"].to_verify == ""
    assert forms["14130*02"].to_verify and forms["15482*01"].to_verify


def test_cheque_energie_no_longer_pays_for_works_and_some_households_must_apply(
    catalogue: dict[str, RightContent],
) -> None:
    cheque = catalogue["cheque-energie"]
    text = all_text(cheque)
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        if "travaux" in sentence:  # only ever to say it is over
            assert "ne peut plus" in sentence, sentence
    assert "doivent le demander" in cheque.summary
    assert "contrat d'électricité" in cheque.summary
    assert any("chequeenergie.gouv.fr" in step and "demande" in step for step in cheque.steps)
    assert not mentions(text, "logement à votre nom")


@pytest.mark.parametrize("slug", NINE_MONTHS_RIGHTS)
def test_the_nine_month_rule_is_a_condition(catalogue: dict[str, RightContent], slug: str) -> None:
    assert any("9 mois" in c.question for c in catalogue[slug].conditions)


def test_the_2026_student_rule_for_housing_aid_is_announced_not_established(
    catalogue: dict[str, RightContent],
) -> None:
    aides = catalogue["aides-logement"]
    (student,) = [c for c in aides.conditions if "étudiant" in c.question]
    assert "1er juillet 2026" in student.if_not and "à confirmer" in student.if_not
    assert student.to_verify and not student.excludes
    assert "Les étudiants peuvent y avoir droit" not in aides.notes


def test_unemployment_look_back_of_36_months_starts_at_55(
    catalogue: dict[str, RightContent],
) -> None:
    text = " ".join(condition_text(c) for c in catalogue["are"].conditions)
    assert "36 derniers mois si vous avez 55 ans" in text and "53 ans" not in text


def test_c2s_asks_for_the_tax_notice_and_is_automatic_with_the_rsa(
    catalogue: dict[str, RightContent],
) -> None:
    c2s = catalogue["c2s"]
    assert not any(doc.startswith("Les justificatifs") for doc in c2s.documents)
    assert any("avis d'impôt" in doc for doc in c2s.documents)
    assert [form.cerfa for form in c2s.forms] == ["12504*10"]
    text = all_text(c2s)
    assert re.search(r"RSA.*automatiquement|automatiquement.*RSA", text)
    assert re.search(r"ASPA.*simplifiée", text)


def test_fsl_move_in_aid_is_asked_before_moving_in(catalogue: dict[str, RightContent]) -> None:
    assert any("avant d'entrer dans les lieux" in step for step in catalogue["fsl"].steps)


def test_no_online_procedure_points_to_the_old_caf_portal(
    catalogue: dict[str, RightContent],
) -> None:
    for right in catalogue.values():
        if right.online is not None:
            assert "wwwd.caf.fr" not in right.online.url and "/wps/" not in right.online.url


# --- Every claim sourced, every source dated ------------------------------------------


def claims(right: RightContent) -> Iterator[tuple[str, tuple[str, ...]]]:
    yield "summary", right.summary_sources
    yield "decider_note", right.decider_sources
    if right.notes:
        yield "notes", right.notes_sources
    for key, items in (
        ("conditions", right.conditions),
        ("documents", right.document_claims),
        ("steps", right.step_claims),
        ("forms", right.forms),
    ):
        for index, item in enumerate(items, start=1):
            yield f"{key} n° {index}", item.sources
    if right.online_procedure is not None:
        yield "online", right.online_procedure.sources


@pytest.mark.parametrize("slug", RIGHT_SLUGS)
def test_every_claim_cites_a_dated_source(catalogue: dict[str, RightContent], slug: str) -> None:
    right = catalogue[slug]
    consulted = {source.id: source.consulted_at for source in right.source}
    for where, ids in claims(right):
        assert ids, f"{slug} {where} has no source"
        for source_id in ids:
            assert source_id in consulted, (slug, where, source_id)
    assert right.reviewed_at <= min(consulted.values())


@pytest.mark.parametrize("slug", RIGHT_SLUGS)
def test_what_remains_to_check_is_said_in_plain_french(
    catalogue: dict[str, RightContent], slug: str
) -> None:
    right = catalogue[slug]
    flagged = [
        item.to_verify
        for group in (right.conditions, right.document_claims, right.step_claims, right.forms)
        for item in group
        if item.to_verify
    ]
    for text in flagged:
        assert text[0].isupper() and text.endswith("."), text


# --- Plain French ------------------------------------------------------------------------


@pytest.mark.parametrize("slug", RIGHT_SLUGS)
def test_jargon_is_explained_where_it_is_used(
    catalogue: dict[str, RightContent], slug: str
) -> None:
    right = catalogue[slug]
    text = all_text(right)
    explained = {entry.term for entry in right.glossary}
    for term in JARGON:
        if mentions(text, term):
            assert term in explained, (slug, term)


def test_the_glossary_explains_each_term_in_a_sentence_or_two_with_sources() -> None:
    glossary = bundled_glossary()
    assert {entry.term for entry in glossary.entries} >= set(JARGON)
    for entry in glossary.entries:
        assert 1 <= len(re.findall(r"[.!?](?:\s|$)", entry.explanation)) <= 2, entry.term
        assert entry.sources and all(source.consulted_at for source in entry.sources)


@pytest.mark.parametrize("slug", RIGHT_SLUGS)
def test_old_names_are_search_aliases_only(catalogue: dict[str, RightContent], slug: str) -> None:
    right = catalogue[slug]
    shown = "\n".join(
        (right.name, right.short_name, *right.aliases, right.summary, *right.checklist)
    )
    for old in OLD_NAMES:
        assert not mentions(shown, old), (slug, old)


def test_old_names_still_lead_to_their_right(catalogue: dict[str, RightContent]) -> None:
    assert "RMI" in catalogue["rsa"].former_names
    assert "RSA activité" in catalogue["prime-activite"].former_names
    assert {"CMU-C", "CMU"} <= set(catalogue["c2s"].former_names)
    assert "tarifs sociaux de l'énergie" in catalogue["cheque-energie"].former_names
    assert "Pôle emploi" in catalogue["are"].former_names


@pytest.mark.parametrize("slug", RIGHT_SLUGS)
def test_every_condition_that_does_not_exclude_says_what_to_do(
    catalogue: dict[str, RightContent], slug: str
) -> None:
    for condition in catalogue[slug].conditions:
        assert condition.excludes or condition.if_not, (slug, condition.question)
