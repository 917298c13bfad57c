"""Sealed bids end to end: seal, parse, decrypt shares, open; strict parsing; every tamper named."""

from __future__ import annotations

import base64
import hashlib
import json
import os
from typing import Any

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from hypothesis import given, settings
from hypothesis import strategies as st

from pregon.sealing import (
    Envelope,
    Member,
    SealingError,
    bid_open,
    document_open,
    fingerprint,
    generate_member_key,
    parse_envelope,
    seal_bid,
    share_check,
    share_decrypt,
)
from pregon.sealing.hpke import hpke_open, hpke_seal
from pregon.sealing.shamir import shamir_combine, shamir_split
from pregon.tlog.jcs import canonical_bytes
from tests.sealing.support import OCID, Committee, committee, plain_bid

DOCUMENTS = [("d1", b"%PDF-1.7 price list"), ("d2", b"")]
COMMITTEE = committee(3)
SEALED = seal_bid(
    ocid=OCID,
    members=COMMITTEE.members,
    threshold=2,
    bid=plain_bid(DOCUMENTS),
    documents=DOCUMENTS,
)
ENVELOPE = parse_envelope(SEALED.envelope)


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def shares_of(sealed_committee: Committee, envelope: Envelope) -> list[bytes]:
    """Every member's plaintext share, decrypted as each member would on their device."""
    return [
        share_decrypt(
            envelope, ocid=envelope.tender, private_raw=private, fingerprint=member.fingerprint
        )
        for private, member in zip(
            sealed_committee.private_keys, sealed_committee.members, strict=True
        )
    ]


SHARES = shares_of(COMMITTEE, ENVELOPE)


def flip(data: bytes, position: int, bit: int = 0) -> bytes:
    changed = bytearray(data)
    changed[position] ^= 1 << bit
    return bytes(changed)


def envelope_json() -> dict[str, Any]:
    value: dict[str, Any] = json.loads(SEALED.envelope)
    return value


def code_of(error: pytest.ExceptionInfo[SealingError]) -> str:
    return error.value.code


# Sealing and opening ------------------------------------------------------------------------------


def test_the_envelope_has_the_contract_layout() -> None:
    value = envelope_json()

    assert SEALED.envelope == canonical_bytes(value)
    assert SEALED.commitment == hashlib.sha256(SEALED.envelope).hexdigest()
    assert sorted(value) == [
        "ciphertext",
        "documents",
        "format",
        "nonce",
        "shares",
        "tender",
        "threshold",
    ]
    assert value["format"] == "pregon-sealed-bid/1"
    assert value["tender"] == OCID
    assert value["threshold"] == 2
    assert len(unb64(value["nonce"])) == 12
    assert [share["member"] for share in value["shares"]] == [
        member.fingerprint for member in COMMITTEE.members
    ]
    assert [len(unb64(share["share"])) for share in value["shares"]] == [81, 81, 81]
    assert value["documents"] == [
        {"id": doc_id, "size": len(stored), "sha256": hashlib.sha256(stored).hexdigest()}
        for doc_id, stored in SEALED.documents
    ]
    assert [(doc_id, len(stored)) for doc_id, stored in SEALED.documents] == [
        ("d1", 47),
        ("d2", 28),
    ]


def test_the_parts_decrypt_by_the_contract_without_our_code() -> None:
    value = envelope_json()
    members = COMMITTEE.members
    # Shares: HPKE to each member with the contract's info; their hashes are in the envelope.
    shares = [
        hpke_open(
            private,
            unb64(entry["share"]),
            info=f"pregon-share/1\n{OCID}\n{member.fingerprint}".encode(),
        )
        for private, member, entry in zip(
            COMMITTEE.private_keys, members, value["shares"], strict=True
        )
    ]
    assert [hashlib.sha256(share).hexdigest() for share in shares] == [
        entry["sha256"] for entry in value["shares"]
    ]
    data_key = shamir_combine(shares[:2])
    # The bid: AES-256-GCM, aad = the ocid; the documents: nonce || ct, aad = ocid \n id.
    plain = AESGCM(data_key).decrypt(
        unb64(value["nonce"]), unb64(value["ciphertext"]), OCID.encode()
    )
    assert plain == canonical_bytes(plain_bid(DOCUMENTS))
    for (doc_id, stored), (_, original) in zip(SEALED.documents, DOCUMENTS, strict=True):
        aad = f"{OCID}\n{doc_id}".encode()
        assert AESGCM(data_key).decrypt(stored[:12], stored[12:], aad) == original


