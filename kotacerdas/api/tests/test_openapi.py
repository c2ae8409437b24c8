"""The OpenAPI document, tested against the API itself with schemathesis on the demo data.

Every operation gets generated requests (valid and invalid parameters and bodies) as the demo
region's admin with a read and write token (the evaluation writes, which only the ministry may
make, as the demo's ministry staff, so that they reach the services rather than only 403s); each
answer must be no 500, and match the document (status code, content type, body schema,
headers). Path codes are pinned to the demo region half the time, so the lists and writes reach
real rows rather than only 404s. The number of examples is bounded
(``KOTACERDAS_SCHEMATHESIS_EXAMPLES``, 8 by default) so the module runs in well under a minute.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import checks

from kotacerdas.api import services
from tests.support import snapshot
from tests.support.shared import per_test, shared_data

EXAMPLES = int(os.environ.get("KOTACERDAS_SCHEMATHESIS_EXAMPLES", "8"))
SOLOK = "13.72"

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
# The coverage phase (every boundary of every parameter) runs with KOTACERDAS_SCHEMATHESIS_COVERAGE=1;
# it takes minutes, so by default only the bounded fuzzing and examples run.
schema.config.phases.coverage.enabled = os.environ.get("KOTACERDAS_SCHEMATHESIS_COVERAGE") == "1"
# What the issue asks: no 500s, and answers as documented. (Whether generated invalid input is
# refused is checked by the API's own tests: pydantic reads "0" as a date-time, which
# schemathesis' negative-data check would call a bug.)
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.response_headers_conformance,
]


def _build() -> dict[str, str]:
    from kotacerdas.accounts.models import User

    snapshot.demo()
    users = {"admin": User.objects.get(username="solok.admin"), "ministry": User.objects.get(username="kementerian")}
    return {
        who: services.create_token(actor=None, user=user, data={"name": "schemathesis", "scope": "write"}).secret
        for who, user in users.items()
    }


@pytest.fixture(scope="module")
def _demo_token(django_db_setup: Any, django_db_blocker: Any) -> Any:
    yield from shared_data(django_db_blocker, _build)


@pytest.fixture
def connection_kept() -> Iterator[None]:
    """schemathesis calls the WSGI application itself, not through Django's test client, so the
    end of each request would close the database connection (on PostgreSQL, with the test's
    transaction in it). Keep it open, as the test client does."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def demo_token(_demo_token: dict[str, str], request: pytest.FixtureRequest, db: Any, settings: Any) -> dict[str, str]:
    settings.API_RATE = 1_000_000
    return per_test(_demo_token, request)


def test_the_document_is_openapi_3_1_and_public(client: Any, db: Any) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.1")
    assert "/api/v1/regions/{code}/programmes" in document["paths"]
    problem = document["paths"]["/api/v1/regions/{code}/updates"]["post"]["responses"]["409"]
    assert "application/problem+json" in problem["content"]


def test_the_reference_page_lists_every_operation_without_scripts(client: Any, db: Any) -> None:
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    assert b"/api/v1/regions/{code}/programmes" in response.content
    assert b"<script" not in response.content.split(b"<main", 1)[1]


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_the_api_keeps_to_its_document(case: Any, demo_token: dict[str, str], connection_kept: None) -> None:
    # A stable choice (zlib, not hash(), which changes with each process).
    if "code" in (case.path_parameters or {}) and zlib.crc32(str(case.path_parameters).encode()) % 2 == 0:
        case.path_parameters["code"] = SOLOK
    writes_evaluation = "/evaluations" in case.path and case.method.upper() != "GET"
    token = demo_token["ministry" if writes_evaluation else "admin"]
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
