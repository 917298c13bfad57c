"""The sealed-bids API: chunked uploads of encrypted documents, submitting, replacing and
withdrawing sealed bids, their receipts, and the platform's time.

A supplier acts with an API key holding `bids:submit`, or signed in (with the CSRF token).
Each endpoint parses its input, finds the object through a selector (another supplier's bid or
upload answers 404), calls one service and renders its own output schema. Submissions carry an
`Idempotency-Key`: the same key with the same body answers the first receipt again (200), with
another body 422.
"""

from __future__ import annotations

import base64
import binascii
import re
import uuid
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Header, Path, Router
from ninja.responses import Status

from pregon.bids import services
from pregon.bids.declaration import DECLARATION_VERSION, declaration_text
from pregon.bids.models import Bid, BidUpload, rfc3339
from pregon.bids.schemas import (
    BidIn,
    BidOut,
    BidReceiptOut,
    BidUploadIn,
    BidUploadOut,
    SelfDeclarationOut,
    ServerTimeOut,
    receipt_of,
)
from pregon.bids.selectors import (
    bid_of_supplier,
    bid_upload_of_supplier,
    tender_for_bidding,
)
from pregon.bids.services import DocumentRef
from pregon.core import clock
from pregon.core.errors import ValidationFailed
from pregon.core.problems import MalformedRequest, UnsupportedMediaType
from pregon.organizations.api_auth import WriteThrottle, acting, actor_of, public
from pregon.organizations.choices import ApiScope

router = Router(tags=["bids"])

_OCID = Path(
    ...,
    max_length=100,
    description="The tender's open contracting id (`ocid`), e.g. ocds-pregon-000042.",
)
_IDEMPOTENCY_KEY = (
    "1 to 64 letters, digits, `-` or `_`, new for each bid (a UUID will do). Repeating a "
    "request with the same key and the same body answers the first receipt (200); the same key "
    "with another body is refused (422)."
)
_CONTENT_RANGE = re.compile(r"bytes ([0-9]{1,15})-([0-9]{1,15})/([0-9]{1,15})")
_B64URL = re.compile(r"[A-Za-z0-9_-]*")
_CHUNK_BODY = {
    "requestBody": {
        "required": True,
        "description": "The chunk's bytes, sent as `application/octet-stream`.",
        "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
    }
}


def _bid_actions(*errors: int) -> dict[str, Any]:
    """Options of an endpoint that submits, replaces or withdraws: the bid budget besides the
    write budget."""
    return acting(
        ApiScope.BIDS_SUBMIT,
        errors=errors,
        throttles=[WriteThrottle("PREGON_BID_RATE", per_organization=True)],
    )


def _with_chunk_body(options: dict[str, Any]) -> dict[str, Any]:
    """Endpoint options that document the raw body of a chunk."""
    options["openapi_extra"].update(_CHUNK_BODY)
    return options


def _key(idempotency_key: str | None) -> str:
    if not idempotency_key:
        raise MalformedRequest(
            _("Send an Idempotency-Key header: a new key for each bid, the same key to retry."),
            code="idempotency_key_missing",
        )
    return idempotency_key


def _envelope(text: str) -> bytes:
    """The envelope's bytes from base64url without padding."""
    if not _B64URL.fullmatch(text) or len(text) % 4 == 1:
        raise ValidationFailed(
            _("The envelope must be sent in base64url without padding."),
            field="envelope",
            code="envelope_bad_base64",
        )
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):  # pragma: no cover - the pattern above rules it out
        raise ValidationFailed(
            _("The envelope must be sent in base64url without padding."),
            field="envelope",
            code="envelope_bad_base64",
        ) from None


def _documents(payload: BidIn) -> list[DocumentRef]:
    return [(document.id, document.upload) for document in payload.documents]


# ---------------------------------------------------------------------------------------------
# uploads


@router.post(
    "/tenders/{ocid}/bid-uploads",
    response={201: BidUploadOut},
    url_name="bid_upload_start",
    summary="Start the upload of an encrypted document",
    **acting(ApiScope.BIDS_SUBMIT, errors=(404, 409, 413, 422)),
)
def bid_upload_start(request: HttpRequest, payload: BidUploadIn, ocid: str = _OCID) -> BidUpload:
    """Announce an encrypted document of a bid (its stored bytes: nonce, ciphertext and tag)
    by its size and SHA-256, then send it with `PUT /bid-uploads/{id}` in chunks. Documents
    may be as large as the platform's limit for bid documents (413 beyond it). Refused once
    the bid deadline has passed (409)."""
    return services.bid_upload_start(
        actor=actor_of(request),
        tender=tender_for_bidding(ocid=ocid),
        size=payload.size,
        sha256=payload.sha256,
    )