def test_parsing_gives_the_fields_and_the_exact_bytes() -> None:
    assert ENVELOPE.data == SEALED.envelope
    assert ENVELOPE.commitment == SEALED.commitment
    assert ENVELOPE.tender == OCID
    assert ENVELOPE.threshold == 2
    assert [document.id for document in ENVELOPE.documents] == ["d1", "d2"]
    assert [entry.member for entry in ENVELOPE.shares] == [m.fingerprint for m in COMMITTEE.members]


def test_two_members_open_the_bid_and_its_documents() -> None:
    data_key, bid = bid_open(ENVELOPE, SHARES[1:], ocid=OCID)

    assert bid == plain_bid(DOCUMENTS)
    assert [
        document_open(data_key, OCID, doc_id, stored) for doc_id, stored in SEALED.documents
    ] == [data for _, data in DOCUMENTS]


def test_each_seal_uses_a_fresh_data_key() -> None:
    again = seal_bid(
        ocid=OCID,
        members=COMMITTEE.members,
        threshold=2,
        bid=plain_bid(DOCUMENTS),
        documents=DOCUMENTS,
    )
    envelope = parse_envelope(again.envelope)
    key_again, _ = bid_open(envelope, shares_of(COMMITTEE, envelope)[:2], ocid=OCID)
    key_first, _ = bid_open(ENVELOPE, SHARES[:2], ocid=OCID)

    assert key_again != key_first
    assert again.commitment != SEALED.commitment


@st.composite
def sealings(draw: st.DrawFn) -> tuple[int, int, list[tuple[str, bytes]], list[int]]:
    n = draw(st.integers(min_value=1, max_value=5))
    k = draw(st.integers(min_value=1, max_value=n))
    contents = draw(st.lists(st.binary(max_size=200), max_size=3))
    documents = [(f"d{index}", content) for index, content in enumerate(contents, start=1)]
    order = draw(st.permutations(range(n)))
    return n, k, documents, order


COMMITTEE_OF_FIVE = committee(5)


@settings(max_examples=30, deadline=None)
@given(sealings())
def test_any_k_of_n_members_open_and_k_minus_one_never_do(
    case: tuple[int, int, list[tuple[str, bytes]], list[int]],
) -> None:
    n, k, documents, order = case
    members = Committee(COMMITTEE_OF_FIVE.private_keys[:n], COMMITTEE_OF_FIVE.members[:n])
    sealed = seal_bid(
        ocid=OCID,
        members=members.members,
        threshold=k,
        bid=plain_bid(documents),
        documents=documents,
    )
    envelope = parse_envelope(sealed.envelope)
    shares = shares_of(members, envelope)

    for size in range(k, n + 1):
        data_key, bid = bid_open(envelope, [shares[i] for i in order[:size]], ocid=OCID)
        assert bid == plain_bid(documents)
        assert [document_open(data_key, OCID, d, s) for d, s in sealed.documents] == [
            content for _, content in documents
        ]
    few = [shares[i] for i in order[: k - 1]]
    with pytest.raises(SealingError) as raised:
        bid_open(envelope, few, ocid=OCID)
    assert code_of(raised) == "too_few_shares"
    assert raised.value.details == {"threshold": str(k), "given": str(k - 1)}
    if k > 2:
        # Not only refused: k-1 shares really do not rebuild the key.
        key, _ = bid_open(envelope, [shares[i] for i in order[:k]], ocid=OCID)
        assert shamir_combine(few) != key


def test_the_same_share_twice_counts_once() -> None:
    with pytest.raises(SealingError) as raised:
        bid_open(ENVELOPE, [SHARES[0], SHARES[0]], ocid=OCID)

    assert code_of(raised) == "too_few_shares"
    assert raised.value.details["given"] == "1"


