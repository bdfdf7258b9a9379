"""data·inclusion v1: the export is valid, and export → import gives the same directory."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import jsonschema_rs
import pytest
from jsonschema import Draft202012Validator, FormatChecker
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from directory.exchange.datainclusion_export import (
    export_datainclusion,
    export_partners,
    export_structure,
)
from directory.exchange.datainclusion_import import ForeignSource, import_datainclusion
from directory.exchange.schema import DATAINCLUSION_DIR
from directory.exchange.snapshot import list_partners_for_export
from directory.models import Closure, Partner, Service
from geodata.errors import ImportFileRejected

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
LATER = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


def schema_validator(kind: str) -> Draft202012Validator:
    schema = json.loads((DATAINCLUSION_DIR / f"{kind}.schema.json").read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=FormatChecker())


def sample_document(session: Session, count: int = 150) -> dict[str, Any]:
    """Our export of the first partners (a whole export takes seconds: kept for one test)."""
    partners = list_partners_for_export(session, limit=count)
    return json.loads(json.dumps(export_partners(partners, session)))


def make_unusual_partners(session: Session) -> None:
    """Values that do not fit data·inclusion as they are (made-up edits of real partners)."""
    partners = list(session.scalars(select(Partner).order_by(Partner.id).limit(4)))
    first, second, third, fourth = partners
    first.name = " ".join(["Espace France services de démonstration"] * 6)  # longer than 150
    first.description = "abc"  # shorter than 5
    first.closures = [
        Closure(starts_on=date(2026, 12, 24), ends_on=date(2026, 12, 26), reason="Fêtes"),
        Closure(
            starts_on=date(2027, 1, 2),
            ends_on=date(2027, 1, 2),
            reason="Inventaire",
            replacement_hours="Mo-Fr 09:00-12:00",
        ),
    ]
    first.services[0].publics = "seniors|personnes âgées isolées"
    first.services[0].description = None
    second.location = None
    second.source_licence = None
    third.is_demo = True
    third.is_location_doubtful = True
    third.location_note = "Position au centre de la commune"
    third.accessibility = "partiel"
    third.accessibility_details = "Rampe côté parking"
    third.languages = "fr,en"
    third.appointment = "sur-rdv"
    third.verified_at = date(2026, 10, 1)
    fourth.services = []
    fourth.service_areas = []
    fourth.siret = "13003013300016"  # the schema's example SIRET, made-up for this partner
    session.flush()


def test_export_is_valid_against_the_datainclusion_schemas(session: Session) -> None:
    """Every record is checked with jsonschema-rs (fast); the first 500 partners (with the
    unusual ones) also with the reference implementation, python-jsonschema."""
    make_unusual_partners(session)
    document = export_datainclusion(session, NOW)
    structures, services = document["structures"], document["services"]
    assert len(structures) == session.query(Partner).count()
    assert len(services) == session.query(Service).count()
    sampled = {s["id"] for s in structures[:500]}
    for kind, records in (("structure", structures), ("service", services)):
        schema = json.loads((DATAINCLUSION_DIR / f"{kind}.schema.json").read_text("utf-8"))
        fast = jsonschema_rs.validator_for(schema, validate_formats=True)
        assert [r["id"] for r in records if not fast.is_valid(r)] == []
        validator = schema_validator(kind)
        sample = [r for r in records if r.get("structure_id", r["id"]) in sampled]
        invalid = [(r["id"], e.message) for r in sample for e in validator.iter_errors(r)]
        assert sample and invalid == []
    ids = [s["id"] for s in structures]
    assert len(set(ids)) == len(ids)
    france_services = next(s for s in structures if s["reseaux_porteurs"] == ["france-service"])
    assert france_services["aiguillage"]["kind"] == "france-services"


def test_export_then_import_gives_back_the_same_directory(
    session: Session, directory_picture: Callable[[Session], Any]
) -> None:
    make_unusual_partners(session)
    before = directory_picture(session)
    document = json.loads(json.dumps(export_datainclusion(session, NOW)))
    session.execute(delete(Partner))
    session.flush()
    assert directory_picture(session) == {}

    report = import_datainclusion(session, document, "annuaire.json", LATER)

    assert report.rejected == []
    assert report.created == len(before)
    after = directory_picture(session)
    assert after.keys() == before.keys()
    for key, fields in before.items():
        assert after[key] == fields, key


def test_importing_the_same_file_twice_changes_nothing(session: Session) -> None:
    make_unusual_partners(session)
    document = sample_document(session)

    report = import_datainclusion(session, document, "annuaire.json", LATER)

    assert (report.created, report.updated, report.rejected) == (0, 0, [])
    assert report.unchanged == len(document["structures"])


def test_a_changed_closure_is_an_update(session: Session) -> None:
    make_unusual_partners(session)
    document = sample_document(session)
    first = document["structures"][0]
    first["aiguillage"]["closures"] = []

    report = import_datainclusion(session, document, "annuaire.json", LATER)

    assert report.updated == 1
    partner = session.scalars(select(Partner).order_by(Partner.id)).first()
    assert partner is not None and partner.closures == []


def test_a_bad_row_is_rejected_with_a_french_reason_and_the_rest_applied(
    session: Session,
) -> None:
    document = sample_document(session)
    document["structures"][3]["nom"] = "x"
    document["services"][0]["aiguillage"]["right_slug"] = "droit-imaginaire"
    first_name = document["structures"][0]["nom"]
    document["structures"][0]["nom"] = first_name + " (renommée)"

    report = import_datainclusion(session, document, "annuaire.json", LATER)

    reasons = [problem.describe() for problem in report.rejected]
    broken_id = document["structures"][3]["id"]
    orphans = [s["id"] for s in document["services"] if s["structure_id"] == broken_id]
    assert reasons[0] == f"ligne 4 : structure : « nom » : texte trop court ({broken_id})"
    assert reasons[1] == (
        f"ligne 1 : service : droit inconnu « droit-imaginaire » ({document['services'][0]['id']})"
    )
    assert sorted(reasons[2:]) == sorted(
        f"ligne {line} : service : structure absente ou rejetée ({service_id})"
        for line, service_id in (
            (i, s["id"]) for i, s in enumerate(document["services"], start=1) if s["id"] in orphans
        )
    )
    assert orphans
    assert report.updated == 1


def test_a_row_breaking_a_partner_rule_is_rejected_and_leaves_its_partner_untouched(
    session: Session, directory_picture: Callable[[Session], Any]
) -> None:
    """The rules of an edit apply to an import row: a postcode of 3 digits (made-up value,
    written straight into the database) cannot come back, not even its closures."""
    document = sample_document(session)
    structure = document["structures"][2]
    structure["aiguillage"]["overrides"]["postcode"] = "123"
    structure["aiguillage"]["closures"] = [
        {"starts_on": "2026-12-24", "ends_on": "2026-12-26", "reason": "Fêtes"}
    ]
    document["structures"][0]["nom"] += " (renommée)"
    before = directory_picture(session)

    report = import_datainclusion(session, document, "annuaire.json", LATER)

    source_id = structure["aiguillage"]["source_id"]
    assert [problem.describe() for problem in report.rejected] == [
        f"ligne 3 : « code postal » : Le code postal doit compter 5 chiffres. ({source_id})"
    ]
    assert (report.updated, report.unchanged) == (1, len(document["structures"]) - 2)
    after = directory_picture(session)
    key = (structure["aiguillage"]["source"], structure["aiguillage"]["source_id"])
    assert after[key] == before[key]


def test_a_foreign_address_too_long_for_the_directory_is_a_rejected_row(
    session: Session,
) -> None:
    document = sample_document(session)
    foreign = foreign_document()["structures"][0]
    foreign["adresse"] = "1 rue de l'Exemple " * 20  # 380 characters
    document["structures"].append(foreign)

    report = import_datainclusion(session, document, "annuaire.json", LATER)

    assert report.created == 0
    assert [problem.describe() for problem in report.rejected] == [
        f"ligne {len(document['structures'])} : « adresse » : Ce champ ne doit pas dépasser "
        "250 caractères. (producteur-fictif--42)"
    ]
    query = select(Partner).where(Partner.source == "datainclusion-producteur-fictif")
    assert session.scalars(query).all() == []


def test_a_file_with_too_many_bad_rows_is_refused(session: Session) -> None:
    broken = copy.deepcopy(sample_document(session, 20))
    for structure in broken["structures"][:2]:
        del structure["date_maj"]
    with pytest.raises(ImportFileRejected, match="fichier refusé"):
        import_datainclusion(session, broken, "annuaire.json", LATER)


@pytest.mark.parametrize("document", [[], {"structures": "x"}, {"structures": [], "services": 3}])
def test_a_document_of_the_wrong_shape_is_refused(session: Session, document: object) -> None:
    with pytest.raises(ImportFileRejected):
        import_datainclusion(session, document, "annuaire.json", LATER)


def foreign_document() -> dict[str, Any]:
    """A made-up record of another producer (fictitious structure, for tests only)."""
    structure = {
        "source": "producteur-fictif",
        "id": "producteur-fictif--42",
        "nom": "Structure fictive de test",
        "date_maj": "2026-10-01",
        "adresse": "1 rue de l'Exemple",
        "code_postal": "62000",
        "commune": "Arras",
        "code_insee": "62041",
        "longitude": 2.7772,
        "latitude": 50.291,
        "telephone": "+33 3 21 00 00 00",
        "reseaux_porteurs": ["ccas-cias"],
        "horaires_accueil": "Mo-Fr 09:00-12:00",
    }
    service = {
        "source": "producteur-fictif",
        "id": "producteur-fictif--42--1",
        "structure_id": "producteur-fictif--42",
        "nom": "Accès aux droits",
        "description": "Service fictif d'aide aux démarches.",
        "date_maj": "2026-10-01",
        "thematiques": [
            "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits"
        ],
        "zone_eligibilite": ["62041", "62999", "99134", "france"],
    }
    return {"structures": [structure], "services": [service]}


def test_records_of_another_producer_become_partners_without_guessed_rights(
    session: Session,
) -> None:
    report = import_datainclusion(
        session, foreign_document(), "autre.json", LATER, ForeignSource(licence="Licence test")
    )

    assert (report.created, report.rejected) == (1, [])
    partner = session.scalars(
        select(Partner).where(Partner.source == "datainclusion-producteur-fictif")
    ).one()
    assert (partner.kind, partner.source_id, partner.insee_code) == (
        "ccas",
        "producteur-fictif--42",
        "62041",
    )
    assert partner.phone == "03 21 00 00 00"
    assert partner.source_licence == "Licence test"
    assert partner.services == []
    assert sorted((a.level, a.code) for a in partner.service_areas) == [
        ("commune", "62041"),
        ("france", "FR"),
    ]
    warnings = [w.describe() for w in report.warnings]
    assert any("le droit concerné n'est pas indiqué" in w for w in warnings)
    assert any("zone d'intervention inconnue" in w and "62999" in w for w in warnings)
    assert any("zone d'éligibilité non reconnue" in w and "99134" in w for w in warnings)


def test_records_of_another_producer_keep_their_own_date_when_none_is_given(
    session: Session,
) -> None:
    """Without ``--published-on``, the record's own ``date_maj`` dates it, never the day of
    the import: exporting it again gives the producer's date back."""
    import_datainclusion(session, foreign_document(), "autre.json", LATER)
    partner = session.scalars(
        select(Partner).where(Partner.source == "datainclusion-producteur-fictif")
    ).one()
    assert partner.source_date == date(2026, 10, 1)
    assert export_structure(partner, None)["date_maj"] == "2026-10-01"


