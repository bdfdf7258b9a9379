"""Imports from the back office: upload → dry run row by row → apply in one transaction;
broken files refused whole with a French explanation, bad rows only left out by choice,
duplicates proposed and never merged silently, a 50 000-row file with nothing lost."""

from __future__ import annotations

import html
import io
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from admin.audit import Actor, Origin
from admin.imports.datainclusion import apply_datainclusion, plan_datainclusion
from admin.imports.plan import RowStatus
from admin.models import AuditEntry, ImportUpload
from directory.exchange.datainclusion_export import export_partners
from directory.exchange.mapping import EXTENSION_KEY
from directory.models import Partner
from geodata.data_files import DATA_DIR
from tests.admin.conftest import csrf_token
from tests.admin.scenario import Scenario, build_scenario

EXAMPLE = DATA_DIR / "examples" / "partenaires-exemple.csv"
NOW = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
HEADER = Path(DATA_DIR / "examples" / "partenaires-modele.csv").read_text(encoding="utf-8")
COLUMNS = HEADER.strip().split(",")


def line(**cells: object) -> str:
    """One CSV line of the template, the cells not given left empty; fictional, is_demo."""
    cells.setdefault("is_demo", "oui")
    unknown = set(cells) - set(COLUMNS)
    assert not unknown, unknown
    return ",".join(str(cells.get(name, "")) for name in COLUMNS) + "\n"


@pytest.fixture
def scenario(admin_app: Flask, db: Session) -> Scenario:
    return build_scenario(admin_app, db)


def upload(client: FlaskClient, content: bytes, name: str = "f.csv", fmt: str = "csv") -> int:
    response = client.post(
        "/admin/imports",
        data={"csrf_token": csrf_token(client, "/admin/imports"), "format": fmt,
              "file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )  # fmt: skip
    assert response.status_code == 302, response.text
    return int(response.headers["Location"].rsplit("/", 1)[1])


def fingerprint(page: str) -> str:
    found = re.search(r'name="empreinte" value="([0-9a-f]+)"', page)
    assert found is not None
    return found.group(1)


def apply(client: FlaskClient, upload_id: int, **choices: str) -> object:
    page = client.get(f"/admin/imports/{upload_id}").text
    return client.post(
        f"/admin/imports/{upload_id}/appliquer",
        data={"csrf_token": csrf_token(client, f"/admin/imports/{upload_id}"),
              "empreinte": fingerprint(page), **choices},
    )  # fmt: skip


def count_source(session: Session, source: str) -> int:
    session.expire_all()
    query = select(func.count(Partner.id)).where(Partner.source == source)
    return int(session.scalar(query) or 0)


def test_the_example_file_is_simulated_then_applied_and_audited(scenario: Scenario) -> None:
    client = scenario.client_for("administrateur")
    upload_id = upload(client, EXAMPLE.read_bytes(), "partenaires-exemple.csv")
    page = client.get(f"/admin/imports/{upload_id}")
    assert page.status_code == 200
    assert "Simulation : rien n'a encore été enregistré" in html.unescape(page.text)
    assert page.text.count("sera créée") >= 5
    assert count_source(scenario.session, "exemple-territoire") == 0
    done = apply(client, upload_id)
    assert done.status_code == 302
    assert count_source(scenario.session, "exemple-territoire") == 5
    partners = scenario.session.scalars(
        select(Partner).where(Partner.source == "exemple-territoire")
    ).all()
    assert all(p.is_demo and p.name.startswith("[Exemple fictif]") for p in partners)
    entries = scenario.session.scalars(
        select(AuditEntry).where(AuditEntry.origin == "import")
    ).all()
    assert sorted(e.action for e in entries) == ["import"] + ["partner-import"] * 5
    assert all(e.origin_detail == "partenaires-exemple.csv" for e in entries)
    hits = client.get(
        "/api/v1/partners?q=Exemple+fictif+Saint-Gaudens&include_unconfirmed=1"
    ).get_json()
    assert {p.id for p in partners} & {hit["id"] for hit in hits["items"]}
    again = upload(client, EXAMPLE.read_bytes(), "partenaires-exemple.csv")
    second = client.get(f"/admin/imports/{again}").text
    assert second.count("<td>inchangée</td>") == 5


def test_the_template_and_example_can_be_downloaded(scenario: Scenario) -> None:
    client = scenario.client_for("gestionnaire")
    template = client.get("/admin/imports/modele/partenaires-modele.csv")
    assert template.status_code == 200 and template.data.startswith(b"kind,name,siret")
    assert client.get("/admin/imports/modele/..%2Fsecret").status_code == 404


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("kind,name,source,source_id\nccas,Café de la Gare,s,1\n".encode("latin-1"),
         "pas encodé en UTF-8"),
        (b"kind,name\nccas,Un nom\n", "Colonnes obligatoires absentes : source, source_id"),
        (b"", "Le fichier est vide"),
    ],
    ids=["encoding", "missing-columns", "empty"],
)  # fmt: skip
def test_a_broken_file_is_refused_whole_with_a_french_explanation(
    scenario: Scenario, content: bytes, message: str
) -> None:
    client = scenario.client_for("administrateur")
    before = int(scenario.session.scalar(select(func.count(Partner.id))) or 0)
    upload_id = upload(client, content)
    page = client.get(f"/admin/imports/{upload_id}")
    assert page.status_code == 422 and message in page.text
    token = csrf_token(client, "/admin/imports")
    refused = client.post(f"/admin/imports/{upload_id}/appliquer", data={"csrf_token": token})
    assert refused.status_code == 422
    scenario.session.expire_all()
    assert int(scenario.session.scalar(select(func.count(Partner.id))) or 0) == before


