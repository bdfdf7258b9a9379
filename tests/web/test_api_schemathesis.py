"""Property-based contract test: schemathesis over real HTTP on 127.0.0.1, both backends.

Every operation of the OpenAPI document gets up to 25 generated requests (valid by the
document); no answer may be a 5xx, and every answer must match the document (status,
content type, headers, body schema). The exports are left out here: they return the whole
directory (seconds each) and are tested in test_api_exports.py. The bilan (POST /bilan) runs
an OpenFisca-France simulation of about a second for each valid situation: it gets its own,
smaller budget of `BILAN_EXAMPLES` requests.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.exceptions import CheckFailed
from schemathesis.specs.openapi.schemas import BaseOpenAPISchema

MAX_EXAMPLES = 25
BILAN_EXAMPLES = 8
SETTINGS = {
    "deadline": None,
    "derandomize": True,
    "suppress_health_check": list(HealthCheck),
    "report_multiple_bugs": False,
}


@pytest.fixture
def api_schema(api_url: str) -> BaseOpenAPISchema:
    return schemathesis.from_uri(f"{api_url}/api/v1/openapi.json", base_url=api_url)


schema = schemathesis.from_pytest_fixture("api_schema")


@schema.exclude(path_regex=r"^/api/v1/(exports/|bilan$)").parametrize()
@settings(max_examples=MAX_EXAMPLES, **SETTINGS)
def test_api_answers_match_the_openapi_document(case: schemathesis.Case) -> None:
    check(case)


@schema.include(path_regex=r"^/api/v1/bilan$").parametrize()
@settings(max_examples=BILAN_EXAMPLES, **SETTINGS)
def test_bilan_answers_match_the_openapi_document(case: schemathesis.Case) -> None:
    check(case)


def check(case: schemathesis.Case) -> None:
    response = case.call(timeout=60)
    try:
        case.validate_response(response)
    except CheckFailed as failed:
        # A plain assertion: schemathesis' pytest plug-in reports a check failure found by
        # Hypothesis as « 0 distinct sets of failures » with our Hypothesis release, losing it.
        raise AssertionError(
            f"{case.operation.verbose_name} : {failed}\n"
            f"Réponse {response.status_code} {response.headers.get('Content-Type')}, "
            f"{len(response.content)} octets : {response.text[:2000]}\n"
            f"Reproduire : {case.as_curl_command()}"
        ) from None