def test_a_committee_of_one_opens_with_its_only_share() -> None:
    single = committee(1)
    sealed = seal_bid(
        ocid=OCID, members=single.members, threshold=1, bid=plain_bid([]), documents=[]
    )
    envelope = parse_envelope(sealed.envelope)

    assert bid_open(envelope, shares_of(single, envelope), ocid=OCID)[1] == plain_bid([])
    with pytest.raises(SealingError) as raised:
        bid_open(envelope, [], ocid=OCID)
    assert code_of(raised) == "too_few_shares"


# Tampering is detected and named ------------------------------------------------------------------


def with_fields(**changes: Any) -> bytes:
    value = envelope_json()
    value.update(changes)
    return canonical_bytes(value)


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_a_flipped_bit_in_the_bid_ciphertext_or_nonce_is_undecryptable(data: st.DataObject) -> None:
    field = data.draw(st.sampled_from(["ciphertext", "nonce"]))
    raw = unb64(envelope_json()[field])
    position = data.draw(st.integers(min_value=0, max_value=len(raw) - 1))
    bit = data.draw(st.integers(min_value=0, max_value=7))
    envelope = parse_envelope(with_fields(**{field: b64(flip(raw, position, bit))}))

    with pytest.raises(SealingError) as raised:
        bid_open(envelope, SHARES[:2], ocid=OCID)

    assert code_of(raised) == "undecryptable"
    assert envelope.commitment != SEALED.commitment


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_a_flipped_bit_in_a_stored_document_is_named(data: st.DataObject) -> None:
    data_key, _ = bid_open(ENVELOPE, SHARES[:2], ocid=OCID)
    index = data.draw(st.sampled_from([0, 1]))
    doc_id, stored = SEALED.documents[index]
    position = data.draw(st.integers(min_value=0, max_value=len(stored) - 1))
    altered = flip(stored, position, data.draw(st.integers(min_value=0, max_value=7)))

    with pytest.raises(SealingError) as raised:
        document_open(data_key, OCID, doc_id, altered)

    assert code_of(raised) == "document_altered"
    assert raised.value.details == {"document": doc_id}
    assert hashlib.sha256(altered).hexdigest() != ENVELOPE.documents[index].sha256


@pytest.mark.parametrize(
    ("ocid", "doc_id", "cut"),
    [("ocds-other", "d1", 0), (OCID, "d2", 0), (OCID, "d1", 1), (OCID, "d1", 36)],
)
def test_a_document_moved_to_another_tender_or_id_or_truncated_is_named(
    ocid: str, doc_id: str, cut: int
) -> None:
    data_key, _ = bid_open(ENVELOPE, SHARES[:2], ocid=OCID)
    stored = SEALED.documents[0][1]

    with pytest.raises(SealingError) as raised:
        document_open(data_key, ocid, doc_id, stored[: len(stored) - cut])

    assert code_of(raised) == "document_altered"


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_a_flipped_bit_in_a_handed_in_share_is_a_wrong_share(data: st.DataObject) -> None:
    index = data.draw(st.integers(min_value=0, max_value=2))
    position = data.draw(st.integers(min_value=0, max_value=32))
    altered = flip(SHARES[index], position, data.draw(st.integers(min_value=0, max_value=7)))
    member = COMMITTEE.members[index].fingerprint

    with pytest.raises(SealingError) as raised:
        share_check(ENVELOPE, member, altered)
    assert code_of(raised) == "wrong_share"
    assert raised.value.details == {"member": member}

    others = [share for i, share in enumerate(SHARES) if i != index]
    with pytest.raises(SealingError) as raised:
        bid_open(ENVELOPE, [others[0], altered], ocid=OCID)
    assert code_of(raised) == "wrong_share"
    assert raised.value.details == {"position": "2"}


def test_a_member_share_handed_in_for_another_member_is_a_wrong_share() -> None:
    share_check(ENVELOPE, COMMITTEE.members[0].fingerprint, SHARES[0])

    with pytest.raises(SealingError) as raised:
        share_check(ENVELOPE, COMMITTEE.members[1].fingerprint, SHARES[0])

    assert code_of(raised) == "wrong_share"