@router.put(
    "/bid-uploads/{uuid:upload_id}",
    response=BidUploadOut,
    url_name="bid_upload_append",
    summary="Send a chunk of an upload",
    **_with_chunk_body(acting(ApiScope.BIDS_SUBMIT, errors=(400, 404, 409, 413, 415, 422))),
)
def bid_upload_append(
    request: HttpRequest,
    upload_id: uuid.UUID,
    content_range: str | None = Header(
        None,
        alias="Content-Range",
        description="`bytes START-END/TOTAL`: where the chunk goes (END inclusive) and the "
        "document's size.",
    ),
) -> BidUpload:
    """Send the bytes `START..END` of the document. A chunk must start at the upload's
    `received`: otherwise 409, whose problem carries `received`, so a client that lost its
    connection asks (or reads the 409) and sends only what is missing. The chunk that brings
    `received` to `size` completes the upload when the bytes have the announced SHA-256 (422
    otherwise: send that chunk again, or start anew). Chunks are limited in size (413)."""
    actor = actor_of(request)
    upload = bid_upload_of_supplier(organization=actor.organization, pk=upload_id)
    if (request.content_type or "") != "application/octet-stream":
        raise UnsupportedMediaType(
            _("Send the chunk as raw bytes, with Content-Type: application/octet-stream.")
        )
    chunk = request.body
    start = _chunk_start(content_range, len(chunk), upload)
    return services.bid_upload_append(actor=actor, upload=upload, offset=start, chunk=chunk)


def _chunk_start(header: str | None, length: int, upload: BidUpload) -> int:
    """The chunk's first byte from `Content-Range`, checked against the body and the upload."""
    match = _CONTENT_RANGE.fullmatch((header or "").strip())
    if match is None:
        raise MalformedRequest(
            _("Say where the chunk goes in a Content-Range header: bytes START-END/TOTAL."),
            code="content_range_invalid",
        )
    start, end, total = (int(value) for value in match.groups())
    if total != upload.size:
        raise ValidationFailed(
            _("The total in Content-Range must be the size announced for the upload (%(size)s).")
            % {"size": upload.size},
            code="content_range_total",
        )
    if end < start or end - start + 1 != length:
        raise MalformedRequest(
            _(
                "The body holds %(length)s bytes, but Content-Range announces bytes "
                "%(start)s to %(end)s."
            )
            % {"length": length, "start": start, "end": end},
            code="content_range_length",
        )
    return start


@router.get(
    "/bid-uploads/{uuid:upload_id}",
    response=BidUploadOut,
    url_name="bid_upload_get",
    summary="Read where an upload stands",
    **acting(ApiScope.BIDS_SUBMIT, write=False, errors=(404,)),
)
def bid_upload_get(request: HttpRequest, upload_id: uuid.UUID) -> BidUpload:
    """How many bytes of one of your uploads arrived (resume from `received`), and whether it
    is complete. An upload that a bid used is no longer one (404)."""
    return bid_upload_of_supplier(organization=actor_of(request).organization, pk=upload_id)


# ---------------------------------------------------------------------------------------------
# bids


@router.post(
    "/tenders/{ocid}/bids",
    response={200: BidReceiptOut, 201: BidReceiptOut},
    url_name="bid_submit",
    summary="Submit a sealed bid",
    **_bid_actions(404, 409, 413, 422),
)
def bid_submit(
    request: HttpRequest,
    payload: BidIn,
    ocid: str = _OCID,
    idempotency_key: str | None = Header(
        None, alias="Idempotency-Key", description=_IDEMPOTENCY_KEY
    ),
) -> Status[dict[str, object]]:
    """Submit the envelope your client sealed (to the tender's committee, published at
    `GET /tenders/{ocid}/committee`) with the uploads of its documents. The platform stores the
    envelope as it is, appends its commitment (SHA-256) to the transparency log at once and
    answers a receipt signed with the log's key. Accepted until the bid deadline, by the
    database's clock (409 after it); one submitted bid per supplier and tender (replace or
    withdraw it instead). The body names the version of the self-declaration the supplier
    signs (`declaration`), which the platform records with the bid: who, which version, when."""
    outcome = services.bid_submit(
        actor=actor_of(request),
        tender=tender_for_bidding(ocid=ocid),
        envelope=_envelope(payload.envelope),
        documents=_documents(payload),
        idempotency_key=_key(idempotency_key),
        declaration=payload.declaration,
    )
    return Status(201 if outcome.created else 200, receipt_of(outcome.bid))


