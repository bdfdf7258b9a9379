"""Domain errors are mapped to HTTP statuses by class, in one table (web/errors.py)."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from flask import Flask

import directory
import geodata
import routing
from directory.errors import DirectoryError, PartnerNotFound
from directory.search.errors import IndexUnavailable, InvalidSearch
from geodata.errors import GeodataError
from routing.errors import RoutingError
from web.errors import FRENCH_TITLES, STATUS_BY_ERROR, register_error_handlers, status_for

BASE_ERRORS: tuple[type[Exception], ...] = (DirectoryError, GeodataError, RoutingError)
PACKAGES = (geodata, directory, routing)


def domain_error_classes() -> set[type[Exception]]:
    """Every subclass of the packages' base errors, once every module has been imported."""
    for package in PACKAGES:
        for module in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            importlib.import_module(module.name)
    found: set[type[Exception]] = set()
    pending = list(BASE_ERRORS)
    while pending:
        for subclass in pending.pop().__subclasses__():
            in_packages = subclass.__module__.split(".")[0] in {p.__name__ for p in PACKAGES}
            if subclass not in found and in_packages:
                found.add(subclass)
                pending.append(subclass)
    return found


def test_every_domain_error_class_has_a_status() -> None:
    classes = domain_error_classes()
    assert PartnerNotFound in classes and IndexUnavailable in classes
    missing = sorted(
        f"{cls.__module__}.{cls.__qualname__}" for cls in classes if not status_for(cls)
    )
    assert missing == [], f"à ajouter à web.errors.STATUS_BY_ERROR : {missing}"


def test_base_errors_have_no_status_of_their_own() -> None:
    """Otherwise every new class would silently inherit it and the check above could not fail."""
    assert [status_for(base) for base in BASE_ERRORS] == [None, None, None]


def test_every_mapped_status_has_a_french_title() -> None:
    assert {status for status in STATUS_BY_ERROR.values() if status not in FRENCH_TITLES} == set()


def test_a_subclass_takes_the_status_of_its_nearest_mapped_ancestor() -> None:
    class NarrowerSearch(InvalidSearch):
        code = "narrower_search"

    class MissingPartnerKind(PartnerNotFound):
        code = "missing_partner_kind"

    assert status_for(NarrowerSearch) == 422
    assert status_for(MissingPartnerKind) == 404
    assert status_for(IndexUnavailable) == 503  # its own entry wins over SearchError's 422


class UnmappedError(DirectoryError):
    code = "unmapped"


@pytest.fixture
def error_app() -> Flask:
    app = Flask(__name__)
    register_error_handlers(app)

    @app.get("/api/unmapped")
    def _unmapped() -> str:
        raise UnmappedError("Jamais vue.")

    @app.get("/api/index")
    def _index() -> str:
        raise IndexUnavailable("L'index de recherche n'est pas construit.")

    @app.get("/api/search")
    def _search() -> str:
        raise InvalidSearch("Paramètres de recherche invalides.", {"page": ["Trop loin."]})

    return app


def test_an_unmapped_domain_error_is_an_internal_error_with_a_reference(error_app: Flask) -> None:
    response = error_app.test_client().get("/api/unmapped")
    body = response.get_json()
    assert response.status_code == 500
    assert body["code"] == "internal_error"
    assert body["request_id"] in body["detail"]
    assert "Jamais vue" not in body["detail"]


def test_a_server_side_domain_error_keeps_its_message_and_gets_a_reference(
    error_app: Flask,
) -> None:
    body = error_app.test_client().get("/api/index").get_json()
    assert body["status"] == 503
    assert body["title"] == "Service indisponible"
    assert body["code"] == "search_index_unavailable"
    assert body["detail"] == "L'index de recherche n'est pas construit."
    assert len(body["request_id"]) == 12


def test_a_client_side_domain_error_carries_its_field_errors(error_app: Flask) -> None:
    body = error_app.test_client().get("/api/search").get_json()
    assert (body["status"], body["title"], body["code"]) == (
        422,
        "Données invalides",
        "invalid_search",
    )
    assert body["errors"] == {"page": ["Trop loin."]}
    assert "request_id" not in body
