"""Bad input never answers 500, nor is stored (issue 9): each request below answered a server
error, an HTML page, or was accepted; each is now a problem document that says what to send,
and nothing changed."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from pregon.tenders.models import Question, Tender, TenderDocument
from tests.api.conftest import bearer
from tests.api.openapi_check import check

pytestmark = pytest.mark.django_db

# The largest offset the databases can hold (a signed 64-bit integer).
MAX_OFFSET = 2**63 - 1
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = json.loads(response.content)
    assert (body["status"], body["code"], body["type"]) == (
        status,
        code,
        f"urn:pregon:error:{code}",
    )
    return body


# ---------------------------------------------------------------------------------------------
# query parameters and headers


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/tenders",
        "/api/v1/organizations",
        "/api/v1/tenders/{tender}/questions",
        "/api/v1/classifications/CPV",
        "/api/v1/buyer/tenders",
    ],
)
def test_an_offset_past_the_database_range_is_a_422_problem(
    client: Client, open_tender: Tender, buyer_token: str, path: str
) -> None:
    url = path.format(tender=open_tender.pk)
    headers = bearer(buyer_token)
    for offset in (MAX_OFFSET + 1, 10**30):
        response = client.get(f"{url}?offset={offset}", headers=headers)
        body = _problem(response, 422, "validation_failed")
        assert list(body["errors"]) == ["offset"]
        check(response)

    last = client.get(f"{url}?offset={MAX_OFFSET}", headers=headers)
    assert last.status_code == 200
    assert last.json()["items"] == []
    assert last.json()["count"] >= 0


@pytest.mark.parametrize("value", ["²", "¹", "99999999999999999999", "-1", "0x1", "1.0"])
def test_the_organization_header_takes_a_plain_number_only(
    client: Client, buyer: Any, official: Any, value: str
) -> None:
    client.force_login(official)

    response = client.get("/api/v1/buyer/tenders", headers={"X-Pregon-Organization": value})

    body = _problem(response, 403, "not_a_member")
    assert body["detail"] == (
        "You are not a member of the organization named in X-Pregon-Organization."
    )
    check(response)
    named = client.get("/api/v1/buyer/tenders", headers={"X-Pregon-Organization": str(buyer.pk)})
    assert named.status_code == 200


# ---------------------------------------------------------------------------------------------
# bodies


def test_json_sent_as_another_media_type_is_a_415_problem_and_stores_nothing(
    client: Client, open_tender: Tender, supplier_token: str
) -> None:
    url = f"/api/v1/tenders/{open_tender.pk}/questions"
    text = json.dumps({"text": "¿Se aceptan ofertas parciales por lote?"})
    for media_type in ("text/plain", "application/x-www-form-urlencoded", "application/xml"):
        response = client.post(url, text, content_type=media_type, headers=bearer(supplier_token))
        body = _problem(response, 415, "unsupported_media_type")
        assert body["title"] == "The request body is not in a format this address reads"
        assert body["detail"] == (
            "Send the body as JSON, with the header Content-Type: application/json."
        )
        check(response)
    assert not Question.objects.exists()
    # The same body, said to be JSON, is read.
    accepted = client.post(
        url, text, content_type="application/json", headers=bearer(supplier_token)
    )
    assert accepted.status_code == 201, accepted.content


def test_a_document_sent_as_json_is_a_415_problem(
    client: Client, draft: Tender, buyer_token: str
) -> None:
    response = client.post(
        f"/api/v1/tenders/{draft.pk}/documents",
        json.dumps({"title": "Bases", "file": "JVBERi0xLjQ="}),
        content_type="application/json",
        headers=bearer(buyer_token),
    )

    body = _problem(response, 415, "unsupported_media_type")
    assert body["detail"] == (
        "Send this request as multipart form data (Content-Type: multipart/form-data)."
    )
    check(response)
    assert not TenderDocument.objects.exists()


def test_an_empty_body_is_named_as_the_body(client: Client, buyer_token: str) -> None:
    response = client.post(
        "/api/v1/tenders", "", content_type="application/json", headers=bearer(buyer_token)
    )

    body = _problem(response, 422, "validation_failed")
    assert body["errors"] == {"body": ["The request has no body; send a JSON object."]}
    check(response)
    assert not Tender.objects.exists()


def test_a_form_without_its_boundary_is_a_400_problem(
    client: Client, draft: Tender, buyer_token: str
) -> None:
    response = client.post(
        f"/api/v1/tenders/{draft.pk}/documents",
        b"--x\r\nContent-Disposition: form-data; name=title\r\n\r\nBases\r\n--x--\r\n",
        content_type="multipart/form-data",
        headers=bearer(buyer_token),
    )

    body = _problem(response, 400, "malformed_request")
    assert body["detail"] == (
        "The form data could not be read. Send it as multipart form data, as an HTTP library "
        "or a browser writes it."
    )
    check(response)
    assert not TenderDocument.objects.exists()


def test_a_body_over_the_limit_is_a_413_problem(
    client: Client, settings: Any, open_tender: Tender, supplier_token: str
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

    response = client.post(
        f"/api/v1/tenders/{open_tender.pk}/questions",
        json.dumps({"text": "¿" + "a" * 2000 + "?"}),
        content_type="application/json",
        headers=bearer(supplier_token),
    )

    body = _problem(response, 413, "payload_too_large")
    assert body["title"] == "The request is too large"
    assert body["detail"] == "The request body is too large; the limit is 1000\xa0bytes."
    check(response)
    assert not Question.objects.exists()


def test_an_upload_announced_over_the_limit_is_refused_before_it_is_read(
    client: Client, settings: Any, draft: Tender, buyer_token: str
) -> None:
    settings.PREGON_MAX_UPLOAD_BYTES = 1000
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    # The body is never there: reading it at all would fail the request.
    response = client.generic(
        "POST",
        f"/api/v1/tenders/{draft.pk}/documents",
        headers=bearer(buyer_token),
        CONTENT_TYPE=MULTIPART_CONTENT,
        CONTENT_LENGTH="2001",
    )

    body = _problem(response, 413, "payload_too_large")
    assert body["detail"] == "The file is too large; the limit is 1000\xa0bytes."
    assert body["errors"] == {"file": ["The file is too large; the limit is 1000\xa0bytes."]}
    check(response)
    assert not TenderDocument.objects.exists()


class _CountingInput(io.BytesIO):
    """A request body that counts the bytes the server read from it."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.consumed = 0

    def read(self, size: int | None = -1) -> bytes:
        data = super().read(size)
        self.consumed += len(data)
        return data

    def readline(self, size: int | None = -1) -> bytes:
        data = super().readline(size)
        self.consumed += len(data)
        return data