ARRAS = {"kind": "ccas", "postcode": "62000", "city": "Arras", "insee_code": "62041",
         "source": "test-import"}  # fmt: skip
BROKEN_ROWS = HEADER + "".join(
    [
        line(**ARRAS, name="[Test] Bon CCAS", lon="2.78", lat="50.29",
             opening_hours="Mo 09:00-12:00", service_areas="commune:62041", source_id="bon"),
        line(**ARRAS, name="[Test] Coordonnées", lon="abc", lat="50.29", source_id="coord"),
        line(**ARRAS, name="[Test] Horaires", opening_hours="lundi 9h-12h", source_id="heures"),
        line(**{**ARRAS, "kind": "vaisseau"}, name="[Test] Type", services="rsa:aide",
             source_id="type"),
        line(**ARRAS, name="[Test] Date", source_date="03/12/2026", source_id="date"),
    ]
)  # fmt: skip


def test_bad_rows_are_explained_by_column_and_left_out_only_by_choice(scenario: Scenario) -> None:
    client = scenario.client_for("administrateur")
    upload_id = upload(client, BROKEN_ROWS.encode())
    page = client.get(f"/admin/imports/{upload_id}").text
    for explanation in (
        "colonne « lon, lat » : Coordonnées illisibles",
        "colonne « opening_hours » :",
        "colonne « kind » : Type de structure inconnu : « vaisseau »",
        "colonne « services » : Service n° 1 : niveau d'aide inconnu « aide »",
        "colonne « source_date » : Date illisible",
    ):
        assert explanation in html.unescape(page), explanation
    refused = apply(client, upload_id)
    assert refused.status_code == 409 and "Appliquer sans les lignes en erreur" in refused.text
    assert count_source(scenario.session, "test-import") == 0
    applied = apply(client, upload_id, sans_erreurs="1")
    assert applied.status_code == 302
    assert count_source(scenario.session, "test-import") == 1


