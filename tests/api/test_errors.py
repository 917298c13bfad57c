"""Every error is an RFC 7807 problem in the caller's language: the API has no language
prefix, so the Accept-Language header decides (Content-Language says which was used)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from tests.api.conftest import bearer
from tests.api.openapi_check import check

pytestmark = pytest.mark.django_db

SPANISH = {"Accept-Language": "es-CL,es;q=0.9,en;q=0.5"}


def _in(language: str, message: str) -> str:
    with translation.override(language):
        return gettext(message)


def _assert_problem(response: Any, status: int, code: str, title: str, language: str) -> dict:
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert response["Content-Language"] == language
    body = json.loads(response.content)
    assert body["type"] == f"urn:pregon:error:{code}"
    assert (body["status"], body["code"]) == (status, code)
    assert body["title"] == _in(language, title)
    assert body["instance"] == response.request["PATH_INFO"]
    return body


def test_accept_language_is_active_without_a_language_prefix(client: Client) -> None:
    for header, language in (
        ("es", "es"),
        ("pt-BR,pt;q=0.9", "pt-br"),
        ("pt", "pt-br"),
        ("fr", "fr"),
        ("de", "en"),
    ):
        response = client.get("/api/v1/tenders", headers={"Accept-Language": header})
        assert response.status_code == 200
        assert response["Content-Language"] == language
    assert client.get("/api/v1/tenders")["Content-Language"] == "en"


def test_unknown_route_is_a_404_problem(client: Client) -> None:
    for response in (
        client.get("/api/v1/nothing/here", headers=SPANISH),
        client.get("/api/v1/tenders/not-a-number", headers=SPANISH),
        client.post("/api/v1/nothing", headers=SPANISH),  # no CSRF check on unknown routes
    ):
        body = _assert_problem(response, 404, "not_found", "Not found", "es")
        assert body["detail"] == _in(
            "es", "There is nothing at this address. The API is described at %(url)s."
        ) % {"url": "/api/v1/openapi.json"}


def test_missing_trailing_slash_of_a_transition_is_pointed_out(
    client: Client, draft: Any, buyer_token: str
) -> None:
    path = f"/api/v1/tenders/{draft.pk}/actions/publish"
    response = client.post(path, headers=bearer(buyer_token))
    body = _assert_problem(response, 404, "not_found", "Not found", "en")
    assert body["detail"] == f"There is nothing at this address; did you mean {path}/?"
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_not_found_object_is_a_problem(client: Client) -> None:
    response = client.get("/api/v1/tenders/999999", headers=SPANISH)
    body = _assert_problem(response, 404, "not_found", "Not found", "es")
    assert body["detail"] == _in("es", "There is no published tender with this number.")
    check(response)


def test_method_not_allowed_is_a_405_problem(client: Client) -> None:
    response = client.delete("/api/v1/tenders", headers=SPANISH)

    body = _assert_problem(response, 405, "method_not_allowed", "Method not allowed", "es")
    # The list is a public read too: HEAD and OPTIONS (a CORS preflight) are answered.
    assert response["Allow"] == "GET, HEAD, OPTIONS, POST"
    assert body["detail"].startswith(_in("es", "This address accepts only: %(methods)s.")[:10])


def test_validation_error_is_a_422_problem(client: Client) -> None:
    response = client.get("/api/v1/tenders?limit=1000", headers=SPANISH)

    body = _assert_problem(response, 422, "validation_failed", "Some values are not valid", "es")
    assert body["detail"] == _in("es", "The request body or parameters do not match the schema.")
    assert list(body["errors"]) == ["limit"]
    check(response)


def test_malformed_json_body_is_a_400_problem(client: Client, buyer_token: str) -> None:
    response = client.post(
        "/api/v1/tenders",
        "{not json",
        content_type="application/json",
        headers=bearer(buyer_token, **SPANISH),
    )
    body = _assert_problem(
        response, 400, "malformed_request", "The request could not be read", "es"
    )
    assert body["detail"] == _in(
        "es", "Send the body as JSON, or as multipart form data for uploads."
    )
    check(response)


def test_authentication_errors_are_401_problems(client: Client) -> None:
    response = client.get(
        "/api/v1/buyer/tenders", headers=bearer("pk_0123456789ab_secret", **SPANISH)
    )
    body = _assert_problem(response, 401, "not_authenticated", "Authentication required", "es")
    assert body["detail"] == _in("es", "The API key is not valid.")
    check(response)


def test_permission_errors_are_403_problems(client: Client, buyer: Any, issue_key: Any) -> None:
    token = issue_key(buyer, ["tenders:read"])
    response = client.post(
        "/api/v1/tenders", "{}", content_type="application/json", headers=bearer(token, **SPANISH)
    )
    body = _assert_problem(response, 403, "insufficient_scope", "You may not do this", "es")
    assert body["detail"] == _in(
        "es", "This API key does not have the scope %(scope)s needed here."
    ) % {"scope": "tenders:write"}
    check(response)


def test_conflicts_are_409_problems(client: Client, open_tender: Any, buyer_token: str) -> None:
    response = client.post(
        f"/api/v1/tenders/{open_tender.pk}/actions/publish/", headers=bearer(buyer_token, **SPANISH)
    )
    _assert_problem(
        response,
        409,
        "cannot_publish",
        "This action is not possible in the current state",
        "es",
    )
    check(response)


def test_rate_limit_is_a_429_problem(settings: Any, client: Client, buyer_token: str) -> None:
    settings.PREGON_API_WRITE_RATE = "1/m"
    headers = bearer(buyer_token, **SPANISH)
    client.post("/api/v1/tenders", "{}", content_type="application/json", headers=headers)

    response = client.post(
        "/api/v1/tenders", "{}", content_type="application/json", headers=headers
    )

    body = _assert_problem(response, 429, "rate_limited", "Too many requests", "es")
    assert body["detail"] == _in("es", "You sent too many requests; wait a moment and try again.")
    assert response["Retry-After"].isdigit()
    check(response)


def test_index(client: Client) -> None:
    response = client.get("/api/v1/")
    assert response.status_code == 200
    assert response.json() == {
        "title": "Pregón API",
        "version": "1.0.0",
        "openapi": "http://testserver/api/v1/openapi.json",
        "docs": "http://testserver/api/v1/docs",
    }
