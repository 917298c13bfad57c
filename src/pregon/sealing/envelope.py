"""Sealed bids: seal on the bidder's side, parse on the server, open with k shares.

Formats (``SEALED.md``; all byte strings base64url without padding, hashes lowercase hex):

- the plain bid ``pregon-bid/1``: ``{"format", "tender", "lots": [{"lot", "amount",
  "currency"}], "answers": [{"question", "answer"}], "documents": [{"id", "name", "mediaType",
  "size"}]}``, encrypted with AES-256-GCM under a fresh 32-byte data key, the ocid as additional
  data;
- each document: ``nonce(12) || ciphertext||tag`` under the data key, additional data
  ``ocid + "\\n" + document id``;
- the envelope ``pregon-sealed-bid/1`` (its RFC 8785 canonical bytes are what is uploaded and
  stored): ``{"format", "tender", "threshold", "nonce", "ciphertext", "documents": [{"id",
  "size", "sha256"}], "shares": [{"member", "share", "sha256"}]}``; the data key is split into n
  Shamir shares (k needed), each sealed to one member with HPKE, info ``"pregon-share/1\\n" +
  ocid + "\\n" + fingerprint``, and the SHA-256 of each plaintext share sits beside it so a wrong
  share is named at the opening;
- the commitment: SHA-256 of the envelope bytes, hex. The documents are covered by their SHA-256
  in the envelope.

Parsing is strict: exactly the members above, canonical bytes, canonical base64url, exact sizes,
``1 <= k <= n <= 255``, no member or document twice. Every refusal is a ``SealingError``.
"""

from __future__ import annotations

import hmac
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pregon.sealing._codec import b64decode, b64encode, is_sha256_hex, sha256_hex
from pregon.sealing.aead import KEY_SIZE, NONCE_SIZE, TAG_SIZE, aead_decrypt, aead_encrypt
from pregon.sealing.errors import SealingError
from pregon.sealing.hpke import ENC_SIZE, fingerprint, hpke_open, hpke_seal, public_from_private
from pregon.sealing.shamir import MAX_SHARES, shamir_combine, shamir_split
from pregon.tlog.errors import CanonicalizationError
from pregon.tlog.jcs import canonical_bytes, parse_json

ENVELOPE_FORMAT = "pregon-sealed-bid/1"
BID_FORMAT = "pregon-bid/1"
SHARE_INFO_PREFIX = "pregon-share/1\n"
#: The largest envelope accepted (the bids app stores it in the database; documents go apart).
MAX_ENVELOPE_BYTES = 1024 * 1024
#: A share: the 32-byte data key's Shamir share plus its x-coordinate byte.
SHARE_SIZE = KEY_SIZE + 1
#: A sealed share: HPKE ``enc`` plus the share encrypted with its tag.
SEALED_SHARE_SIZE = ENC_SIZE + SHARE_SIZE + TAG_SIZE
#: What encryption adds to a document: its nonce before and its tag after.
DOCUMENT_OVERHEAD = NONCE_SIZE + TAG_SIZE
MAX_TEXT = 10_000

_ENVELOPE_KEYS = frozenset(
    {"format", "tender", "threshold", "nonce", "ciphertext", "documents", "shares"}
)
_DOCUMENT_KEYS = frozenset({"id", "size", "sha256"})
_SHARE_KEYS = frozenset({"member", "share", "sha256"})
_BID_KEYS = frozenset({"format", "tender", "lots", "answers", "documents"})
_LOT_KEYS = frozenset({"lot", "amount", "currency"})
_ANSWER_KEYS = frozenset({"question", "answer"})
_BID_DOCUMENT_KEYS = frozenset({"id", "name", "mediaType", "size"})
_DOCUMENT_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
_AMOUNT = re.compile(r"(0|[1-9][0-9]{0,29})(\.[0-9]{1,10})?")
_CURRENCY = re.compile(r"[A-Z]{3}")


@dataclass(frozen=True, slots=True)
class Member:
    """A committee member as a bidder seals to them: fingerprint and raw X25519 public key."""

    fingerprint: str
    public_key: bytes


