"""The sealed-bids API over HTTP: uploads in chunks, submit with an idempotency key, replace,
withdraw, read a bid, the platform's time; problem details for every refusal. Every answer is
checked against the committed OpenAPI document."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from pregon.bids.declaration import DECLARATION_VERSION
from pregon.bids.models import Bid, BidUpload, rfc3339
from pregon.organizations.models import ApiKey
from pregon.sealing import SealedBid
from pregon.tenders.models import Tender
from tests import factories
from tests.api.conftest import bearer
from tests.api.openapi_check import check
from tests.api.test_auth import _snapshot as database_snapshot
from tests.bids.conftest import seal
from tests.bids.test_submission import _past_deadline
from tests.test_translations import compile_catalogs

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7 propuesta"


@pytest.fixture
def token(supplier: Any, issue_key: Callable[..., str]) -> str:
    return issue_key(supplier, ["bids:submit"])


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _post(client: Client, url: str, token: str, body: Any, **headers: str) -> Any:
    return client.post(
        url, json.dumps(body), content_type="application/json", headers=bearer(token, **headers)
    )


def _put_chunk(client: Client, upload: str, token: str, data: bytes, start: int, total: int) -> Any:
    return client.put(
        f"/api/v1/bid-uploads/{upload}",
        data,
        content_type="application/octet-stream",
        headers=bearer(
            token, **{"Content-Range": f"bytes {start}-{start + len(data) - 1}/{total}"}
        ),
    )


def _upload(client: Client, tender: Tender, token: str, data: bytes) -> str:
    started = _post(
        client,
        f"/api/v1/tenders/{tender.ocid}/bid-uploads",
        token,
        {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()},
    )
    assert started.status_code == 201, started.content
    upload = check(started)["id"]
    for start in range(0, len(data), 10):
        response = _put_chunk(client, upload, token, data[start : start + 10], start, len(data))
        assert response.status_code == 200, response.content
    return str(upload)


def _bid_body(client: Client, tender: Tender, token: str, sealed: SealedBid) -> dict[str, Any]:
    return {
        "envelope": _b64(sealed.envelope),
        "documents": [
            {"id": doc_id, "upload": _upload(client, tender, token, stored)}
            for doc_id, stored in sealed.documents
        ],
        "declaration": DECLARATION_VERSION,
    }


def test_upload_resume_after_a_dropped_connection(
    client: Client, tender: Tender, token: str
) -> None:
    data = bytes(range(200))
    started = _post(
        client,
        f"/api/v1/tenders/{tender.ocid}/bid-uploads",
        token,
        {"size": 200, "sha256": hashlib.sha256(data).hexdigest()},
    )
    body = check(started)
    upload = body["id"]
    assert (started.status_code, body["received"], body["size"], body["complete"]) == (
        201,
        0,
        200,
        False,
    )
    assert check(_put_chunk(client, upload, token, data[:80], 0, 200))["received"] == 80

    # The client lost the answer to its second chunk and sends the first one again.
    stale = _put_chunk(client, upload, token, data[:80], 0, 200)
    problem = check(stale)
    assert stale.status_code == 409
    assert stale["Content-Type"] == "application/problem+json"
    assert (problem["code"], problem["received"]) == ("wrong_offset", 80)
    # Or asks where the upload stands.
    state = client.get(f"/api/v1/bid-uploads/{upload}", headers=bearer(token))
    assert check(state) == {"id": upload, "received": 80, "size": 200, "complete": False}

    done = _put_chunk(client, upload, token, data[80:], 80, 200)
    assert check(done) == {"id": upload, "received": 200, "size": 200, "complete": True}


def test_upload_refusals(client: Client, tender: Tender, token: str, settings: Any) -> None:
    settings.PREGON_BID_DOCUMENT_MAX_BYTES = 100
    too_big = _post(
        client,
        f"/api/v1/tenders/{tender.ocid}/bid-uploads",
        token,
        {"size": 101, "sha256": "0" * 64},
    )
    assert (too_big.status_code, check(too_big)["code"]) == (413, "payload_too_large")
    data = b"x" * 50
    upload = check(
        _post(
            client,
            f"/api/v1/tenders/{tender.ocid}/bid-uploads",
            token,
            {"size": 50, "sha256": hashlib.sha256(data).hexdigest()},
        )
    )["id"]
    url = f"/api/v1/bid-uploads/{upload}"
    before = database_snapshot()

    no_range = client.put(url, data, content_type="application/octet-stream", headers=bearer(token))
    wrong_type = client.put(
        url,
        data,
        content_type="text/plain",
        headers=bearer(token, **{"Content-Range": "bytes 0-49/50"}),
    )
    wrong_length = client.put(
        url,
        data,
        content_type="application/octet-stream",
        headers=bearer(token, **{"Content-Range": "bytes 0-9/50"}),
    )
    wrong_total = _put_chunk(client, upload, token, data, 0, 60)
    settings.PREGON_BID_CHUNK_MAX_BYTES = 20
    chunk_too_big = _put_chunk(client, upload, token, data[:21], 0, 50)

    assert [
        (response.status_code, check(response)["code"])
        for response in (no_range, wrong_type, wrong_length, wrong_total, chunk_too_big)
    ] == [
        (400, "content_range_invalid"),
        (415, "unsupported_media_type"),
        (400, "content_range_length"),
        (422, "content_range_total"),
        (413, "payload_too_large"),
    ]
    assert database_snapshot() == before


def test_submit_retry_and_read_a_bid(client: Client, tender: Tender, token: str) -> None:
    sealed = seal(tender, documents=[("d1", PDF)])
    body = _bid_body(client, tender, token, sealed)
    url = f"/api/v1/tenders/{tender.ocid}/bids"

    first = _post(client, url, token, body, **{"Idempotency-Key": "0f8c-4b2e"})
    receipt = check(first)
    bid = Bid.objects.get()
    assert first.status_code == 201
    assert receipt == {
        "id": str(bid.pk),
        "commitment": sealed.commitment,
        "leafIndex": bid.leaf_index,
        "receivedAt": rfc3339(bid.received_at),
        "receipt": bid.receipt,
    }
    assert not BidUpload.objects.exists()

    # The answer was lost: the same request again answers the same receipt, and writes nothing.
    before = database_snapshot()
    again = _post(client, url, token, body, **{"Idempotency-Key": "0f8c-4b2e"})
    assert (again.status_code, check(again)) == (200, receipt)
    assert database_snapshot() == before

    other = _post(
        client,
        url,
        token,
        {
            "envelope": _b64(seal(tender).envelope),
            "documents": [],
            "declaration": DECLARATION_VERSION,
        },
        **{"Idempotency-Key": "0f8c-4b2e"},
    )
    assert (other.status_code, check(other)["code"]) == (422, "idempotency_key_reused")

    read = client.get(f"/api/v1/bids/{bid.pk}", headers=bearer(token))
    assert check(read) == {
        "id": str(bid.pk),
        "tender": tender.ocid,
        "status": "submitted",
        "commitment": sealed.commitment,
        "leafIndex": bid.leaf_index,
        "receivedAt": rfc3339(bid.received_at),
        "receipt": bid.receipt,
        "declaration": {
            "version": DECLARATION_VERSION,
            "declaredBy": f"api-key:{ApiKey.objects.get().prefix}",
            "declaredAt": rfc3339(bid.received_at),
        },
    }


def test_submit_refusals_are_problems(
    client: Client, tender: Tender, token: str, settings: Any, tmp_path: Any
) -> None:
    # The messages as the committed catalogs translate them.
    compile_catalogs(tmp_path / "locale")
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    url = f"/api/v1/tenders/{tender.ocid}/bids"
    body = {
        "envelope": _b64(seal(tender).envelope),
        "documents": [],
        "declaration": DECLARATION_VERSION,
    }
    before = database_snapshot()

    no_key = _post(client, url, token, body)
    bad_key = _post(client, url, token, body, **{"Idempotency-Key": "no válida"})
    bad_b64 = _post(client, url, token, {"envelope": "a+b="}, **{"Idempotency-Key": "k"})
    unknown = _post(
        client, "/api/v1/tenders/ocds-nope/bids", token, body, **{"Idempotency-Key": "k"}
    )
    spanish = _post(
        client,
        url,
        token,
        {"envelope": _b64(b'{"format":"x"}'), "documents": [], "declaration": DECLARATION_VERSION},
        **{"Idempotency-Key": "k", "Accept-Language": "es"},
    )

    assert [
        (response.status_code, check(response)["code"])
        for response in (no_key, bad_key, bad_b64, unknown, spanish)
    ] == [
        (400, "idempotency_key_missing"),
        (422, "invalid_idempotency_key"),
        (422, "envelope_bad_base64"),
        (404, "not_found"),
        (422, "envelope_unknown_format"),
    ]
    assert spanish["Content-Language"] == "es"
    assert check(spanish)["detail"] == "El sobre no está en un formato que esta plataforma conozca."
    assert database_snapshot() == before

    _past_deadline(tender)
    late = _post(client, url, token, body, **{"Idempotency-Key": "tarde"})
    assert (late.status_code, check(late)["code"]) == (409, "deadline_passed")


def test_replace_and_withdraw(client: Client, tender: Tender, token: str) -> None:
    url = f"/api/v1/tenders/{tender.ocid}/bids"
    first = check(
        _post(
            client,
            url,
            token,
            {
                "envelope": _b64(seal(tender).envelope),
                "documents": [],
                "declaration": DECLARATION_VERSION,
            },
            **{"Idempotency-Key": "uno"},
        )
    )
    replacement = {
        "envelope": _b64(seal(tender, amount="10.00").envelope),
        "documents": [],
        "declaration": DECLARATION_VERSION,
    }

    replaced = _post(
        client,
        f"/api/v1/bids/{first['id']}/actions/replace",
        token,
        replacement,
        **{"Idempotency-Key": "dos"},
    )
    new = check(replaced)
    assert replaced.status_code == 201
    assert Bid.objects.get(pk=first["id"]).status == "replaced"
    retried = _post(
        client,
        f"/api/v1/bids/{first['id']}/actions/replace",
        token,
        replacement,
        **{"Idempotency-Key": "dos"},
    )
    assert (retried.status_code, check(retried)) == (200, new)

    withdrawn = client.post(
        f"/api/v1/bids/{new['id']}/actions/withdraw",
        headers=bearer(token, **{"Idempotency-Key": "tres"}),
    )
    receipt = check(withdrawn)
    bid = Bid.objects.get(pk=new["id"])
    assert withdrawn.status_code == 200
    assert receipt == {
        "id": new["id"],
        "commitment": new["commitment"],
        "leafIndex": bid.withdraw_leaf_index,
        "receivedAt": rfc3339(bid.withdrawn_at),
        "receipt": bid.withdraw_receipt,
    }
    assert "\nwithdraw\n" in receipt["receipt"]
    again = client.post(
        f"/api/v1/bids/{new['id']}/actions/withdraw",
        headers=bearer(token, **{"Idempotency-Key": "tres"}),
    )
    assert (again.status_code, check(again)) == (200, receipt)


def test_another_suppliers_bid_and_upload_are_not_found(
    client: Client, tender: Tender, token: str, issue_key: Callable[..., str], buyer: Any
) -> None:
    sealed = seal(tender, documents=[("d1", PDF)])
    body = _bid_body(client, tender, token, sealed)
    bid = check(
        _post(
            client, f"/api/v1/tenders/{tender.ocid}/bids", token, body, **{"Idempotency-Key": "a"}
        )
    )
    upload = check(
        _post(
            client,
            f"/api/v1/tenders/{tender.ocid}/bid-uploads",
            token,
            {"size": 5, "sha256": "0" * 64},
        )
    )
    other = issue_key(factories.SupplierFactory(), ["bids:submit"])
    buyer_key = issue_key(buyer, ["tenders:read", "tenders:write", "bids:submit"])

    for key in (other, buyer_key):
        for response in (
            client.get(f"/api/v1/bids/{bid['id']}", headers=bearer(key)),
            client.get(f"/api/v1/bid-uploads/{upload['id']}", headers=bearer(key)),
            client.post(
                f"/api/v1/bids/{bid['id']}/actions/withdraw",
                headers=bearer(key, **{"Idempotency-Key": "x"}),
            ),
        ):
            assert (response.status_code, check(response)["code"]) == (404, "not_found")
    # A key without the scope is refused before anything else.
    reader = issue_key(factories.SupplierFactory(), ["questions:ask"])
    response = client.get(f"/api/v1/bids/{bid['id']}", headers=bearer(reader))
    assert (response.status_code, check(response)["code"]) == (403, "insufficient_scope")
    anonymous = client.get(f"/api/v1/bids/{bid['id']}")
    assert (anonymous.status_code, check(anonymous)["code"]) == (401, "not_authenticated")


def test_the_platforms_time(client: Client) -> None:
    response = client.get("/api/v1/time")
    body = check(response)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert body["now"].endswith("Z")
    assert len(body["now"]) == len("2026-12-06T18:00:00.123Z")


def test_the_self_declaration_is_public_in_the_language_asked(
    client: Client, settings: Any, tmp_path: Any
) -> None:
    compile_catalogs(tmp_path / "locale")
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    answer = client.get("/api/v1/self-declaration", headers={"accept-language": "es"})
    body = check(answer)
    assert body["version"] == DECLARATION_VERSION
    assert len(body["text"]) == 4
    assert body["text"][0].startswith("Declaro")


def test_a_bid_without_the_declaration_is_a_problem(
    client: Client, tender: Tender, token: str
) -> None:
    body = {"envelope": _b64(seal(tender).envelope), "documents": []}
    answer = _post(
        client, f"/api/v1/tenders/{tender.ocid}/bids", token, body, **{"Idempotency-Key": "k-1"}
    )
    problem = check(answer)
    assert (answer.status_code, problem["code"]) == (422, "declaration_missing")
    assert not Bid.objects.exists()