@pytest.mark.parametrize("share", [b"", b"\x00" * 32, b"\x00" * 34])
def test_a_share_of_another_size_is_a_wrong_share(share: bytes) -> None:
    with pytest.raises(SealingError) as raised:
        share_check(ENVELOPE, COMMITTEE.members[0].fingerprint, share)
    assert code_of(raised) == "wrong_share"


@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_a_flipped_bit_in_a_sealed_share_does_not_decrypt(data: st.DataObject) -> None:
    value = envelope_json()
    index = data.draw(st.integers(min_value=0, max_value=2))
    raw = unb64(value["shares"][index]["share"])
    position = data.draw(st.integers(min_value=0, max_value=len(raw) - 1))
    value["shares"][index]["share"] = b64(flip(raw, position, data.draw(st.integers(0, 7))))
    envelope = parse_envelope(canonical_bytes(value))
    member = COMMITTEE.members[index].fingerprint

    with pytest.raises(SealingError) as raised:
        share_decrypt(
            envelope, ocid=OCID, private_raw=COMMITTEE.private_keys[index], fingerprint=member
        )

    assert code_of(raised) == "share_undecryptable"
    assert raised.value.details == {"member": member}


def test_a_share_hash_the_bidder_got_wrong_is_named_when_the_member_decrypts() -> None:
    value = envelope_json()
    value["shares"][1]["sha256"] = "0" * 64
    envelope = parse_envelope(canonical_bytes(value))
    member = COMMITTEE.members[1].fingerprint

    with pytest.raises(SealingError) as raised:
        share_decrypt(
            envelope, ocid=OCID, private_raw=COMMITTEE.private_keys[1], fingerprint=member
        )

    assert code_of(raised) == "wrong_share"
    assert raised.value.details == {"member": member}


def test_shares_the_bidder_made_inconsistent_leave_the_bid_undecryptable() -> None:
    # Member 3's entry holds a random share with a matching hash: it passes every check a
    # member or the server can make, and only decryption finds the bid cannot be opened.
    value = envelope_json()
    member = COMMITTEE.members[2]
    bogus = os.urandom(32) + SHARES[2][-1:]
    value["shares"][2]["share"] = b64(
        hpke_seal(
            member.public_key, bogus, info=f"pregon-share/1\n{OCID}\n{member.fingerprint}".encode()
        )
    )
    value["shares"][2]["sha256"] = hashlib.sha256(bogus).hexdigest()
    envelope = parse_envelope(canonical_bytes(value))
    shares = shares_of(COMMITTEE, envelope)
    assert shares[2] == bogus

    assert bid_open(envelope, shares[:2], ocid=OCID)[1] == plain_bid(DOCUMENTS)
    with pytest.raises(SealingError) as raised:
        bid_open(envelope, [shares[0], shares[2]], ocid=OCID)
    assert code_of(raised) == "undecryptable"


def test_a_bid_moved_to_another_tender_does_not_open() -> None:
    moved = parse_envelope(with_fields(tender="ocds-b5fd17-000043"))
    shares = [
        hpke_open(
            COMMITTEE.private_keys[0],
            ENVELOPE.shares[0].share,
            info=f"pregon-share/1\n{OCID}\n{COMMITTEE.members[0].fingerprint}".encode(),
        ),
        SHARES[1],
    ]

    with pytest.raises(SealingError) as raised:
        bid_open(moved, shares, ocid="ocds-b5fd17-000043")
    assert code_of(raised) == "undecryptable"  # the ocid is the bid's aad
    with pytest.raises(SealingError) as raised:
        share_decrypt(
            moved,
            ocid="ocds-b5fd17-000043",
            private_raw=COMMITTEE.private_keys[0],
            fingerprint=COMMITTEE.members[0].fingerprint,
        )
    assert code_of(raised) == "share_undecryptable"  # and part of each share's HPKE info


def test_an_envelope_used_for_another_tender_is_refused() -> None:
    with pytest.raises(SealingError) as raised:
        bid_open(ENVELOPE, SHARES, ocid="ocds-other")
    assert code_of(raised) == "wrong_tender"
    with pytest.raises(SealingError) as raised:
        share_decrypt(
            ENVELOPE,
            ocid="ocds-other",
            private_raw=COMMITTEE.private_keys[0],
            fingerprint=COMMITTEE.members[0].fingerprint,
        )
    assert code_of(raised) == "wrong_tender"


