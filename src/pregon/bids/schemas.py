"""Input and output schemas of the sealed-bids API (field names as the sealed-bid formats spell
them: camelCase). No schema carries a plaintext: only envelopes, hashes and receipts."""

from __future__ import annotations

import uuid

from ninja import Field, Schema

from pregon.bids.choices import DOCUMENT_ID_PATTERN, BidStatus
from pregon.bids.models import Bid, BidDeclaration, BidUpload, rfc3339

_SHA256 = "^[0-9a-f]{64}$"
# An envelope is at most 1 MiB, its base64url at most 4/3 of it.
_ENVELOPE_B64_MAX = 1_398_102


class BidUploadIn(Schema):
    """An encrypted document about to be uploaded in chunks."""

    size: int = Field(
        ge=1,
        description="Size in bytes of the stored (encrypted) document: nonce, ciphertext, tag.",
    )
    sha256: str = Field(
        pattern=_SHA256, description="SHA-256 of those bytes, lowercase hexadecimal."
    )


class BidUploadOut(Schema):
    """Where an upload stands: send the bytes from `received` on."""

    id: uuid.UUID
    received: int = Field(description="Bytes received so far; the next chunk starts here.")
    size: int
    complete: bool = Field(description="All bytes arrived and their SHA-256 is the announced one.")

    @staticmethod
    def resolve_complete(obj: BidUpload) -> bool:
        return obj.is_complete


class BidDocumentIn(Schema):
    id: str = Field(pattern=DOCUMENT_ID_PATTERN, description="The document's id in the envelope.")
    upload: uuid.UUID = Field(description="The complete upload holding its encrypted bytes.")


class BidIn(Schema):
    """A sealed bid: the envelope's exact bytes and the uploads of its documents."""

    envelope: str = Field(
        min_length=1,
        max_length=_ENVELOPE_B64_MAX,
        description="The envelope (`pregon-sealed-bid/1`, its RFC 8785 bytes, at most 1 MiB) in "
        "base64url without padding.",
    )
    documents: list[BidDocumentIn] = Field(
        default_factory=list, max_length=100, description="One entry per document of the envelope."
    )
    declaration: str = Field(
        "",
        max_length=16,
        description="The version of the self-declaration the supplier signs with this bid "
        "(`GET /self-declaration`: read it to the person who bids first). Required: a bid "
        "without it, or with another version than the current one, is refused (422). The "
        "declaration stands in for certificates; only the winner gives the evidence, before "
        "the contract.",
    )


class BidReceiptOut(Schema):
    """The receipt of a submission, replacement or withdrawal, signed with the log's key."""

    id: uuid.UUID = Field(description="The bid.")
    commitment: str = Field(description="SHA-256 of the envelope, lowercase hexadecimal.")
    leafIndex: int = Field(description="The index of its leaf in the transparency log.")  # noqa: N815
    receivedAt: str = Field(  # noqa: N815
        description="When the platform received it, by the database's clock (RFC 3339, UTC)."
    )
    receipt: str = Field(
        description="A signed note: the log's origin, `pregon bid receipt`, the ocid, the "
        "commitment, the action, the time and the leaf index, one per line, then the log's "
        "signature (verify it with the log's public key, /log/public-key)."
    )


class DeclarationOut(Schema):
    """The self-declaration signed with a bid (not secret: it says nothing of the offer)."""

    version: str
    declaredBy: str = Field(  # noqa: N815
        description="Who signed it: the person's e-mail address, or the API key's prefix."
    )
    declaredAt: str = Field(description="When (the bid's reception, RFC 3339, UTC).")  # noqa: N815

    @staticmethod
    def resolve_declaredBy(obj: BidDeclaration) -> str:  # noqa: N802
        return obj.declared_by_label

    @staticmethod
    def resolve_declaredAt(obj: BidDeclaration) -> str:  # noqa: N802
        return rfc3339(obj.declared_at)


class SelfDeclarationOut(Schema):
    """The self-declaration a supplier signs with each bid, in the language asked."""

    version: str = Field(description="The version to send as a bid's `declaration`.")
    text: list[str] = Field(description="What the supplier declares, paragraph by paragraph.")


class BidOut(Schema):
    """One of your bids, with the receipt of its submission."""

    id: uuid.UUID
    tender: str = Field(description="The tender's ocid.")
    status: BidStatus
    commitment: str
    leafIndex: int  # noqa: N815
    receivedAt: str  # noqa: N815
    receipt: str
    declaration: DeclarationOut | None = Field(
        description="The self-declaration signed with it (null for bids made before they were "
        "asked)."
    )

    @staticmethod
    def resolve_declaration(obj: Bid) -> BidDeclaration | None:
        try:
            return obj.declaration
        except BidDeclaration.DoesNotExist:
            return None

    @staticmethod
    def resolve_tender(obj: Bid) -> str:
        return str(obj.tender.ocid)

    @staticmethod
    def resolve_leafIndex(obj: Bid) -> int:  # noqa: N802
        return int(obj.leaf_index)

    @staticmethod
    def resolve_receivedAt(obj: Bid) -> str:  # noqa: N802
        return rfc3339(obj.received_at)


class ServerTimeOut(Schema):
    now: str = Field(description="The platform's time, by the database's clock (RFC 3339, UTC).")


def receipt_of(bid: Bid, *, withdrawal: bool = False) -> dict[str, object]:
    """The receipt of a bid's submission (or of its withdrawal) as the API answers it."""
    if withdrawal and bid.withdrawn_at is not None and bid.withdraw_leaf_index is not None:
        return {
            "id": bid.pk,
            "commitment": bid.commitment,
            "leafIndex": bid.withdraw_leaf_index,
            "receivedAt": rfc3339(bid.withdrawn_at),
            "receipt": bid.withdraw_receipt,
        }
    return {
        "id": bid.pk,
        "commitment": bid.commitment,
        "leafIndex": bid.leaf_index,
        "receivedAt": rfc3339(bid.received_at),
        "receipt": bid.receipt,
    }
