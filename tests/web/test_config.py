"""Configuration documents itself: one table of settings, typed environment values."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest
from flask import Flask

from geodata.geocoding.ban_api import BanApiGeocoder
from geodata.osrm import OsrmTravelTimes
from web.api import API_CONFIG
from web.app import create_app
from web.compression import COMPRESSION_CONFIG
from web.config import (
    DEFAULTS,
    SETTINGS,
    SETTINGS_BY_KEY,
    InvalidSetting,
    Setting,
    load_config,
    parse_setting,
    settings_markdown,
)

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "CONFIGURATION.md"
READ_KEY = re.compile(r"""(?:config(?:\.get)?[\[(]|\(config, )\s*["']([A-Z][A-Z0-9_]*)["']""")


def load(tmp_path: Path, **environ: str) -> dict[str, object]:
    return load_config(tmp_path, None, {f"AIGUILLAGE_{k}": v for k, v in environ.items()})


def test_an_environment_value_takes_the_type_of_its_default(tmp_path: Path) -> None:
    config = load(
        tmp_path,
        RATE_LIMIT_PER_MINUTE=" 120 ",
        GEOCODER_TIMEOUT_S="0.5",
        RESPONSE_CACHE_TTL_S="30",
        GEOCODER_URL="https://data.geopf.fr/geocodage",
    )
    assert config["RATE_LIMIT_PER_MINUTE"] == 120
    assert isinstance(config["RATE_LIMIT_PER_MINUTE"], int)
    assert config["GEOCODER_TIMEOUT_S"] == 0.5
    assert config["RESPONSE_CACHE_TTL_S"] == 30.0
    assert isinstance(config["RESPONSE_CACHE_TTL_S"], float)
    assert config["GEOCODER_URL"] == "https://data.geopf.fr/geocodage"


def test_defaults_apply_and_explicit_values_win_over_the_environment(tmp_path: Path) -> None:
    config = load_config(
        tmp_path,
        {"RATE_LIMIT_PER_MINUTE": 7},
        {"AIGUILLAGE_RATE_LIMIT_PER_MINUTE": "120", "AIGUILLAGE_RESPONSE_CACHE_SIZE": "0"},
    )
    assert config["RATE_LIMIT_PER_MINUTE"] == 7
    assert config["RESPONSE_CACHE_SIZE"] == 0
    assert config["RATE_LIMIT_PROXY_HOPS"] == DEFAULTS["RATE_LIMIT_PROXY_HOPS"] == 0
    assert config["DATABASE_URL"] == f"sqlite:///{tmp_path / 'aiguillage.db'}"
    assert config["SEARCH_INDEX_DIR"] == str(tmp_path / "search-index")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("0", False), ("true", True), ("False", False), ("OUI", True), (" non ", False)],
)
def test_booleans_are_read_in_french_or_english(raw: str, expected: bool) -> None:
    assert parse_setting(Setting("MAP_ENABLED", False, "Carte."), raw) is expected


@pytest.mark.parametrize(
    ("key", "raw", "expected"),
    [
        ("RATE_LIMIT_PER_MINUTE", "beaucoup", "nombre entier"),
        ("RATE_LIMIT_PER_MINUTE", "2.5", "nombre entier"),
        ("GEOCODER_TIMEOUT_S", "deux", "nombre"),
        ("GEOCODER_TIMEOUT_S", "nan", "nombre"),
        ("GEOCODER_TIMEOUT_S", "", "nombre"),
    ],
)
def test_a_bad_value_names_its_variable(tmp_path: Path, key: str, raw: str, expected: str) -> None:
    with pytest.raises(InvalidSetting) as caught:
        load(tmp_path, **{key: raw})
    assert str(caught.value).startswith(f"AIGUILLAGE_{key} doit être un {expected}")
    assert f"« {raw} »" in str(caught.value)


def test_a_bad_boolean_lists_the_accepted_words() -> None:
    with pytest.raises(InvalidSetting, match=r"AIGUILLAGE_MAP_ENABLED .*oui, non"):
        parse_setting(Setting("MAP_ENABLED", True, "Carte."), "peut-être")


def test_the_application_refuses_to_start_on_a_bad_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIGUILLAGE_RESPONSE_CACHE_SIZE", "beaucoup")
    with pytest.raises(InvalidSetting, match="AIGUILLAGE_RESPONSE_CACHE_SIZE"):
        create_app({"DATABASE_URL": "sqlite://"})


def test_other_aiguillage_variables_are_not_settings(tmp_path: Path) -> None:
    config = load(tmp_path, TEST_POSTGRES_ADMIN_URL="postgresql://localhost/x")
    assert "TEST_POSTGRES_ADMIN_URL" not in config


def test_every_setting_has_a_type_and_a_one_line_description() -> None:
    assert len(SETTINGS_BY_KEY) == len(SETTINGS)
    for setting in SETTINGS:
        assert setting.kind in (str, int, float, bool), setting.key
        assert setting.description.strip() and "\n" not in setting.description, setting.key


def test_the_documentation_shows_the_table_of_settings() -> None:
    text = DOC.read_text(encoding="utf-8")
    block = text.split("-->\n", 1)[1].split("<!-- settings:end -->", 1)[0]
    assert block == settings_markdown(), (
        "docs/CONFIGURATION.md est périmé : remplacez le tableau par la sortie de "
        "`.venv/bin/python -m web.config`"
    )
    for setting in SETTINGS:
        assert f"`{setting.env_name}`" in text


def test_every_key_the_code_reads_is_a_setting() -> None:
    """No module reads a configuration key with a default of its own, or an undocumented one."""
    known = set(SETTINGS_BY_KEY) | set(API_CONFIG) | set(COMPRESSION_CONFIG)
    known |= set(Flask.default_config)
    sources = [*(ROOT / "web").rglob("*.py"), *(ROOT / "admin").rglob("*.py")]
    sources.append(ROOT / "geodata" / "providers.py")
    read = {
        (path.relative_to(ROOT).as_posix(), key)
        for path in sources
        for key in READ_KEY.findall(path.read_text(encoding="utf-8"))
    }
    assert ("web/api/providers.py", "SEARCH_MATCH_CACHE_CANDIDATES") in read
    assert ("geodata/providers.py", "GEOCODER_TIMEOUT_S") in read
    assert sorted((path, key) for path, key in read if key not in known) == []


def test_the_providers_default_to_the_documented_values() -> None:
    """geodata's constructors keep their own defaults for callers without this table."""
    ban = inspect.signature(BanApiGeocoder).parameters
    osrm = inspect.signature(OsrmTravelTimes).parameters
    assert DEFAULTS["GEOCODER_TIMEOUT_S"] == ban["timeout_s"].default
    assert DEFAULTS["GEOCODER_RETRIES"] == ban["retries"].default
    assert DEFAULTS["GEOCODER_COOLDOWN_S"] == ban["cooldown_s"].default
    assert DEFAULTS["OSRM_TIMEOUT_S"] == osrm["timeout_s"].default