@dataclass(frozen=True, slots=True)
class EnvelopeDocument:
    """One encrypted document of an envelope: its id, stored size and stored bytes' SHA-256."""

    id: str
    size: int
    sha256: str


@dataclass(frozen=True, slots=True)
class EnvelopeShare:
    """One member's entry: fingerprint, HPKE-sealed share, SHA-256 of the plaintext share."""

    member: str
    share: bytes
    sha256: str


@dataclass(frozen=True, slots=True)
class Envelope:
    """A parsed ``pregon-sealed-bid/1`` envelope, with the exact bytes it was read from."""

    data: bytes
    commitment: str
    tender: str
    threshold: int
    nonce: bytes
    ciphertext: bytes
    documents: tuple[EnvelopeDocument, ...]
    shares: tuple[EnvelopeShare, ...]

    def share_for(self, member: str) -> EnvelopeShare:
        """The entry of the member with fingerprint ``member``; ``not_a_member`` if none."""
        for entry in self.shares:
            if entry.member == member:
                return entry
        raise SealingError(
            "not_a_member",
            f"The envelope holds no share for the member with fingerprint {member}.",
            details={"member": member},
        )


@dataclass(frozen=True, slots=True)
class SealedBid:
    """What sealing a bid gives the bidder: the envelope bytes, its commitment, the documents.

    ``documents`` are ``(document id, stored bytes)`` in the bid's order, ready to upload.
    """

    envelope: bytes
    commitment: str
    documents: list[tuple[str, bytes]]


def seal_bid(
    *,
    ocid: str,
    members: Sequence[Member],
    threshold: int,
    bid: Mapping[str, Any],
    documents: Sequence[tuple[str, bytes]],
) -> SealedBid:
    """Seal ``bid`` and its ``documents`` to the committee ``members`` (in published order).

    ``bid`` is the whole plain ``pregon-bid/1`` document; its ``documents`` list must name the
    given documents in the same order, with their plaintext sizes. Each member's fingerprint must
    be the SHA-256 of their public key (``bad_member_key`` otherwise), so a bidder's client seals
    only to the keys the log published. Raises ``SealingError`` for anything the envelope parser
    would refuse, and ``malformed_bid`` for a bid that is not a ``pregon-bid/1`` document.
    """
    _check_text(ocid, "tender")
    _check_committee(members, threshold)
    _check_bid(bid, ocid=ocid, sizes=[(doc_id, len(plain)) for doc_id, plain in documents])
    try:
        plain_bid = canonical_bytes(bid)
    except CanonicalizationError as error:
        raise _malformed_bid(str(error)) from error
    data_key = os.urandom(KEY_SIZE)
    nonce, ciphertext = aead_encrypt(data_key, plain_bid, ocid.encode("utf-8"))
    stored_documents = [
        (doc_id, document_seal(data_key, ocid, doc_id, plain)) for doc_id, plain in documents
    ]
    shares = shamir_split(data_key, len(members), threshold)
    envelope = {
        "format": ENVELOPE_FORMAT,
        "tender": ocid,
        "threshold": threshold,
        "nonce": b64encode(nonce),
        "ciphertext": b64encode(ciphertext),
        "documents": [
            {"id": doc_id, "size": len(stored), "sha256": sha256_hex(stored)}
            for doc_id, stored in stored_documents
        ],
        "shares": [
            {
                "member": member.fingerprint,
                "share": b64encode(
                    hpke_seal(member.public_key, share, info=_share_info(ocid, member.fingerprint))
                ),
                "sha256": sha256_hex(share),
            }
            for member, share in zip(members, shares, strict=True)
        ],
    }
    data = canonical_bytes(envelope)
    if len(data) > MAX_ENVELOPE_BYTES:
        raise SealingError(
            "too_large",
            f"The sealed bid is {len(data)} bytes; an envelope holds at most "
            f"{MAX_ENVELOPE_BYTES}. Move long texts into documents.",
            details={"size": str(len(data)), "limit": str(MAX_ENVELOPE_BYTES)},
        )
    return SealedBid(envelope=data, commitment=sha256_hex(data), documents=stored_documents)


