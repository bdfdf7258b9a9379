"""Headless Debian Chromium, driven from the command line (no network but loopback)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

ARTIFACTS_DIR = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--lang=fr-FR",
)


def chromium_binary() -> str:
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary is None:
        pytest.fail("Chromium est absent : `make test` installe le paquet Debian chromium.")
    return binary


def _run(*arguments: str) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [chromium_binary(), *FLAGS, f"--user-data-dir={profile}", *arguments],
            capture_output=True,
            text=True,
            timeout=90,
            check=True,
        )


def dump_dom(url: str) -> str:
    """The page's DOM after its scripts ran."""
    return _run("--virtual-time-budget=5000", "--dump-dom", url).stdout


def screenshot(url: str, name: str, width: int = 1280, height: int = 900) -> Path:
    """Save a PNG of the page under artifacts/screenshots/ and return its path."""
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS_DIR / f"{name}.png"
    _run(
        f"--window-size={width},{height}", "--virtual-time-budget=5000", f"--screenshot={path}", url
    )
    return path
