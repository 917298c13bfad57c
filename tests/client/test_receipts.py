"""The pure parts of the client: receipts, the committee's shape, base64url, the language."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pregon.client import errors as codes
from pregon.client.committee import (
    b64url_decode,
    b64url_encode,
    committee_compare,
    committee_parse,
)
from pregon.client.errors import ClientError
from pregon.client.i18n import language_from
from pregon.client.receipts import receipt_check, receipt_leaf, receipt_open, receipt_text
from pregon.tlog.checkpoint import ALG_ED25519, SignerKey, sign_note

ORIGIN = "example.org/log"
SIGNER = SignerKey(ORIGIN, ALG_ED25519, bytes(range(32)))
COMMITMENT = "c0ffee" + "0" * 58


def note(**fields: Any) -> str:
    values = {
        "origin": ORIGIN,
        "tender": "ocds-x-1",
        "commitment": COMMITMENT,
        "action": "submit",
        "time": "2026-03-02T12:00:00.125Z",
        "leaf_index": 41,
        **fields,
    }
    return sign_note(receipt_text(**values), [SIGNER])


def test_a_receipt_opens_with_the_logs_key() -> None:
    receipt = receipt_open(note(), SIGNER.verifier, bid_id="b-1")
    assert (receipt.tender, receipt.commitment, receipt.action) == (
        "ocds-x-1",
        COMMITMENT,
        "submit",
    )
    assert (receipt.time, receipt.leaf_index) == ("2026-03-02T12:00:00.125Z", 41)
    assert receipt.leaf == (
        b'{"action":"submit","commitment":"' + COMMITMENT.encode() + b'",'
        b'"tender":"ocds-x-1","time":"2026-03-02T12:00:00.125Z","type":"bid-commitment"}'
    )
    assert receipt.leaf == receipt_leaf(
        tender="ocds-x-1", commitment=COMMITMENT, action="submit", time="2026-03-02T12:00:00.125Z"
    )


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"origin": "other.org/log"}, "it was signed for another log (other.org/log)"),
        ({"commitment": "C0FFEE" + "0" * 58}, "its commitment is not a SHA-256 in hexadecimal"),
        ({"action": "open"}, "its action is not submit, replace or withdraw"),
        ({"time": "2026-03-02 12:00:00"}, "its time is not an RFC 3339 UTC time"),
        ({"time": "2026-03-02T12:00:00+00:00"}, "its time is not an RFC 3339 UTC time"),
        ({"leaf_index": "007"}, "its leaf index is not a whole number"),
    ],
)
def test_a_receipt_that_is_not_one_of_this_log_is_refused(
    fields: dict[str, Any], reason: str
) -> None:
    with pytest.raises(ClientError) as refused:
        receipt_open(note(**fields), SIGNER.verifier, bid_id="b-1")
    assert refused.value.code == codes.RECEIPT_INVALID
    assert refused.value.message == f"The receipt for bid b-1 is not valid: {reason}."


def test_another_signed_note_is_not_a_receipt() -> None:
    other = sign_note(f"{ORIGIN}\n3\nAAAA\n", [SIGNER])
    with pytest.raises(ClientError) as refused:
        receipt_open(other, SIGNER.verifier, bid_id="b-1")
    assert refused.value.message == "The receipt for bid b-1 is not valid: it is not a bid receipt."


def test_a_receipt_signed_by_another_key_is_refused() -> None:
    impostor = SignerKey(ORIGIN, ALG_ED25519, bytes(32))
    forged = sign_note(receipt_text(origin=ORIGIN, tender="t", commitment=COMMITMENT,
                                    action="submit", time="2026-03-02T12:00:00Z", leaf_index=1),
                       [impostor])  # fmt: skip
    with pytest.raises(ClientError) as refused:
        receipt_open(forged, SIGNER.verifier, bid_id="b-1")
    assert refused.value.message.endswith("it is not signed by the log's key.")


def test_the_signed_fields_must_be_the_expected_ones() -> None:
    receipt = receipt_open(note(), SIGNER.verifier, bid_id="b-1")
    receipt_check(receipt, tender="ocds-x-1", commitment=COMMITMENT, action="submit", leaf_index=41)
    with pytest.raises(ClientError) as refused:
        receipt_check(receipt, leaf_index=42)
    assert refused.value.message == (
        "The receipt for bid b-1 signs leafIndex 41, but 42 was expected."
    )


def member(position: int, key: bytes) -> dict[str, Any]:
    return {
        "position": position,
        "publicKey": b64url_encode(key),
        "fingerprint": hashlib.sha256(key).hexdigest(),
    }


KEYS = [bytes([n]) * 32 for n in (1, 2, 3)]


def test_a_committee_is_read_and_compared_exactly() -> None:
    served = committee_parse(
        {"threshold": 2, "members": [member(n, k) for n, k in enumerate(KEYS, start=1)]},
        ocid="o",
        where="w",
    )
    logged = committee_parse(
        {
            "threshold": 2,
            "members": [{**member(n, k), "id": str(n)} for n, k in enumerate(KEYS, start=1)],
        },
        ocid="o",
        where="w",
    )
    committee_compare(served, logged)
    assert [m.public_key for m in served.members] == KEYS
    other = committee_parse(
        {"threshold": 3, "members": [member(n, k) for n, k in enumerate(KEYS, start=1)]},
        ocid="o",
        where="w",
    )
    with pytest.raises(ClientError) as refused:
        committee_compare(served, other)
    assert refused.value.code == codes.COMMITTEE_MISMATCH


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (None, "it is missing"),
        ({"threshold": 1, "members": []}, "it has no members"),
        ({"threshold": 4, "members": [member(1, KEYS[0])]}, "its threshold is not between 1 and the number of members"),
        ({"threshold": True, "members": [member(1, KEYS[0])]}, "its threshold is not between 1 and the number of members"),
        ({"threshold": 1, "members": [member(2, KEYS[0])]}, "member 1 is not in position 1"),
        ({"threshold": 1, "members": [{**member(1, KEYS[0]), "publicKey": "AAAA"}]}, "the key of member 1 is not 32 bytes in base64url"),
        ({"threshold": 1, "members": [{**member(1, KEYS[0]), "fingerprint": "0" * 64}]}, "the fingerprint of member 1 is not the SHA-256 of its key"),
        ({"threshold": 1, "members": [member(1, KEYS[0]), member(2, KEYS[0])]}, "a key appears twice"),
    ],
)  # fmt: skip
def test_a_malformed_committee_is_refused(value: Any, reason: str) -> None:
    with pytest.raises(ClientError) as refused:
        committee_parse(value, ocid="ocds-x-1", where="the committee endpoint")
    assert refused.value.message == (
        f"The opening committee of ocds-x-1 in the committee endpoint is not valid: {reason}."
    )


@given(st.binary(max_size=100))
def test_base64url_round_trips(data: bytes) -> None:
    text = b64url_encode(data)
    assert "=" not in text
    assert b64url_decode(text) == data


@pytest.mark.parametrize("text", ["AAA=", "A", "AB+/", "AB", "A B"])
def test_base64url_is_strict(text: str) -> None:
    # "AB" decodes, but its last character has stray bits: "AA" is the one spelling of b"\0".
    with pytest.raises(ValueError):
        b64url_decode(text)


@pytest.mark.parametrize(
    ("environ", "language"),
    [
        ({"PREGON_LANGUAGE": "fr", "LANG": "es_CO.UTF-8"}, "fr"),
        ({"LC_ALL": "pt_BR.UTF-8"}, "pt-br"),
        ({"LANG": "pt_PT.UTF-8"}, "pt-br"),
        ({"LC_MESSAGES": "es_CO@euro", "LANG": "fr_FR"}, "es"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({}, "en"),
    ],
)
def test_the_language_is_the_terminals(environ: dict[str, str], language: str) -> None:
    assert language_from(environ) == language
