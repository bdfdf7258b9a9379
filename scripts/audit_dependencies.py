"""Known vulnerabilities of the installed Python packages (pip-audit), for ``make audit``.

pip-audit asks a vulnerability service (PyPI's JSON API by default) about every installed
distribution. Three outcomes, told apart here because pip-audit alone blurs them:

* **vulnerabilities found** (not listed in ``ACCEPTED`` with a reason): exit 1, always;
* **nothing could be checked**: the service is unreachable, or answers "not found" for the
  packages (a package proxy that serves the simple index but not the JSON API does that,
  and pip-audit then says "No known vulnerabilities found" while it checked nothing). That
  is reported loudly, and fails only when ``AUDIT_REQUIRED=1``: a test suite that fails
  because somebody else's service is down teaches people to ignore failures; a connected
  CI sets ``AUDIT_REQUIRED=1`` so that an audit that could not run is a failure there;
* **checked, nothing known**: exit 0.

Usage: ``.venv/bin/python scripts/audit_dependencies.py`` (``make audit``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field

# Vulnerability id → why it does not apply to Aiguillage (reviewed by a person, dated).
ACCEPTED: dict[str, str] = {}
UNCHECKED_SHARE = 0.5  # more than this share of packages not checked: the audit did not run


@dataclass
class Verdict:
    vulnerable: list[str] = field(default_factory=list)
    unchecked: list[str] = field(default_factory=list)
    checked: int = 0
    error: str = ""

    @property
    def ran(self) -> bool:
        total = self.checked + len(self.unchecked)
        return not self.error and total > 0 and len(self.unchecked) <= UNCHECKED_SHARE * total


def read_report(returncode: int, stdout: str, stderr: str) -> Verdict:
    """The verdict of one ``pip-audit --format json`` run."""
    verdict = Verdict()
    try:
        report = json.loads(stdout)
    except ValueError:
        last = (stderr.strip().splitlines() or [f"code de sortie {returncode}"])[-1]
        verdict.error = last[:300]
        return verdict
    for dependency in report.get("dependencies", []):
        name = f"{dependency.get('name')} {dependency.get('version', '')}".strip()
        reason = dependency.get("skip_reason")
        if reason:
            if "editable" not in reason:  # the project itself: nothing to look up
                verdict.unchecked.append(name)
            continue
        verdict.checked += 1
        for vulnerability in dependency.get("vulns", []):
            if vulnerability.get("id") in ACCEPTED:
                continue
            fixes = ", ".join(vulnerability.get("fix_versions") or []) or "aucune"
            verdict.vulnerable.append(f"{name} : {vulnerability.get('id')} (corrigé en : {fixes})")
    return verdict


def main() -> int:
    command = [
        sys.executable, "-m", "pip_audit", "--format", "json", "--progress-spinner", "off",
        "--skip-editable",
    ]  # fmt: skip
    try:
        run = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
        verdict = read_report(run.returncode, run.stdout, run.stderr)
    except subprocess.TimeoutExpired:
        verdict = Verdict(error="le service n'a pas répondu en 300 s")
    if verdict.vulnerable:
        print("Vulnérabilités connues dans les paquets installés :")
        for line in verdict.vulnerable:
            print(f"  - {line}")
        print("Mettez ces paquets à jour (pyproject.toml), ou justifiez l'exception dans "
              "scripts/audit_dependencies.py (ACCEPTED).")  # fmt: skip
        return 1
    if not verdict.ran:
        cause = verdict.error or (
            f"{len(verdict.unchecked)} paquets sur {verdict.checked + len(verdict.unchecked)} "
            "inconnus du service (index de paquets sans API JSON ?)"
        )
        print(f"ATTENTION : audit des dépendances impossible — {cause}. Rien n'a été vérifié.")
        if os.environ.get("AUDIT_REQUIRED") == "1":
            return 1
        print("(non bloquant ; AUDIT_REQUIRED=1 le rend bloquant, par exemple en CI connectée)")
        return 0
    print(f"Audit des dépendances : {verdict.checked} paquets vérifiés, aucune vulnérabilité "
          "connue.")  # fmt: skip
    if verdict.unchecked:
        print(f"  (non vérifiés : {', '.join(verdict.unchecked)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