def test_a_changed_directory_between_dry_run_and_apply_is_shown_again(
    scenario: Scenario,
) -> None:
    client = scenario.client_for("administrateur")
    upload_id = upload(client, EXAMPLE.read_bytes())
    stale = fingerprint(client.get(f"/admin/imports/{upload_id}").text)
    done = apply(client, upload_id)
    assert done.status_code == 302
    other = upload(client, EXAMPLE.read_bytes())
    response = client.post(
        f"/admin/imports/{other}/appliquer",
        data={"csrf_token": csrf_token(client, "/admin/imports"), "empreinte": stale},
    )
    assert response.status_code == 409 and "ont changé depuis la simulation" in response.text


def _row_like(partner: Partner, *, siret: str = "", name: str | None = None) -> str:
    cells = {"insee_code": partner.insee_code, "source": "test-doublon", "source_id": "d1"}
    return HEADER + line(kind="ccas", name=name or partner.name, siret=siret, **cells)


def test_a_possible_duplicate_is_held_back_until_someone_chooses(scenario: Scenario) -> None:
    existing = scenario.in_62
    original_name = existing.name
    existing.siret = "11122233344455"
    scenario.session.commit()
    client = scenario.client_for("administrateur")
    content = _row_like(existing, siret="11122233344455", name="[Test] Tout autre nom").encode()
    upload_id = upload(client, content)
    page = client.get(f"/admin/imports/{upload_id}").text
    assert "doublon possible" in page and "même SIRET" in page
    assert apply(client, upload_id).status_code == 302
    assert count_source(scenario.session, "test-doublon") == 0  # never silently
    again = upload(client, content)
    assert apply(client, again, **{"choix-2": f"fusionner-{existing.id}"}).status_code == 302
    scenario.session.expire_all()
    merged = scenario.session.get(Partner, existing.id)
    assert merged is not None and merged.source == "test-doublon"
    assert merged.name == "[Test] Tout autre nom"
    entry = scenario.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "partner-merge")
    ).one()
    assert entry.partner_id == existing.id and entry.changes["name"][0] == original_name


def test_a_similar_name_next_door_is_a_possible_duplicate(scenario: Scenario) -> None:
    existing = scenario.in_62
    scenario.session.refresh(existing)
    from geoalchemy2.shape import to_shape

    point = to_shape(existing.location)
    content = HEADER + line(
        kind="france-services",
        name=existing.name.upper(),
        insee_code=existing.insee_code,
        lon=f"{point.x + 0.0005:.6f}",
        lat=f"{point.y:.6f}",
        source="test-voisin",
        source_id="v1",
    )
    client = scenario.client_for("administrateur")
    upload_id = upload(client, content.encode())
    page = client.get(f"/admin/imports/{upload_id}").text
    assert "doublon possible" in page and "nom proche, à" in page
    assert apply(client, upload_id, **{"choix-2": "creer"}).status_code == 302
    assert count_source(scenario.session, "test-voisin") == 1


def test_a_manager_imports_only_inside_their_territory(scenario: Scenario) -> None:
    content = HEADER + "".join(
        line(kind="ccas", name=f"[Test] {name}", insee_code=code, source="test-territoire",
             source_id=name)
        for name, code in (("Ici", "62041"), ("Ailleurs", "31555"))
    )  # fmt: skip
    client = scenario.client_for("gestionnaire")
    upload_id = upload(client, content.encode())
    page = client.get(f"/admin/imports/{upload_id}").text
    assert "Commune hors de votre territoire" in page
    assert apply(client, upload_id, sans_erreurs="1").status_code == 302
    names = scenario.session.scalars(
        select(Partner.name).where(Partner.source == "test-territoire")
    ).all()
    assert names == ["[Test] Ici"]
    json_refused = client.post(
        "/admin/imports",
        data={"csrf_token": csrf_token(client, "/admin/imports"), "format": "datainclusion",
              "file": (io.BytesIO(b"{}"), "x.json")},
        content_type="multipart/form-data",
    )  # fmt: skip
    assert json_refused.status_code == 403
    other = scenario.client_for("administrateur")
    assert other.get(f"/admin/imports/{upload_id}").status_code == 200
    assert scenario.client_for("referent").get(f"/admin/imports/{upload_id}").status_code == 403


