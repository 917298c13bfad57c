"""Input and output schemas of the opening's API (field names as the sealed-bid formats spell
them: camelCase). The envelopes carry no bidder; the opening record does, once it exists."""

# The field names are those of the published formats (camelCase), not Python's.
# ruff: noqa: N815

from __future__ import annotations

import uuid
from typing import Literal

from ninja import Field, Schema

from pregon.bids.choices_opening import HAND_IN_MAX_SHARES

#: A 33-byte share in base64url without padding is 44 characters.
SHARE_PATTERN = "^[A-Za-z0-9_-]{44}$"


class OpeningEnvelopeOut(Schema):
    """A sealed bid as the committee receives it: its id and its envelope, no bidder."""

    id: uuid.UUID
    envelope: str = Field(
        description="The envelope's exact bytes (`pregon-sealed-bid/1`) in base64url without "
        "padding; their SHA-256 is the bid's commitment in the transparency log."
    )


class OpeningEnvelopesOut(Schema):
    bids: list[OpeningEnvelopeOut] = Field(
        description="The bids standing at the deadline, in the order they were received."
    )


class ShareIn(Schema):
    bid: uuid.UUID = Field(description="The sealed bid this share opens.")
    share: str = Field(
        pattern=SHARE_PATTERN,
        description="Your plaintext share of that bid (33 bytes) in base64url without padding.",
    )


class DeclarationIn(Schema):
    bid: uuid.UUID = Field(description="The sealed bid whose share you cannot decrypt.")
    reason: Literal["share_undecryptable", "share_mismatch"] = Field(
        description="`share_undecryptable`: your key does not open the share sealed to you "
        "(HPKE fails); `share_mismatch`: what it decrypts is not the share whose SHA-256 the "
        "envelope holds for you."
    )


class SharesIn(Schema):
    shares: list[ShareIn] = Field(
        max_length=HAND_IN_MAX_SHARES,
        description="One share per sealed bid; empty only when the tender has no bids or you "
        "declare every bid.",
    )
    declarations: list[DeclarationIn] = Field(
        default_factory=list,
        max_length=HAND_IN_MAX_SHARES,
        description="One declaration per bid whose share you cannot decrypt, instead of its "
        "share. Public: your position is named with the bid in the opening record. A bid is "
        "given a share or a declaration, never both, and a declaration never changes.",
    )


class HandInOut(Schema):
    handedIn: int = Field(description="How many of your shares the opening now holds.")
    declared: int = Field(
        description="How many of your declarations (bids whose share you cannot decrypt) the "
        "opening now holds."
    )
    opened: bool = Field(description="Whether the bids are open (this hand-in, or an earlier one).")


class RecordTendererOut(Schema):
    id: str = Field(description="The bidder's party id in the tender's OCDS release.")
    name: str
    scale: str = Field(
        description="Its size at the opening: micro, small, medium, large or selfEmployed."
    )
    cooperative: bool


class RecordLotOut(Schema):
    lot: str
    amount: str = Field(description="The price offered, as a decimal string.")
    currency: str


class RecordDocumentOut(Schema):
    id: str
    sha256: str = Field(description="SHA-256 of the stored, encrypted document.")
    intact: bool = Field(
        description="Whether the stored document has that size and SHA-256 and decrypts "
        "under the bid's key."
    )


class RecordBidOut(Schema):
    id: uuid.UUID
    commitment: str = Field(description="SHA-256 of the envelope, as logged at submission.")
    receivedAt: str
    leafIndex: int = Field(description="The submission's leaf in the transparency log.")
    tenderer: RecordTendererOut
    members: list[int] = Field(
        description="The committee positions whose shares were used to open this bid."
    )
    declaredBy: list[int] | None = Field(
        None,
        description="Only when some member declared that they could not decrypt their share of "
        "this bid: their committee positions.",
    )
    outcome: Literal["opened", "undecryptable"]
    reason: str | None = Field(
        None,
        description="Only for a bid that could not be decrypted: `envelope_altered` (the "
        "stored envelope is not the committed one), `shares_undecryptable` (more than n - k "
        "members declared they could not decrypt their shares, named in `declaredBy`, so it "
        "could never hold k), `undecryptable` (its ciphertext does not decrypt under the "
        "rebuilt key), `malformed_bid` (it decrypts to something that is not a bid for this "
        "tender).",
    )
    lots: list[RecordLotOut] | None = Field(None, description="Only for an opened bid.")
    documents: list[RecordDocumentOut] | None = Field(None, description="Only for an opened bid.")


class RecordStatisticsOut(Schema):
    bids: int
    smeBids: int
    microBids: int
    smallBids: int
    mediumBids: int
    cooperativeBids: int


class OpeningRecordOut(Schema):
    """The opening record, exactly as appended to the transparency log (kind `opening`): its
    RFC 8785 bytes hash to the leaf at the index in the `Pregon-Log-Leaf-Index` header."""

    format: Literal["pregon-opening/1"]
    tender: str
    openedAt: str
    threshold: int
    bids: list[RecordBidOut]
    statistics: RecordStatisticsOut