def document_seal(data_key: bytes, ocid: str, doc_id: str, plaintext: bytes) -> bytes:
    """The stored bytes of one document: ``nonce || AES-256-GCM(data key, plaintext)``."""
    nonce, ciphertext = aead_encrypt(data_key, plaintext, _document_aad(ocid, doc_id))
    return nonce + ciphertext


def document_open(data_key: bytes, ocid: str, doc_id: str, stored: bytes) -> bytes:
    """Decrypt one stored document of a bid; ``document_altered`` if it does not authenticate.

    Names the document in ``details["document"]``. A document sealed for another tender or under
    another id fails the same way, since both are bound as additional data.
    """
    try:
        return aead_decrypt(
            data_key, stored[:NONCE_SIZE], stored[NONCE_SIZE:], _document_aad(ocid, doc_id)
        )
    except SealingError as error:
        raise SealingError(
            "document_altered",
            f"Document {doc_id} does not decrypt with the bid's key: it was altered or replaced.",
            details={"document": doc_id},
        ) from error


def parse_envelope(data: bytes) -> Envelope:
    """Read and check an envelope's bytes (what a bidder uploads); raise ``SealingError``.

    The bytes must be the envelope's RFC 8785 canonical form, since the commitment is their
    SHA-256: a re-spelled copy would commit to something else.
    """
    if len(data) > MAX_ENVELOPE_BYTES:
        raise SealingError(
            "too_large",
            f"The envelope is {len(data)} bytes; at most {MAX_ENVELOPE_BYTES} are accepted.",
            details={"size": str(len(data)), "limit": str(MAX_ENVELOPE_BYTES)},
        )
    try:
        value = parse_json(data)
    except CanonicalizationError as error:
        raise _malformed(f"it is not strict JSON ({error})") from error
    if not isinstance(value, Mapping):
        raise _malformed("it is not a JSON object")
    if "format" in value and value["format"] != ENVELOPE_FORMAT:
        raise SealingError(
            "unknown_format",
            f"This is not a sealed bid of a known format (expected {ENVELOPE_FORMAT!r}).",
            details={"format": str(value["format"])[:100]},
        )
    if set(value) != _ENVELOPE_KEYS:
        raise _malformed(f"its members must be exactly {sorted(_ENVELOPE_KEYS)}")
    if canonical_bytes(value) != data:
        raise SealingError(
            "not_canonical",
            "The envelope is not in its RFC 8785 canonical form (key order, spacing or escapes "
            "differ), so its commitment would not match.",
        )
    tender = value["tender"]
    _check_text(tender, "tender", code="malformed_envelope")
    documents = _parse_documents(value["documents"])
    shares = _parse_shares(value["shares"])
    threshold = value["threshold"]
    if not _is_int(threshold) or not 1 <= threshold <= len(shares):
        raise SealingError(
            "bad_threshold",
            f"The threshold must be an integer from 1 to the number of shares ({len(shares)}).",
            details={"shares": str(len(shares))},
        )
    nonce = b64decode(value["nonce"], field="nonce")
    if len(nonce) != NONCE_SIZE:
        raise _bad_size("nonce", f"{NONCE_SIZE} bytes", len(nonce))
    ciphertext = b64decode(value["ciphertext"], field="ciphertext")
    if len(ciphertext) < TAG_SIZE:
        raise _bad_size("ciphertext", f"at least {TAG_SIZE} bytes", len(ciphertext))
    return Envelope(
        data=bytes(data),
        commitment=sha256_hex(data),
        tender=tender,
        threshold=threshold,
        nonce=nonce,
        ciphertext=ciphertext,
        documents=documents,
        shares=shares,
    )


