"""`make audit` tells a vulnerable package, an audit that could not run, and a clean one
apart (scripts/audit_dependencies.py); pip-audit alone says "No known vulnerabilities
found" when its service knew none of the packages."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "audit_dependencies.py"


@pytest.fixture(scope="module")
def audit() -> ModuleType:
    spec = importlib.util.spec_from_file_location("audit_dependencies", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being made
    spec.loader.exec_module(module)
    return module


def report(*dependencies: dict[str, Any]) -> str:
    return json.dumps({"dependencies": list(dependencies), "fixes": []})


CLEAN = {"name": "flask", "version": "3.1.3", "vulns": []}
PROJECT = {"name": "aiguillage", "skip_reason": "distribution marked as editable"}
NOT_FOUND = {
    "name": "gunicorn",
    "skip_reason": "Dependency not found on PyPI and could not be audited: gunicorn (27.0.1)",
}


def test_a_known_vulnerability_is_reported(audit: ModuleType) -> None:
    vulnerable = {
        "name": "gunicorn",
        "version": "21.2.0",
        "vulns": [{"id": "GHSA-w3h3-4rj7-4ph4", "fix_versions": ["22.0.0"]}],
    }
    verdict = audit.read_report(1, report(CLEAN, vulnerable, PROJECT), "")
    assert verdict.ran
    assert verdict.vulnerable == ["gunicorn 21.2.0 : GHSA-w3h3-4rj7-4ph4 (corrigé en : 22.0.0)"]


def test_packages_unknown_to_the_service_mean_the_audit_did_not_run(audit: ModuleType) -> None:
    verdict = audit.read_report(0, report(CLEAN, NOT_FOUND, NOT_FOUND, PROJECT), "")
    assert not verdict.vulnerable
    assert not verdict.ran
    assert verdict.unchecked == ["gunicorn", "gunicorn"]


def test_an_unreachable_service_means_the_audit_did_not_run(audit: ModuleType) -> None:
    verdict = audit.read_report(
        1, "", "requests.exceptions.ConnectionError: Failed to resolve 'api.osv.dev'\n"
    )
    assert not verdict.ran and "ConnectionError" in verdict.error


def test_a_checked_environment_without_known_vulnerability_passes(audit: ModuleType) -> None:
    verdict = audit.read_report(0, report(CLEAN, CLEAN, PROJECT), "")
    assert verdict.ran and not verdict.vulnerable and verdict.checked == 2