def test_share_decryption_names_a_wrong_key_and_a_non_member() -> None:
    stranger_private, stranger_public = generate_member_key()

    with pytest.raises(SealingError) as raised:
        share_decrypt(
            ENVELOPE,
            ocid=OCID,
            private_raw=stranger_private,
            fingerprint=COMMITTEE.members[0].fingerprint,
        )
    assert code_of(raised) == "wrong_key"
    with pytest.raises(SealingError) as raised:
        share_decrypt(
            ENVELOPE,
            ocid=OCID,
            private_raw=stranger_private,
            fingerprint=fingerprint(stranger_public),
        )
    assert code_of(raised) == "not_a_member"
    with pytest.raises(SealingError) as raised:
        share_check(ENVELOPE, fingerprint(stranger_public), SHARES[0])
    assert code_of(raised) == "not_a_member"


# A bid that decrypts but is not a pregon-bid/1 document --------------------------------------------


def forge(
    plain: bytes, documents: list[dict[str, Any]] | None = None
) -> tuple[Envelope, list[bytes]]:
    """An envelope whose ciphertext is ``plain``, sealed by hand as a bidder's client could."""
    data_key = os.urandom(32)
    nonce = os.urandom(12)
    shares = shamir_split(data_key, 3, 2)
    value = {
        "format": "pregon-sealed-bid/1",
        "tender": OCID,
        "threshold": 2,
        "nonce": b64(nonce),
        "ciphertext": b64(AESGCM(data_key).encrypt(nonce, plain, OCID.encode())),
        "documents": documents or [],
        "shares": [
            {
                "member": member.fingerprint,
                "share": b64(
                    hpke_seal(
                        member.public_key,
                        share,
                        info=f"pregon-share/1\n{OCID}\n{member.fingerprint}".encode(),
                    )
                ),
                "sha256": hashlib.sha256(share).hexdigest(),
            }
            for member, share in zip(COMMITTEE.members, shares, strict=True)
        ],
    }
    return parse_envelope(canonical_bytes(value)), shares


def bid_with(**changes: Any) -> dict[str, Any]:
    bid = plain_bid([])
    bid.update(changes)
    return bid


LOT = {"lot": "lot-1", "amount": "10", "currency": "USD"}


@pytest.mark.parametrize(
    "bid",
    [
        bid_with(format="pregon-bid/2"),
        bid_with(tender="ocds-other"),
        bid_with(extra=1),
        {key: value for key, value in plain_bid([]).items() if key != "answers"},
        bid_with(lots=[]),
        bid_with(lots=[LOT, LOT]),
        bid_with(lots=[{**LOT, "amount": "-1"}]),
        bid_with(lots=[{**LOT, "amount": "01"}]),
        bid_with(lots=[{**LOT, "amount": "1e3"}]),
        bid_with(lots=[{**LOT, "amount": 10}]),
        bid_with(lots=[{**LOT, "currency": "usd"}]),
        bid_with(lots=[{**LOT, "lot": ""}]),
        bid_with(lots=[{**LOT, "extra": "x"}]),
        bid_with(lots=LOT),
        bid_with(answers=[{"question": "q1", "answer": 3}]),
        bid_with(answers=[{"question": "q1", "answer": "a"}, {"question": "q1", "answer": "b"}]),
        bid_with(documents=[{"id": "d1", "name": "a", "mediaType": "text/plain", "size": 0}]),
    ],
)
def test_a_bid_that_is_not_a_pregon_bid_document_is_named(bid: dict[str, Any]) -> None:
    envelope, shares = forge(canonical_bytes(bid))

    with pytest.raises(SealingError) as raised:
        bid_open(envelope, shares[:2], ocid=OCID)
    assert code_of(raised) == "malformed_bid"
    with pytest.raises(SealingError) as raised:
        seal_bid(ocid=OCID, members=COMMITTEE.members, threshold=2, bid=bid, documents=[])
    assert code_of(raised) == "malformed_bid"