@router.post(
    "/bids/{uuid:bid_id}/actions/replace",
    response={200: BidReceiptOut, 201: BidReceiptOut},
    url_name="bid_replace",
    summary="Replace your sealed bid",
    **_bid_actions(404, 409, 413, 422),
)
def bid_replace(
    request: HttpRequest,
    bid_id: uuid.UUID,
    payload: BidIn,
    idempotency_key: str | None = Header(
        None, alias="Idempotency-Key", description=_IDEMPOTENCY_KEY
    ),
) -> Status[dict[str, object]]:
    """Replace one of your submitted bids by a new sealed envelope, until the deadline. The
    answer is the receipt of the new bid (its log leaf says `replace`); the old one is kept,
    marked replaced."""
    actor = actor_of(request)
    outcome = services.bid_replace(
        actor=actor,
        bid=bid_of_supplier(organization=actor.organization, pk=bid_id),
        envelope=_envelope(payload.envelope),
        documents=_documents(payload),
        idempotency_key=_key(idempotency_key),
        declaration=payload.declaration,
    )
    return Status(201 if outcome.created else 200, receipt_of(outcome.bid))


@router.post(
    "/bids/{uuid:bid_id}/actions/withdraw",
    response=BidReceiptOut,
    url_name="bid_withdraw",
    summary="Withdraw your sealed bid",
    **_bid_actions(404, 409, 422),
)
def bid_withdraw(
    request: HttpRequest,
    bid_id: uuid.UUID,
    idempotency_key: str | None = Header(
        None, alias="Idempotency-Key", description=_IDEMPOTENCY_KEY
    ),
) -> dict[str, object]:
    """Withdraw one of your submitted bids, until the deadline. The answer is the receipt of
    the withdrawal (its log leaf says `withdraw`, with the bid's commitment)."""
    actor = actor_of(request)
    outcome = services.bid_withdraw(
        actor=actor,
        bid=bid_of_supplier(organization=actor.organization, pk=bid_id),
        idempotency_key=_key(idempotency_key),
    )
    return receipt_of(outcome.bid, withdrawal=True)


@router.get(
    "/bids/{uuid:bid_id}",
    response=BidOut,
    url_name="bid_get",
    summary="Read one of your bids",
    **acting(ApiScope.BIDS_SUBMIT, write=False, errors=(404,)),
)
def bid_get(request: HttpRequest, bid_id: uuid.UUID) -> Bid:
    """One of your bids with its status and the receipt of its submission. Another
    organization's bid answers 404, as one that does not exist."""
    return bid_of_supplier(organization=actor_of(request).organization, pk=bid_id)


# ---------------------------------------------------------------------------------------------
# the self-declaration


@router.get(
    "/self-declaration",
    response=SelfDeclarationOut,
    url_name="self_declaration",
    summary="Read the self-declaration signed with each bid",
    **public(),
)
def self_declaration(request: HttpRequest) -> dict[str, object]:
    """What a supplier declares with each bid, instead of uploading certificates (not
    excluded, up to date with taxes and social security, its profile true, evidence from the
    winner before the contract), in the language asked (`Accept-Language`), and the version to
    send as the bid's `declaration`."""
    return {"version": DECLARATION_VERSION, "text": declaration_text()}


# ---------------------------------------------------------------------------------------------
# time


@router.get(
    "/time",
    response=ServerTimeOut,
    url_name="server_time",
    summary="Read the platform's time",
    **public(),
)
def server_time(request: HttpRequest) -> dict[str, str]:
    """The time that decides deadlines: the database's clock. Clients show countdowns from it,
    whatever their own clock says."""
    return {"now": rfc3339(clock.db_now())}
