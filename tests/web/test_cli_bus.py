"""``aiguillage bus import`` on the loaded database: the example file in --dry-run (real
imports are tested in tests/routing/bus on rolled-back sessions) and a refused file."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from sqlalchemy import Engine, func, select

from geodata.database import make_session_factory
from routing.bus.models import BusRoute, BusVisit

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "examples" / "bus_des_droits_exemple.csv"


def bus_rows(engine: Engine) -> tuple[int, int]:
    with make_session_factory(engine)() as session:
        return (
            session.scalar(select(func.count()).select_from(BusRoute)) or 0,
            session.scalar(select(func.count()).select_from(BusVisit)) or 0,
        )


def test_dry_run_of_the_example_reports_and_writes_nothing(
    api_app: Flask, loaded_engine: Engine
) -> None:
    with make_session_factory(loaded_engine)() as session:  # the bundled import never loads it
        assert (
            session.scalar(select(BusRoute).where(BusRoute.code == "exemple-arrageois-sud")) is None
        )
    before = bus_rows(loaded_engine)
    result = api_app.test_cli_runner().invoke(args=["bus", "import", str(EXAMPLE), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "bus-des-droits (bus_des_droits_exemple.csv) : 12 lignes lues, 9 créées" in result.output
    assert "NON appliqué" in result.output and "rien n'a été enregistré" in result.output
    assert bus_rows(loaded_engine) == before


def test_a_bad_file_is_refused_with_its_rows_and_nothing_is_written(
    api_app: Flask, loaded_engine: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "faux.csv"
    path.write_text(
        "type,tournee,arret,nom,code_insee\n"
        "tournee,t1,,[Test] Tournée,\n"
        "arret,t1,a1,[Test] Arrêt,62041\n"
        "arret,t1,a2,[Test] Arrêt,00000\n",
        encoding="utf-8",
    )
    before = bus_rows(loaded_engine)
    result = api_app.test_cli_runner().invoke(args=["bus", "import", str(path)])
    assert result.exit_code == 1
    assert "ligne 2 : colonne « source » obligatoire" in result.output
    assert "ligne 4 : code INSEE inconnu « 00000 »" in result.output
    assert "fichier refusé, rien n'a été modifié" in result.output
    assert bus_rows(loaded_engine) == before