@pytest.mark.parametrize("plain", [b"not json", b"[]", b'{"format": 1, "format": 2}'])
def test_a_plain_bid_that_is_not_a_json_object_is_named(plain: bytes) -> None:
    envelope, shares = forge(plain)

    with pytest.raises(SealingError) as raised:
        bid_open(envelope, shares[:2], ocid=OCID)
    assert code_of(raised) == "malformed_bid"


def test_a_bid_must_describe_the_envelopes_documents() -> None:
    described = {"id": "d1", "name": "a.pdf", "mediaType": "application/pdf", "size": 5}
    listed = [{"id": "d1", "size": 5 + 28, "sha256": "0" * 64}]
    matching, shares = forge(canonical_bytes(bid_with(documents=[described])), listed)
    assert bid_open(matching, shares[:2], ocid=OCID)[1]["documents"] == [described]

    for wrong in [{**described, "size": 6}, {**described, "id": "d2"}]:
        envelope, shares = forge(canonical_bytes(bid_with(documents=[wrong])), listed)
        with pytest.raises(SealingError) as raised:
            bid_open(envelope, shares[:2], ocid=OCID)
        assert code_of(raised) == "malformed_bid"


# Sealing refuses what could not be opened -----------------------------------------------------------


def test_sealing_refuses_a_committee_it_cannot_seal_to() -> None:
    members = COMMITTEE.members
    _, other_public = generate_member_key()
    cases = [
        ([], 1, "bad_threshold"),
        (members, 0, "bad_threshold"),
        (members, 4, "bad_threshold"),
        (members, True, "bad_threshold"),
        ([members[0], members[0]], 1, "duplicate_member"),
        ([Member(members[0].fingerprint, other_public)], 1, "bad_member_key"),
        ([Member(members[0].fingerprint, b"short")], 1, "bad_public_key"),
    ]
    for committee_members, threshold, code in cases:
        with pytest.raises(SealingError) as raised:
            seal_bid(
                ocid=OCID,
                members=committee_members,
                threshold=threshold,
                bid=plain_bid([]),
                documents=[],
            )
        assert code_of(raised) == code, (threshold, code)


@pytest.mark.parametrize(
    "documents",
    [
        [("d1", b"other length")],  # the bid describes a 19-byte d1
        [("d2", b"%PDF-1.7 price list")],
        [],
    ],
)
def test_sealing_refuses_documents_the_bid_does_not_describe(
    documents: list[tuple[str, bytes]],
) -> None:
    with pytest.raises(SealingError) as raised:
        seal_bid(
            ocid=OCID,
            members=COMMITTEE.members,
            threshold=2,
            bid=plain_bid([("d1", b"%PDF-1.7 price list")]),
            documents=documents,
        )
    assert code_of(raised) == "malformed_bid"


def test_sealing_refuses_bad_or_repeated_document_ids() -> None:
    for documents in ([("d 1", b"x")], [("d1", b"x"), ("d1", b"x")]):
        with pytest.raises(SealingError) as raised:
            seal_bid(
                ocid=OCID,
                members=COMMITTEE.members,
                threshold=2,
                bid=plain_bid(documents),
                documents=documents,
            )
        assert code_of(raised) == "malformed_bid"


def test_sealing_refuses_a_bid_too_large_for_an_envelope() -> None:
    bid = plain_bid([])
    bid["answers"] = [{"question": f"q{i}", "answer": "x" * 10_000} for i in range(110)]

    with pytest.raises(SealingError) as raised:
        seal_bid(ocid=OCID, members=COMMITTEE.members, threshold=2, bid=bid, documents=[])
    assert code_of(raised) == "too_large"


# Strict parsing ----------------------------------------------------------------------------------


def share_entries(**changes: Any) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = envelope_json()["shares"]
    entries[0].update(changes)
    return entries


def document_entries(**changes: Any) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = envelope_json()["documents"]
    entries[0].update(changes)
    return entries


