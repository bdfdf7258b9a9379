"""OpenFisca-France's tax-benefit system, loaded on first use and kept for the process.

It takes seconds and about 150 MB: one load per worker (or per test session), never one per
request.
"""

from __future__ import annotations

import threading
from importlib import metadata
from typing import Any

ENGINE_NAME = "OpenFisca-France"
ENGINE_DISTRIBUTION = "openfisca-france"
_LOCK = threading.Lock()
_SYSTEM: list[Any] = []


def france_system() -> Any:
    """OpenFisca-France's tax-benefit system, loaded on first use, once per process."""
    with _LOCK:
        if not _SYSTEM:
            from openfisca_france import FranceTaxBenefitSystem  # heavy: only when needed

            _SYSTEM.append(FranceTaxBenefitSystem())
        return _SYSTEM[0]


def engine_version() -> str:
    return metadata.version(ENGINE_DISTRIBUTION)
