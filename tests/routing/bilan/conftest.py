"""OpenFisca-France is loaded once for the whole test session (it takes seconds)."""

from __future__ import annotations

from typing import Any

import pytest

from routing.bilan.openfisca import OpenFiscaFrance, france_system


@pytest.fixture(scope="session")
def france() -> Any:
    """The tax-benefit system, shared with every other test of the process."""
    return france_system()


@pytest.fixture(scope="session")
def openfisca(france: Any) -> OpenFiscaFrance:
    return OpenFiscaFrance()