def test_a_publication_date_given_for_the_file_wins_over_the_records(session: Session) -> None:
    source = ForeignSource(published_on=date(2026, 11, 2))
    import_datainclusion(session, foreign_document(), "autre.json", LATER, source)
    partner = session.scalars(
        select(Partner).where(Partner.source == "datainclusion-producteur-fictif")
    ).one()
    assert export_structure(partner, None)["date_maj"] == "2026-11-02"


def test_the_siret_travels_both_ways_and_is_checked_by_the_partner_rules(
    session: Session,
) -> None:
    make_unusual_partners(session)
    document = sample_document(session)
    assert [s["siret"] for s in document["structures"][:5]] == [
        None, None, None, "13003013300016", None,
    ]  # fmt: skip
    broken = document["structures"][2]["aiguillage"]
    broken["overrides"]["siret"] = "123"  # made-up, as a hand-edited file could say
    foreign = foreign_document()["structures"][0]
    foreign["siret"] = "21620041200013"  # made-up SIRET
    document["structures"].append(foreign)

    report = import_datainclusion(session, document, "annuaire.json", LATER)

    assert report.created == 1
    assert [p.describe() for p in report.rejected] == [
        "ligne 3 : « SIRET » : Le SIRET doit compter 14 chiffres, sans espace. "
        f"({broken['source_id']})"
    ]
    query = select(Partner.siret).where(Partner.source_id == "producteur-fictif--42")
    assert session.scalars(query).one() == "21620041200013"