def share_decrypt(envelope: Envelope, *, ocid: str, private_raw: bytes, fingerprint: str) -> bytes:
    """A member's plaintext share (33 bytes) of this envelope, decrypted with their private key.

    Raises ``SealingError``: ``wrong_tender`` (the envelope is for another tender),
    ``wrong_key`` (the private key is not the one ``fingerprint`` names), ``not_a_member``,
    ``share_undecryptable`` (the sealed share does not open) and ``wrong_share`` (it opens but
    is not what the envelope's hash says: the bidder sealed it wrongly).
    """
    _check_tender(envelope, ocid)
    if not hmac.compare_digest(_fingerprint_of_private(private_raw), fingerprint):
        raise SealingError(
            "wrong_key",
            f"This private key is not the key with fingerprint {fingerprint}.",
            details={"member": fingerprint},
        )
    entry = envelope.share_for(fingerprint)
    try:
        share = hpke_open(private_raw, entry.share, info=_share_info(ocid, fingerprint))
    except SealingError as error:
        raise SealingError(
            "share_undecryptable",
            f"The share sealed to member {fingerprint} does not open with their key: the "
            "envelope was altered or sealed to another key.",
            details={"member": fingerprint},
        ) from error
    share_check(envelope, fingerprint, share)
    return share


def share_check(envelope: Envelope, fingerprint: str, share: bytes) -> None:
    """Check a handed-in plaintext share against the envelope's SHA-256 for that member.

    Raises ``SealingError("wrong_share")`` naming the member (``details["member"]``), or
    ``not_a_member`` when the envelope has no entry for ``fingerprint``.
    """
    entry = envelope.share_for(fingerprint)
    if len(share) != SHARE_SIZE or not hmac.compare_digest(sha256_hex(share), entry.sha256):
        raise SealingError(
            "wrong_share",
            f"The share handed in for member {fingerprint} is not the share sealed to them in "
            "this bid.",
            details={"member": fingerprint},
        )


def bid_open(
    envelope: Envelope, shares: Sequence[bytes], *, ocid: str
) -> tuple[bytes, dict[str, Any]]:
    """Open a sealed bid with plaintext shares; return ``(data_key, plain bid)``.

    Every share must be one of the envelope's (by its SHA-256; ``wrong_share`` names the first
    that is not), the same share given twice counts once, and at least ``threshold`` distinct
    shares are needed (``too_few_shares``). The rebuilt key must decrypt the bid
    (``undecryptable``: altered ciphertext, or shares the bidder made inconsistent), and the bid
    must be a ``pregon-bid/1`` document for this tender naming the envelope's documents
    (``malformed_bid``).
    """
    _check_tender(envelope, ocid)
    entries = {entry.sha256: entry for entry in envelope.shares}
    distinct: dict[str, bytes] = {}
    for position, share in enumerate(shares, start=1):
        digest = sha256_hex(share)
        entry = entries.get(digest)
        if len(share) != SHARE_SIZE or entry is None:
            raise SealingError(
                "wrong_share",
                f"Share number {position} is not one of the shares sealed in this bid.",
                details={"position": str(position)},
            )
        distinct.setdefault(entry.member, share)
    usable = {share[-1]: share for share in distinct.values()}  # two shares at one x: keep one
    if len(usable) < envelope.threshold:
        raise SealingError(
            "too_few_shares",
            f"The bid needs {envelope.threshold} different shares to open; {len(usable)} "
            "were given.",
            details={"threshold": str(envelope.threshold), "given": str(len(usable))},
        )
    try:
        data_key = shamir_combine(list(usable.values()))
        plain = aead_decrypt(data_key, envelope.nonce, envelope.ciphertext, ocid.encode("utf-8"))
    except (SealingError, ValueError) as error:
        raise SealingError(
            "undecryptable",
            "The bid could not be decrypted with its shares: its ciphertext was altered, or "
            "the bidder sealed it wrongly.",
        ) from error
    try:
        bid = parse_json(plain)
    except CanonicalizationError as error:
        raise _malformed_bid(f"it is not strict JSON ({error})") from error
    if not isinstance(bid, dict):
        raise _malformed_bid("it is not a JSON object")
    sizes = [(doc.id, doc.size - DOCUMENT_OVERHEAD) for doc in envelope.documents]
    _check_bid(bid, ocid=ocid, sizes=sizes)
    return data_key, bid


