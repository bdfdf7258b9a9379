from __future__ import annotations

from sqlalchemy import Engine, inspect

from geodata.database import check_spatial_backend
from geodata.schema import check_database, downgrade_database, upgrade_database

EXPECTED_TABLES = {
    "address", "bus_route", "bus_stop", "bus_visit", "closure", "commune", "departement",
    "epci", "former_commune", "partner", "right", "served_commune", "service", "service_area",
}  # fmt: skip


def test_migrations_build_the_schema_from_empty(empty_engine: Engine) -> None:
    assert check_spatial_backend(empty_engine)
    upgrade_database(empty_engine)
    assert set(inspect(empty_engine).get_table_names()) >= EXPECTED_TABLES
    check_database(empty_engine)


def test_migrations_go_down_to_empty_and_up_again(empty_engine: Engine) -> None:
    upgrade_database(empty_engine)
    downgrade_database(empty_engine, "base")
    assert not EXPECTED_TABLES & set(inspect(empty_engine).get_table_names())
    upgrade_database(empty_engine)
    check_database(empty_engine)


def test_the_unused_import_run_table_is_dropped_and_comes_back_on_downgrade(
    empty_engine: Engine,
) -> None:
    upgrade_database(empty_engine, "0003")
    assert "import_run" in inspect(empty_engine).get_table_names()
    upgrade_database(empty_engine)
    assert "import_run" not in inspect(empty_engine).get_table_names()
    downgrade_database(empty_engine, "0003")
    assert "import_run" in inspect(empty_engine).get_table_names()
    upgrade_database(empty_engine)
    check_database(empty_engine)
