"""Chunked uploads of encrypted documents: resumable from `received`, bounded, checked."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage

from pregon.bids import services
from pregon.bids.models import BidUpload
from pregon.bids.services import UploadOffsetMismatch
from pregon.core.actor import Actor
from pregon.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from pregon.core.problems import PayloadTooLarge
from pregon.tenders.models import Tender
from tests.bids.conftest import supplier_actor_of
from tests.bids.test_submission import _past_deadline

pytestmark = pytest.mark.django_db

DATA = bytes(range(256)) * 4  # 1024 bytes


def _start(actor: Actor, tender: Tender, data: bytes = DATA) -> BidUpload:
    return services.bid_upload_start(
        actor=actor, tender=tender, size=len(data), sha256=hashlib.sha256(data).hexdigest()
    )


def test_an_upload_resumes_from_what_arrived(supplier_actor: Actor, tender: Tender) -> None:
    upload = _start(supplier_actor, tender)
    assert (upload.received, upload.size, upload.is_complete) == (0, 1024, False)

    upload = services.bid_upload_append(
        actor=supplier_actor, upload=upload, offset=0, chunk=DATA[:300]
    )
    # The connection drops while the second chunk arrives: only part of it was written to
    # disk, and the row was never updated.
    path = Path(default_storage.path(upload.path))
    with path.open("ab") as handle:
        handle.write(DATA[300:350] + b"garbage")
    fresh = BidUpload.objects.get(pk=upload.pk)
    assert fresh.received == 300

    # The client asks where the upload stands and sends the rest from there.
    fresh = services.bid_upload_append(
        actor=supplier_actor, upload=fresh, offset=300, chunk=DATA[300:800]
    )
    done = services.bid_upload_append(
        actor=supplier_actor, upload=fresh, offset=800, chunk=DATA[800:]
    )

    assert (done.received, done.is_complete) == (1024, True)
    assert path.read_bytes() == DATA


def test_a_chunk_at_another_offset_is_refused_with_where_the_upload_stands(
    refused: Any, supplier_actor: Actor, tender: Tender
) -> None:
    upload = services.bid_upload_append(
        actor=supplier_actor, upload=_start(supplier_actor, tender), offset=0, chunk=DATA[:100]
    )

    for offset in (0, 50, 101, 2000):
        error = refused(
            UploadOffsetMismatch,
            "wrong_offset",
            services.bid_upload_append,
            actor=supplier_actor,
            upload=upload,
            offset=offset,
            chunk=DATA[offset : offset + 10] or b"x",
        )
        assert error.received == 100
        assert error.status == 409
        assert error.as_problem()["received"] == 100


def test_chunks_and_documents_are_bounded(
    refused: Any, settings: Any, supplier_actor: Actor, tender: Tender
) -> None:
    settings.PREGON_BID_DOCUMENT_MAX_BYTES = 1000
    settings.PREGON_BID_CHUNK_MAX_BYTES = 64
    refused(PayloadTooLarge, "payload_too_large", _start, supplier_actor, tender, DATA)

    upload = _start(supplier_actor, tender, DATA[:1000])
    refused(
        PayloadTooLarge,
        "payload_too_large",
        services.bid_upload_append,
        actor=supplier_actor,
        upload=upload,
        offset=0,
        chunk=DATA[:65],
    )
    refused(
        ValidationFailed,
        "empty_chunk",
        services.bid_upload_append,
        actor=supplier_actor,
        upload=upload,
        offset=0,
        chunk=b"",
    )
    for offset in range(0, 960, 64):
        upload = services.bid_upload_append(
            actor=supplier_actor, upload=upload, offset=offset, chunk=DATA[offset : offset + 64]
        )
    refused(
        ValidationFailed,
        "chunk_past_end",
        services.bid_upload_append,
        actor=supplier_actor,
        upload=upload,
        offset=960,
        chunk=DATA[960:1024],
    )


def test_the_last_chunk_must_give_the_announced_sha256(
    refused: Any, supplier_actor: Actor, tender: Tender
) -> None:
    upload = services.bid_upload_append(
        actor=supplier_actor, upload=_start(supplier_actor, tender), offset=0, chunk=DATA[:1000]
    )

    refused(
        ValidationFailed,
        "upload_sha256_mismatch",
        services.bid_upload_append,
        actor=supplier_actor,
        upload=upload,
        offset=1000,
        chunk=b"\x00" * 24,
    )
    done = services.bid_upload_append(
        actor=supplier_actor, upload=upload, offset=1000, chunk=DATA[1000:]
    )
    assert done.is_complete


@pytest.mark.parametrize(
    ("size", "sha256", "field"),
    [(0, "0" * 64, "size"), (10, "0" * 63, "sha256"), (10, "A" * 64, "sha256")],
)
def test_an_upload_announces_a_size_and_a_sha256(
    refused: Any, supplier_actor: Actor, tender: Tender, size: int, sha256: str, field: str
) -> None:
    error = refused(
        ValidationFailed,
        "validation_failed",
        services.bid_upload_start,
        actor=supplier_actor,
        tender=tender,
        size=size,
        sha256=sha256,
    )
    assert error.field == field


def test_uploads_only_for_suppliers_of_open_tenders_and_by_their_owner(
    refused: Any, supplier_actor: Actor, official_actor: Actor, tender: Tender
) -> None:
    refused(PermissionDenied, "permission_denied", _start, official_actor, tender)
    upload = _start(supplier_actor, tender)
    refused(
        PermissionDenied,
        "permission_denied",
        services.bid_upload_append,
        actor=supplier_actor_of(),
        upload=upload,
        offset=0,
        chunk=DATA[:10],
    )
    _past_deadline(tender)
    refused(InvalidTransition, "deadline_passed", _start, supplier_actor, tender)
    refused(
        InvalidTransition,
        "deadline_passed",
        services.bid_upload_append,
        actor=supplier_actor,
        upload=upload,
        offset=0,
        chunk=DATA[:10],
    )


def test_unfinished_uploads_per_tender_are_bounded(
    refused: Any, supplier_actor: Actor, tender: Tender, monkeypatch: Any
) -> None:
    monkeypatch.setattr("pregon.bids.services.uploads.UPLOADS_PENDING_MAX", 2)
    _start(supplier_actor, tender)
    _start(supplier_actor, tender)

    refused(ValidationFailed, "too_many_uploads", _start, supplier_actor, tender)