def test_an_upload_stops_being_read_as_soon_as_it_passes_the_limit(
    client: Client, settings: Any, draft: Tender, buyer_token: str
) -> None:
    settings.PREGON_MAX_UPLOAD_BYTES = 100_000
    # The announced length is within bounds (a lying or chunked client): the file's own bytes,
    # as they arrive, decide.
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000_000
    upload = SimpleUploadedFile("bases.pdf", PDF + b"%" * 3_000_000, "application/pdf")
    data = encode_multipart(BOUNDARY, {"title": "Bases", "file": upload})
    stream = _CountingInput(data)

    response = client.generic(
        "POST",
        f"/api/v1/tenders/{draft.pk}/documents",
        headers=bearer(buyer_token),
        CONTENT_TYPE=MULTIPART_CONTENT,
        CONTENT_LENGTH=str(len(data)),
        **{"wsgi.input": stream},
    )

    body = _problem(response, 413, "payload_too_large")
    assert body["errors"] == {"file": ["The file is too large; the limit is 97.7\xa0KB."]}
    check(response)
    # Read up to the limit and one more chunk (64 KiB), not the 3 MB sent.
    assert stream.consumed < 100_000 + 2 * 65_536
    assert not TenderDocument.objects.exists()


def test_an_upload_within_the_limit_is_stored(
    client: Client, settings: Any, draft: Tender, buyer_token: str
) -> None:
    settings.PREGON_MAX_UPLOAD_BYTES = len(PDF)

    response = client.post(
        f"/api/v1/tenders/{draft.pk}/documents",
        {"title": "Bases", "file": SimpleUploadedFile("bases.pdf", PDF, "application/pdf")},
        headers=bearer(buyer_token),
    )

    assert response.status_code == 201, response.content
    assert TenderDocument.objects.get().size == len(PDF)


# ---------------------------------------------------------------------------------------------
# addresses


@pytest.mark.parametrize(
    ("path", "detail"),
    [
        ("/api/", "There is nothing at this address."),
        ("/api/v2/tenders", "There is nothing at this address."),
        ("/api/ocds/", "There is nothing at this address."),
        ("/api/ocds", "There is nothing at this address."),
        ("/api/ocds/nothing", "There is nothing at this address."),
        (
            "/api/ocds/releases/",
            "There is nothing at this address; did you mean /api/ocds/releases?",
        ),
        ("/api/ocds/records/", "There is nothing at this address; did you mean /api/ocds/records?"),
        (
            "/api/v1/tenders/",
            "There is nothing at this address; did you mean /api/v1/tenders?",
        ),
    ],
)
def test_every_address_under_api_answers_a_json_problem(
    client: Client, path: str, detail: str
) -> None:
    for method in (client.get, client.post, client.delete):
        response = method(path)
        body = _problem(response, 404, "not_found")
        assert body["detail"] == detail
        assert body["instance"] == path