def _parse_documents(value: object) -> tuple[EnvelopeDocument, ...]:
    if not isinstance(value, list):
        raise _malformed('"documents" must be a list')
    result: list[EnvelopeDocument] = []
    for item in value:
        if not isinstance(item, Mapping) or set(item) != _DOCUMENT_KEYS:
            raise _malformed('each document must be {"id", "size", "sha256"}')
        doc_id, size, digest = item["id"], item["size"], item["sha256"]
        if not isinstance(doc_id, str) or not _DOCUMENT_ID.fullmatch(doc_id):
            raise _malformed("a document id must be 1 to 64 of A-Z a-z 0-9 _ -")
        if not _is_int(size) or size < DOCUMENT_OVERHEAD:
            raise _bad_size(f"document {doc_id}", f"at least {DOCUMENT_OVERHEAD} bytes", size)
        if not is_sha256_hex(digest):
            raise _malformed(f"the sha256 of document {doc_id} is not 64 lowercase hex digits")
        if any(document.id == doc_id for document in result):
            raise SealingError(
                "duplicate_document",
                f"The envelope lists document {doc_id} twice.",
                details={"document": doc_id},
            )
        result.append(EnvelopeDocument(id=doc_id, size=size, sha256=digest))
    return tuple(result)


def _parse_shares(value: object) -> tuple[EnvelopeShare, ...]:
    if not isinstance(value, list):
        raise _malformed('"shares" must be a list')
    if not 1 <= len(value) <= MAX_SHARES:
        raise SealingError(
            "bad_threshold",
            f"An envelope holds 1 to {MAX_SHARES} shares, not {len(value)}.",
            details={"shares": str(len(value))},
        )
    result: list[EnvelopeShare] = []
    for item in value:
        if not isinstance(item, Mapping) or set(item) != _SHARE_KEYS:
            raise _malformed('each share must be {"member", "share", "sha256"}')
        member, digest = item["member"], item["sha256"]
        if not is_sha256_hex(member):
            raise _malformed("a member must be named by a fingerprint, 64 lowercase hex digits")
        if not is_sha256_hex(digest):
            raise _malformed(f"the sha256 of the share of {member} is not 64 lowercase hex digits")
        sealed = b64decode(item["share"], field=f"share of {member}")
        if len(sealed) != SEALED_SHARE_SIZE:
            raise _bad_size(f"share of {member}", f"{SEALED_SHARE_SIZE} bytes", len(sealed))
        if any(entry.member == member for entry in result):
            raise SealingError(
                "duplicate_member",
                f"The envelope holds two shares for member {member}.",
                details={"member": member},
            )
        result.append(EnvelopeShare(member=member, share=sealed, sha256=digest))
    return tuple(result)


def _check_committee(members: Sequence[Member], threshold: int) -> None:
    if not 1 <= len(members) <= MAX_SHARES:
        raise SealingError(
            "bad_threshold",
            f"A committee has 1 to {MAX_SHARES} members, not {len(members)}.",
            details={"shares": str(len(members))},
        )
    if not _is_int(threshold) or not 1 <= threshold <= len(members):
        raise SealingError(
            "bad_threshold",
            f"The threshold must be an integer from 1 to the number of members ({len(members)}).",
            details={"shares": str(len(members))},
        )
    seen: set[str] = set()
    for member in members:
        if fingerprint(member.public_key) != member.fingerprint:
            raise SealingError(
                "bad_member_key",
                f"The public key given for member {member.fingerprint} does not match its "
                "fingerprint.",
                details={"member": member.fingerprint},
            )
        if member.fingerprint in seen:
            raise SealingError(
                "duplicate_member",
                f"Member {member.fingerprint} is named twice in the committee.",
                details={"member": member.fingerprint},
            )
        seen.add(member.fingerprint)


