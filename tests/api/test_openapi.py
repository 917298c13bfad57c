"""The OpenAPI document: served at /api/v1/openapi.json, committed as src/pregon/openapi.json,
and the two must agree. When this fails, run `pregon openapi --write` and commit the file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

import pregon.api
from pregon.api import SNAPSHOT, openapi_text

DRIFT = (
    "The committed OpenAPI document (src/pregon/openapi.json) differs from the API the code "
    "describes. Run `pregon openapi --write`, review the diff and commit it."
)


def test_committed_snapshot_matches_the_code() -> None:
    assert SNAPSHOT.read_text(encoding="utf-8") == openapi_text(), DRIFT


@pytest.mark.django_db
def test_served_document_is_the_committed_one_in_any_language(client: Client) -> None:
    committed = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    for language in ("en", "es"):
        response = client.get("/api/v1/openapi.json", headers={"Accept-Language": language})
        assert response.status_code == 200
        assert response.json() == committed, DRIFT


def test_openapi_command_checks_and_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("openapi", "--check")
    assert capsys.readouterr().out == "The OpenAPI snapshot is up to date.\n"

    stale = tmp_path / "openapi.json"
    stale.write_text('{"openapi": "3.1.0"}\n', encoding="utf-8")
    monkeypatch.setattr(pregon.api, "SNAPSHOT", stale)
    with pytest.raises(CommandError, match=r"run `pregon openapi --write`"):
        call_command("openapi", "--check")

    call_command("openapi", "--write")
    assert stale.read_text(encoding="utf-8") == openapi_text()
    call_command("openapi", "--check")


# Reads of an organization's own objects: they need a key or a session, like the writes.
PRIVATE_READS = (
    "/api/v1/buyer/",
    "/api/v1/bids/",
    "/api/v1/bid-uploads/",
    "/api/v1/covers",
    "/api/v1/subscriptions",
    "/api/v1/webhooks",
)
# Operations a signed-in person carries out as themselves, never with an API key.
PERSONAL_OPERATIONS = {
    ("POST", "/api/v1/committee-keys"),
    ("GET", "/api/v1/tenders/{ocid}/opening/envelopes"),
    ("POST", "/api/v1/tenders/{ocid}/opening/shares"),
    ("GET", "/api/v1/searches/saved"),
    ("POST", "/api/v1/searches/saved"),
    ("DELETE", "/api/v1/searches/saved/{saved_id}"),
}


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    document = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    return [
        (path, method, operation)
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
    ]


def test_document_describes_every_operation() -> None:
    document = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert document["openapi"] == "3.1.0"
    tags = {tag["name"] for tag in document["tags"]}
    assert set(document["components"]["securitySchemes"]) == {
        "OrganizationApiKey",
        "SignedInSession",
        "SignedInPerson",
        "SubscriberSession",
    }
    assert {(m.upper(), p) for p, m, _ in _operations()} == {
        ("GET", "/api/v1/search"),
        ("GET", "/api/v1/searches/saved"),
        ("POST", "/api/v1/searches/saved"),
        ("DELETE", "/api/v1/searches/saved/{saved_id}"),
        ("GET", "/api/v1/tenders"),
        ("POST", "/api/v1/tenders"),
        ("GET", "/api/v1/tenders/{tender_id}"),
        ("PATCH", "/api/v1/tenders/{tender_id}"),
        ("GET", "/api/v1/tenders/{tender_id}/questions"),
        ("POST", "/api/v1/tenders/{tender_id}/questions"),
        ("GET", "/api/v1/tenders/{tender_id}/documents/{document_id}"),
        ("POST", "/api/v1/tenders/{tender_id}/documents"),
        ("POST", "/api/v1/tenders/{tender_id}/actions/publish/"),
        ("POST", "/api/v1/tenders/{tender_id}/actions/cancel/"),
        ("POST", "/api/v1/tenders/{tender_id}/actions/amend/"),
        ("GET", "/api/v1/buyer/tenders"),
        ("GET", "/api/v1/buyer/tenders/{tender_id}"),
        ("POST", "/api/v1/questions/{question_id}/actions/answer/"),
        ("GET", "/api/v1/organizations"),
        ("GET", "/api/v1/organizations/{organization_id}"),
        ("GET", "/api/v1/classifications/{scheme}"),
        ("POST", "/api/v1/committee-keys"),
        ("GET", "/api/v1/tenders/{ocid}/committee"),
        ("PUT", "/api/v1/tenders/{ocid}/committee"),
        ("POST", "/api/v1/tenders/{ocid}/bid-uploads"),
        ("GET", "/api/v1/bid-uploads/{upload_id}"),
        ("PUT", "/api/v1/bid-uploads/{upload_id}"),
        ("POST", "/api/v1/tenders/{ocid}/bids"),
        ("GET", "/api/v1/bids/{bid_id}"),
        ("POST", "/api/v1/bids/{bid_id}/actions/replace"),
        ("POST", "/api/v1/bids/{bid_id}/actions/withdraw"),
        ("GET", "/api/v1/self-declaration"),
        ("GET", "/api/v1/time"),
        ("GET", "/api/v1/tenders/{ocid}/opening/envelopes"),
        ("POST", "/api/v1/tenders/{ocid}/opening/shares"),
        ("GET", "/api/v1/tenders/{ocid}/opening"),
        ("GET", "/api/v1/tenders/{tender_id}/evaluation"),
        ("GET", "/api/v1/bids/{bid_id}/assessments"),
        ("GET", "/api/v1/covers"),
        ("POST", "/api/v1/covers/{cover_id}/actions/cover"),
        ("POST", "/api/v1/covers/{cover_id}/actions/pass"),
        ("GET", "/api/v1/tenders/{tender_id}/awards"),
        ("GET", "/api/v1/tenders/{tender_id}/contracts"),
        ("GET", "/api/v1/subscriptions"),
        ("POST", "/api/v1/subscriptions"),
        ("GET", "/api/v1/subscriptions/{subscription_id}"),
        ("PUT", "/api/v1/subscriptions/{subscription_id}"),
        ("DELETE", "/api/v1/subscriptions/{subscription_id}"),
        ("GET", "/api/v1/webhooks"),
        ("POST", "/api/v1/webhooks"),
        ("DELETE", "/api/v1/webhooks/{webhook_id}"),
        ("POST", "/api/v1/webhooks/{webhook_id}/actions/rotate-secret"),
        ("GET", "/api/v1/webhooks/{webhook_id}/deliveries"),
        ("GET", "/api/v1/figures"),
        ("GET", "/api/v1/quick-quotes"),
        ("GET", "/api/v1/quick-quotes/{quick_quote_id}"),
        ("PUT", "/api/v1/quick-quotes/{quick_quote_id}/quote"),
        ("DELETE", "/api/v1/quick-quotes/{quick_quote_id}/quote"),
        ("GET", "/api/v1/sub-opportunities"),
        ("GET", "/api/v1/sub-opportunities/{opportunity_id}"),
        ("POST", "/api/v1/sub-opportunities/{opportunity_id}/answers"),
        ("GET", "/api/v1/plans"),
        ("GET", "/api/v1/plans/{plan_id}"),
        ("GET", "/api/v1/plan-lines"),
        ("GET", "/api/v1/plan-lines/{line_id}"),
        ("GET", "/api/v1/suppliers"),
        ("GET", "/api/v1/suppliers/{supplier_id}/catalogue"),
    }
    for path, method, operation in _operations():
        where = f"{method.upper()} {path}"
        assert operation["summary"] and operation["description"], where
        assert operation["tags"] and set(operation["tags"]) <= tags, where
        for status, response in operation["responses"].items():
            if int(status) >= 400:
                assert list(response["content"]) == ["application/problem+json"], where
        if (method.upper(), path) in PERSONAL_OPERATIONS:
            # What a person does as themselves (their opening key): no organization API key.
            assert operation["security"] == [{"SignedInPerson": []}], where
            assert "x-pregon-scope" not in operation, where
            assert {"401", "403"} <= set(operation["responses"]), where
        elif method != "get" or path.startswith(PRIVATE_READS):
            [api_key, session] = operation["security"]
            [(scheme, [scope])] = api_key.items()
            assert scheme == "OrganizationApiKey", where
            assert scope == operation["x-pregon-scope"], where
            assert session == {"SignedInSession": []}, where
            assert {"401", "403"} <= set(operation["responses"]), where
        else:
            assert "security" not in operation, where
