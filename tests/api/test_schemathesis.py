"""Schemathesis against the live test server: whatever it sends, anonymously or with an API
key, no answer is a server error, and every answer is one the OpenAPI document describes
(its status, media type, headers and body).

Each operation gets a bounded number of generated requests (valid and invalid ones), so the
whole file stays within about a minute.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from pregon.api import SNAPSHOT
from tests import factories
from tests.api.conftest import ALL_BUYER_SCOPES, bearer

pytestmark = pytest.mark.django_db(transaction=True)

schema = schemathesis.openapi.from_dict(json.loads(SNAPSHOT.read_text(encoding="utf-8")))

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# Seconds a request may take before it counts as a failure (rather than hanging the suite).
TIMEOUT = 30
EXAMPLES = settings(
    max_examples=20,
    deadline=None,
    # The live server and the database are shared by every example, on purpose.
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def world(settings: Any, issue_key: Callable[..., str]) -> str:
    """Published and draft tenders with questions, a supplier, and a buyer's API key holding
    every scope (whose writes are not rate limited here); returns the key."""
    settings.PREGON_API_WRITE_RATE = "100000/m"
    settings.PREGON_QUESTION_RATE = "100000/h"
    buyer, supplier = factories.BuyerFactory(), factories.SupplierFactory()
    factories.TenderDraftFactory(buyer=buyer)
    factories.TenderOpenFactory(buyer=buyer)
    factories.TenderClosedFactory(buyer=buyer)
    factories.TenderCancelledFactory(buyer=buyer)
    del supplier
    return issue_key(buyer, ALL_BUYER_SCOPES)


@schema.parametrize()
@EXAMPLES
def test_every_answer_is_documented_and_none_is_a_server_error(
    case: schemathesis.Case, live_server: Any, world: str
) -> None:
    # Each generated request is sent twice: anonymously, then with the buyer's key.
    for headers in ({}, bearer(world)):
        case.call_and_validate(
            base_url=live_server.url, headers=headers, checks=CHECKS, timeout=TIMEOUT
        )
