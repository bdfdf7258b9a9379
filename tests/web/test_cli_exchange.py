"""``aiguillage exchange …`` on the loaded directory (the import only in --dry-run here:
real imports are tested in tests/directory/exchange on rolled-back sessions)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from flask import Flask

from directory.exchange.schema import schema_errors


def test_exports_write_files_and_say_how_many(api_app: Flask, tmp_path: Path) -> None:
    runner = api_app.test_cli_runner()
    paths = {name: tmp_path / name for name in ("di.json", "annuaire.csv", "carte.geojson")}

    results = [
        runner.invoke(args=["exchange", "export-datainclusion", str(paths["di.json"])]),
        runner.invoke(args=["exchange", "export-csv", str(paths["annuaire.csv"])]),
        runner.invoke(args=["exchange", "export-geojson", str(paths["carte.geojson"])]),
    ]

    assert [r.exit_code for r in results] == [0, 0, 0], [r.output for r in results]
    document = json.loads(paths["di.json"].read_text(encoding="utf-8"))
    count = len(document["structures"])
    assert f"{count} structures" in results[0].output
    assert schema_errors("structure", document["structures"][0]) == []
    with paths["annuaire.csv"].open(encoding="utf-8", newline="") as handle:
        assert len(list(csv.DictReader(handle))) == count
    collection = json.loads(paths["carte.geojson"].read_text(encoding="utf-8"))
    assert len(collection["features"]) == count


def test_dry_run_import_of_our_own_export_reports_everything_unchanged(
    api_app: Flask, tmp_path: Path
) -> None:
    runner = api_app.test_cli_runner()
    path = tmp_path / "di.json"
    assert runner.invoke(args=["exchange", "export-datainclusion", str(path)]).exit_code == 0
    structures = len(json.loads(path.read_text(encoding="utf-8"))["structures"])

    result = runner.invoke(args=["exchange", "import-datainclusion", str(path), "--dry-run"])

    assert result.exit_code == 0, result.output
    assert f"0 créées, 0 mises à jour, {structures} inchangées, 0 rejetées" in result.output
    assert "NON appliqué" in result.output


def test_a_file_that_is_not_json_is_refused_clearly(api_app: Flask, tmp_path: Path) -> None:
    path = tmp_path / "faux.json"
    path.write_text("ceci n'est pas du JSON", encoding="utf-8")
    result = api_app.test_cli_runner().invoke(args=["exchange", "import-datainclusion", str(path)])
    assert result.exit_code == 1
    assert "n'est pas un JSON UTF-8 valide" in result.output


def test_a_refused_file_changes_nothing_and_prints_the_report(
    api_app: Flask, tmp_path: Path
) -> None:
    path = tmp_path / "mauvais.json"
    path.write_text(json.dumps({"structures": [{"id": "x"}] * 3}), encoding="utf-8")
    result = api_app.test_cli_runner().invoke(args=["exchange", "import-datainclusion", str(path)])
    assert result.exit_code == 1
    assert "fichier refusé" in result.output
    assert "champ obligatoire absent" in result.output
