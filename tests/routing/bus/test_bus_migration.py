"""Migration 0006 (recurrence rules, edits, on-board) keeps the bus rows already stored, up
and down, on SpatiaLite and PostGIS (SQLite rebuilds ``bus_visit`` on the way)."""

from __future__ import annotations

from sqlalchemy import Engine, inspect, text

from geodata.schema import downgrade_database, upgrade_database
from tests.conftest import backend_name

NEW_TABLES = {"bus_schedule", "bus_schedule_right", "bus_schedule_partner"} | {
    "bus_visit_right",
    "bus_visit_partner",
}


def _insert_old_rows(engine: Engine) -> None:
    point = (
        "MakePoint(2.7775, 50.291, 4326)"
        if backend_name(engine) == "spatialite"
        else "ST_SetSRID(ST_MakePoint(2.7775, 50.291), 4326)"
    )
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO departement (code, name, zone) VALUES ('62', 'Pas-de-Calais', 'metro')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO commune (insee_code, name, kind, departement_code, postal_codes, zone)"
                " VALUES ('62041', 'Arras', 'commune-actuelle', '62', '62000', 'metro')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO bus_route (id, name, source, is_demo)"
                " VALUES (1, '[Test] Tournée', 'test-fixture', true)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO bus_stop (id, route_id, name, insee_code, location)"
                f" VALUES (1, 1, '[Test] Place', '62041', {point})"
            )
        )
        connection.execute(
            text(
                "INSERT INTO bus_visit (id, stop_id, starts_at, ends_at, status, note) VALUES"
                " (1, 1, '2026-03-10 08:00:00+00:00', '2026-03-10 11:00:00+00:00',"
                " 'cancelled', 'Panne')"
            )
        )


def _rows(engine: Engine) -> list[tuple[object, ...]]:
    with engine.connect() as connection:
        return [
            tuple(row)
            for row in connection.execute(
                text(
                    "SELECT r.name, s.name, v.status, v.note FROM bus_visit v"
                    " JOIN bus_stop s ON s.id = v.stop_id JOIN bus_route r ON r.id = s.route_id"
                )
            )
        ]


def test_bus_rows_survive_migration_0006_up_and_down(empty_engine: Engine) -> None:
    upgrade_database(empty_engine, "0005")
    _insert_old_rows(empty_engine)
    before = _rows(empty_engine)
    assert before == [("[Test] Tournée", "[Test] Place", "cancelled", "Panne")]
    upgrade_database(empty_engine, "0006")
    assert set(inspect(empty_engine).get_table_names()) >= NEW_TABLES
    assert _rows(empty_engine) == before
    with empty_engine.connect() as connection:
        assert connection.execute(text("SELECT holiday_rule, code FROM bus_route")).one() == (
            "skip",
            None,
        )
        is_edited = connection.execute(text("SELECT is_edited FROM bus_visit")).scalar_one()
        assert not is_edited
    downgrade_database(empty_engine, "0005")
    assert not NEW_TABLES & set(inspect(empty_engine).get_table_names())
    assert _rows(empty_engine) == before
    columns = {c["name"] for c in inspect(empty_engine).get_columns("bus_visit")}
    assert "schedule_id" not in columns and "is_edited" not in columns