def without(name: str) -> bytes:
    value = envelope_json()
    value.pop(name)
    return canonical_bytes(value)


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "malformed_envelope"),
        (b"\xff", "malformed_envelope"),
        (b"[1]", "malformed_envelope"),
        (b'{"a": 1, "a": 1}', "malformed_envelope"),
        (b" " * (1024 * 1024 + 1), "too_large"),
        (with_fields(format="pregon-sealed-bid/2"), "unknown_format"),
        (with_fields(format=1), "unknown_format"),
        (without("nonce"), "malformed_envelope"),
        (with_fields(extra=1), "malformed_envelope"),
        (SEALED.envelope.replace(b'{"ciphertext"', b'{ "ciphertext"'), "not_canonical"),
        (json.dumps(envelope_json(), sort_keys=False).encode(), "not_canonical"),
        (with_fields(tender=""), "malformed_envelope"),
        (with_fields(tender=7), "malformed_envelope"),
        (with_fields(threshold=4), "bad_threshold"),
        (with_fields(threshold=0), "bad_threshold"),
        (with_fields(threshold=True), "bad_threshold"),
        (with_fields(threshold="2"), "bad_threshold"),
        (with_fields(nonce=b64(bytes(11))), "bad_size"),
        (with_fields(nonce=b64(bytes(13))), "bad_size"),
        (with_fields(nonce=b64(bytes(12)) + "="), "bad_base64"),
        (with_fields(nonce="AAAAAAAAAAAAAAA+"), "bad_base64"),
        (with_fields(nonce="AAAAAAAAAAAAAAAAB"), "bad_base64"),  # a length of 1 mod 4
        (with_fields(nonce=b64(bytes(10))[:-1] + "B"), "bad_base64"),  # stray low bits
        (with_fields(ciphertext=b64(bytes(15))), "bad_size"),
        (with_fields(shares=[]), "bad_threshold"),
        (with_fields(shares={}), "malformed_envelope"),
        (with_fields(shares=share_entries(share=b64(bytes(80)))), "bad_size"),
        (with_fields(shares=share_entries(share=b64(bytes(82)))), "bad_size"),
        (with_fields(shares=share_entries(share="AA==")), "bad_base64"),
        (with_fields(shares=share_entries(member="AB" * 32)), "malformed_envelope"),
        (with_fields(shares=share_entries(member="ab" * 31)), "malformed_envelope"),
        (with_fields(shares=share_entries(sha256="xyz")), "malformed_envelope"),
        (with_fields(shares=share_entries(extra=1)), "malformed_envelope"),
        (
            with_fields(shares=[*envelope_json()["shares"], envelope_json()["shares"][0]]),
            "duplicate_member",
        ),
        (with_fields(documents={}), "malformed_envelope"),
        (with_fields(documents=document_entries(id="d 1")), "malformed_envelope"),
        (with_fields(documents=document_entries(id="d" * 65)), "malformed_envelope"),
        (with_fields(documents=document_entries(size=27)), "bad_size"),
        (with_fields(documents=document_entries(size="47")), "bad_size"),
        (with_fields(documents=document_entries(sha256="A" * 64)), "malformed_envelope"),
        (with_fields(documents=document_entries(id="d2")), "duplicate_document"),
    ],
)
def test_a_malformed_envelope_is_refused_by_name(data: bytes, code: str) -> None:
    with pytest.raises(SealingError) as raised:
        parse_envelope(data)

    assert code_of(raised) == code


def test_more_shares_than_a_split_can_make_are_refused() -> None:
    entry = envelope_json()["shares"][0]
    entries = [{**entry, "member": f"{i:064x}"} for i in range(256)]

    with pytest.raises(SealingError) as raised:
        parse_envelope(with_fields(shares=entries, threshold=2))
    assert code_of(raised) == "bad_threshold"


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_are_refused_only_with_a_sealing_error(data: bytes) -> None:
    with pytest.raises(SealingError):
        parse_envelope(data)


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_any_edit_of_the_envelope_text_is_refused_or_changes_the_commitment(
    data: st.DataObject,
) -> None:
    text = bytearray(SEALED.envelope)
    position = data.draw(st.integers(min_value=0, max_value=len(text) - 1))
    text[position] = data.draw(
        st.integers(min_value=0, max_value=255).filter(lambda b: b != text[position])
    )
    try:
        envelope = parse_envelope(bytes(text))
    except SealingError:
        return
    assert envelope.commitment != SEALED.commitment
    assert envelope.data == bytes(text)
