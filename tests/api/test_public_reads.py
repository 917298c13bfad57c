"""The three families of JSON endpoints (the API at /api/v1/, the OCDS data at /api/ocds/ and
/data/, the transparency log at /log/) answer alike (issue 8, item 5): one problem document
with the same headers for every refusal, and the same CORS, preflight, HEAD and 405 for every
public read."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

pytestmark = pytest.mark.django_db

PUBLIC_READS = [
    "/api/v1/",
    "/api/v1/tenders",
    "/api/v1/tenders/{tender}",
    "/api/v1/tenders/{tender}/questions",
    "/api/v1/organizations",
    "/api/v1/organizations/{buyer}",
    "/api/v1/classifications/CPV",
    "/api/v1/openapi.json",
    "/api/ocds/releases",
    "/api/ocds/records",
    "/api/ocds/changes",
    "/data/",
    "/log/checkpoints",
    "/log/checkpoint",
]
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": (
        "ETag, Last-Modified, Link, Content-Length, Content-Language, Pregon-Log-Leaf-Index"
    ),
}
PREFLIGHT = {
    **CORS,
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "If-None-Match, If-Modified-Since",
    "Access-Control-Max-Age": "86400",
}
ORIGIN = {"Origin": "https://elsewhere.example"}


def _url(path: str, tender: Any) -> str:
    return path.format(tender=tender.pk, buyer=tender.buyer.pk)


def _headers(response: Any, names: dict[str, str]) -> dict[str, str | None]:
    return {name: response.get(name) for name in names}


@pytest.mark.parametrize("path", PUBLIC_READS)
def test_every_public_read_answers_cors_preflight_head_and_405_alike(
    client: Client, open_tender: Any, path: str
) -> None:
    url = _url(path, open_tender)

    read = client.get(url, headers=ORIGIN)
    # The log has not signed a checkpoint yet: a refusal is readable cross-origin too.
    assert read.status_code == (404 if path == "/log/checkpoint" else 200)
    assert _headers(read, CORS) == CORS

    head = client.head(url, headers=ORIGIN)
    assert (head.status_code, head["Content-Type"]) == (read.status_code, read["Content-Type"])
    assert _headers(head, CORS) == CORS

    preflight = client.options(
        url,
        headers={
            **ORIGIN,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match",
        },
    )
    assert preflight.status_code == 204
    assert preflight.content == b""
    assert _headers(preflight, PREFLIGHT) == PREFLIGHT

    refused = client.delete(url, headers=ORIGIN)
    assert refused.status_code == 405
    assert refused["Content-Type"] == "application/problem+json"
    allowed = refused["Allow"].split(", ")
    assert {"GET", "HEAD", "OPTIONS"} <= set(allowed)
    assert json.loads(refused.content)["detail"] == (
        f"This address accepts only: {refused['Allow']}."
    )


def _in_spanish(message: str) -> str:
    with translation.override("es"):
        return gettext(message)


@pytest.mark.parametrize(
    ("path", "status", "code", "title"),
    [
        ("/api/v1/tenders/999999", 404, "not_found", "Not found"),
        ("/api/v1/nothing", 404, "not_found", "Not found"),
        ("/api/v1/tenders?limit=0", 422, "validation_failed", "Some values are not valid"),
        ("/api/ocds/releases/nothing", 404, "not_found", "Not found"),
        ("/api/ocds/nothing/", 404, "not_found", "Not found"),
        (
            "/api/ocds/releases?limit=0",
            400,
            "bad_query",
            "The request could not be carried out",
        ),
        ("/data/nothing.json", 404, "not_found", "Not found"),
        ("/log/checkpoint", 404, "no_checkpoint", "Not found"),
        (
            "/log/leaves?start=x&end=1",
            400,
            "bad_parameter",
            "The request could not be carried out",
        ),
    ],
)
def test_a_refusal_is_the_same_problem_document_everywhere(
    client: Client, path: str, status: int, code: str, title: str
) -> None:
    response = client.get(path, headers={"Accept-Language": "es-CL,es;q=0.9"})

    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert response["Content-Language"] == "es"
    assert response["Cache-Control"] == "no-store"
    body = json.loads(response.content)
    assert set(body) - {"errors"} == {"type", "title", "status", "detail", "code", "instance"}
    assert (body["type"], body["status"], body["code"]) == (
        f"urn:pregon:error:{code}",
        status,
        code,
    )
    assert body["instance"] == path.split("?", maxsplit=1)[0]
    assert body["title"] == _in_spanish(title)