def _check_bid(bid: Mapping[str, Any], *, ocid: str, sizes: Sequence[tuple[str, int]]) -> None:
    """Check the plain bid's shape and that it describes exactly the documents ``sizes`` lists."""
    if not isinstance(bid, Mapping) or set(bid) != _BID_KEYS:
        raise _malformed_bid(f"its members must be exactly {sorted(_BID_KEYS)}")
    if bid["format"] != BID_FORMAT:
        raise _malformed_bid(f'its "format" must be {BID_FORMAT!r}')
    if bid["tender"] != ocid:
        raise _malformed_bid("it names another tender")
    lots = _list_of(bid["lots"], _LOT_KEYS, "lots")
    if not lots:
        raise _malformed_bid("it offers no lot")
    for lot in lots:
        _check_text(lot["lot"], "lot", code="malformed_bid")
        if not isinstance(lot["amount"], str) or not _AMOUNT.fullmatch(lot["amount"]):
            raise _malformed_bid('an "amount" must be a decimal string such as "1250.50"')
        if not isinstance(lot["currency"], str) or not _CURRENCY.fullmatch(lot["currency"]):
            raise _malformed_bid('a "currency" must be an ISO 4217 code such as "USD"')
    if len({lot["lot"] for lot in lots}) != len(lots):
        raise _malformed_bid("it offers one lot twice")
    answers = _list_of(bid["answers"], _ANSWER_KEYS, "answers")
    for answer in answers:
        _check_text(answer["question"], "question", code="malformed_bid")
        if not isinstance(answer["answer"], str) or len(answer["answer"]) > MAX_TEXT:
            raise _malformed_bid(f"an answer must be text of at most {MAX_TEXT} characters")
    if len({answer["question"] for answer in answers}) != len(answers):
        raise _malformed_bid("it answers one question twice")
    documents = _list_of(bid["documents"], _BID_DOCUMENT_KEYS, "documents")
    for document in documents:
        _check_text(document["name"], "document name", code="malformed_bid")
        _check_text(document["mediaType"], "document media type", code="malformed_bid")
        if not _is_int(document["size"]) or document["size"] < 0:
            raise _malformed_bid("a document size must be a non-negative integer")
    described = [(document["id"], document["size"]) for document in documents]
    if described != list(sizes):
        raise _malformed_bid(
            "its documents (ids, order and plaintext sizes) are not the documents sealed with it"
        )
    for doc_id, _ in sizes:
        if not isinstance(doc_id, str) or not _DOCUMENT_ID.fullmatch(doc_id):
            raise _malformed_bid("a document id must be 1 to 64 of A-Z a-z 0-9 _ -")
    if len({doc_id for doc_id, _ in sizes}) != len(sizes):
        raise _malformed_bid("it lists one document twice")


def _list_of(value: object, keys: frozenset[str], name: str) -> list[Mapping[str, Any]]:
    if not isinstance(value, list) or not all(
        isinstance(item, Mapping) and set(item) == keys for item in value
    ):
        raise _malformed_bid(f'"{name}" must be a list of objects with exactly {sorted(keys)}')
    return value


def _check_text(value: object, name: str, *, code: str = "malformed_bid") -> None:
    if not isinstance(value, str) or not value or len(value) > MAX_TEXT:
        message = f"{name} must be text of 1 to {MAX_TEXT} characters"
        if code == "malformed_bid":
            raise _malformed_bid(message)
        raise _malformed(message)


def _check_tender(envelope: Envelope, ocid: str) -> None:
    if envelope.tender != ocid:
        raise SealingError(
            "wrong_tender",
            f"This envelope was sealed for tender {envelope.tender}, not {ocid}.",
            details={"tender": envelope.tender},
        )


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _fingerprint_of_private(private_raw: bytes) -> str:
    return fingerprint(public_from_private(private_raw))


def _share_info(ocid: str, member: str) -> bytes:
    return (SHARE_INFO_PREFIX + ocid + "\n" + member).encode("utf-8")


def _document_aad(ocid: str, doc_id: str) -> bytes:
    return (ocid + "\n" + doc_id).encode("utf-8")


def _malformed(reason: str) -> SealingError:
    return SealingError(
        "malformed_envelope",
        f"This is not a valid sealed bid envelope: {reason}.",
        details={"reason": reason},
    )


def _malformed_bid(reason: str) -> SealingError:
    return SealingError(
        "malformed_bid", f"The plain bid is not valid: {reason}.", details={"reason": reason}
    )


def _bad_size(field: str, expected: str, got: object) -> SealingError:
    return SealingError(
        "bad_size",
        f"{field} must be {expected}, not {got}.",
        details={"field": field, "expected": expected},
    )