def test_upload_size_and_row_count_are_limited(
    scenario: Scenario, admin_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = scenario.client_for("administrateur")
    monkeypatch.setitem(admin_app.config, "ADMIN_IMPORT_MAX_BYTES", 1_000)
    too_big = client.post(
        "/admin/imports",
        data={"csrf_token": csrf_token(client, "/admin/imports"), "format": "csv",
              "file": (io.BytesIO(HEADER.encode() + b"x" * 2_000), "gros.csv")},
        content_type="multipart/form-data",
    )  # fmt: skip
    assert too_big.status_code == 413 and "Fichier trop gros" in too_big.text
    monkeypatch.setitem(admin_app.config, "ADMIN_IMPORT_MAX_BYTES", 1_000_000)
    monkeypatch.setitem(admin_app.config, "ADMIN_IMPORT_MAX_ROWS", 3)
    rows = "".join(
        line(kind="ccas", name=f"[Test] {n}", insee_code="62041", source="test-limite",
             source_id=n)
        for n in range(4)
    )  # fmt: skip
    upload_id = upload(client, (HEADER + rows).encode())
    page = client.get(f"/admin/imports/{upload_id}")
    assert page.status_code == 422 and "plus de 3 lignes" in page.text


def test_a_datainclusion_document_is_simulated_then_applied(scenario: Scenario) -> None:
    client = scenario.client_for("administrateur")
    good = {"id": "di-test-1", "source": "test", "nom": "[Test] Association d'aide",
            "code_insee": "62041", "commune": "Arras", "code_postal": "62000",
            "date_maj": "2026-11-01", "longitude": 2.70, "latitude": 50.35}  # fmt: skip
    broken = {"structures": [good, {"id": "di-test-2", "source": "test"}], "services": []}
    refused = upload(client, json.dumps(broken).encode(), "di.json", "datainclusion")
    page = html.unescape(client.get(f"/admin/imports/{refused}").text)
    assert "fichier refusé, rien n'a été modifié" in page
    assert "Appliquer l'import" not in page
    upload_id = upload(client, json.dumps({"structures": [good]}).encode(), "di.json",
                       "datainclusion")  # fmt: skip
    page = client.get(f"/admin/imports/{upload_id}").text
    assert "<td>sera créée</td>" in page
    assert count_source(scenario.session, "datainclusion-test") == 0
    assert apply(client, upload_id).status_code == 302
    assert count_source(scenario.session, "datainclusion-test") == 1
    entries = scenario.session.scalars(
        select(AuditEntry.action).where(AuditEntry.origin_detail == "di.json")
    ).all()
    assert sorted(entries) == ["import", "partner-import"]


def test_a_datainclusion_structure_with_a_known_siret_is_a_possible_duplicate(
    scenario: Scenario,
) -> None:
    """Another directory republishes one of our partners (our export without our extension,
    under its own name and id): its SIRET says it is the same structure."""
    session = scenario.session
    own = scenario.in_62
    own.siret = "21620041200013"  # made-up SIRET
    session.flush()
    (exported,) = json.loads(json.dumps(export_partners([own], session)))["structures"]
    structure = {key: value for key, value in exported.items() if key != EXTENSION_KEY}
    structure.update(source="autre-annuaire", id="autre--1", nom="[Test] Autre nom",
                     longitude=None, latitude=None)  # fmt: skip
    document = {"structures": [structure]}

    plan = plan_datainclusion(session, document, "autre.json", NOW).plan

    (row,) = plan.rows
    assert row.status is RowStatus.DUPLICATE
    assert [(c.partner_id, c.reason) for c in row.duplicates] == [(own.id, "même SIRET")]
    actor = Actor(None, "[Test] personne", Origin.IMPORT, "autre.json")
    apply_datainclusion(session, document, plan, frozenset({1}), actor, NOW)
    created = session.scalars(select(Partner).where(Partner.source_id == "autre--1")).one()
    assert created.siret == "21620041200013"


@pytest.mark.slow
def test_a_file_of_50_000_rows_is_simulated_and_applied_with_nothing_lost(
    scenario: Scenario,
) -> None:
    rows = "".join(
        line(kind="association", name=f"[Test] Lieu fictif n° {n}", postcode="62000",
             city="Arras", insee_code="62041", lon=f"{2.5 + (n % 250) * 0.002:.4f}",
             lat=f"{50.0 + (n // 250) * 0.002:.4f}", services="rsa:information",
             service_areas="commune:62041", source="test-50000", source_id=n,
             source_date="2026-12-01")
        for n in range(50_000)
    )  # fmt: skip
    client = scenario.client_for("administrateur")
    upload_id = upload(client, (HEADER + rows).encode(), "grand.csv")
    page = client.get(f"/admin/imports/{upload_id}")
    assert page.status_code == 200
    assert "<strong>50000</strong>" in page.text  # every row would be created
    assert apply(client, upload_id).status_code == 302
    assert count_source(scenario.session, "test-50000") == 50_000
    ids = set(scenario.session.scalars(
        select(Partner.source_id).where(Partner.source == "test-50000")
    ))  # fmt: skip
    assert ids == {str(n) for n in range(50_000)}


def test_uploads_past_their_retention_are_emptied_and_their_trail_kept(
    scenario: Scenario,
) -> None:
    client = scenario.client_for("administrateur")
    session = scenario.session
    good = line(**{**ARRAS, "source": "test-conservation"}, name="[Test] CCAS conservé",
                lon="2.78", lat="50.29", service_areas="commune:62041",
                source_id="c-1")  # fmt: skip
    applied = upload(client, (HEADER + good).encode(), "applique.csv")
    assert apply(client, applied).status_code == 302
    abandoned, recent = (upload(client, HEADER.encode(), n) for n in ("abandon.csv", "recent.csv"))
    days = int(scenario.app.config["IMPORT_UPLOAD_RETENTION_DAYS"])
    old = datetime.now(UTC) - timedelta(days=days + 1)
    for upload_id in (applied, abandoned):
        row = session.get(ImportUpload, upload_id)
        assert row is not None
        row.created_at = old
        row.applied_at = old if upload_id == applied else None
    session.commit()

    result = scenario.app.test_cli_runner().invoke(args=["imports", "purge-uploads"])

    assert result.exit_code == 0, result.output
    assert f"(conservation : {days} jours" in result.output
    session.expire_all()
    rows = {u.id: u for u in session.scalars(select(ImportUpload))}
    assert [rows[i].content == b"" for i in (applied, abandoned, recent)] == [True, True, False]
    assert rows[applied].file_name == "applique.csv" and rows[applied].applied_at is not None
    assert rows[recent].purged_at is None
    purge = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "upload-contents-erased")
    ).one()
    assert purge.origin == "commande"
    assert sorted(after for _, after in purge.changes.values()) == [
        f"abandon.csv (csv), déposé le {old:%Y-%m-%d} par administrateur@exemple.test, "
        "jamais appliqué",
        f"applique.csv (csv), déposé le {old:%Y-%m-%d} par administrateur@exemple.test, "
        f"appliqué le {old:%Y-%m-%d}",
    ]
    import_entry = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "import", AuditEntry.origin_detail
                                 == "applique.csv")
    ).one()  # fmt: skip
    assert "1 créées" in import_entry.summary
    gone = client.get(f"/admin/imports/{applied}")
    assert gone.status_code == 410
    assert "durée de conservation" in html.unescape(gone.text)
    listing = html.unescape(client.get("/admin/imports").text)
    assert "contenu effacé le" in listing
