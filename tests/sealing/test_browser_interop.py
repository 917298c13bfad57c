"""The browser bundle and pregon.sealing agree byte for byte: a bid sealed in the browser opens
in Python, the shares of a bid sealed in Python decrypt in the browser, and key files written by
either side read on the other.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pregon.sealing import (
    Member,
    SealingError,
    bid_open,
    document_open,
    fingerprint,
    generate_member_key,
    keyfile_read,
    keyfile_write,
    parse_envelope,
    seal_bid,
    share_check,
    share_decrypt,
)
from pregon.tlog.jcs import canonical_bytes
from tests.sealing.node import b64, bundle_one, bundle_run, unb64

OCID = "ocds-pregon-000-00077"
FAST_N = 2**10
LOTS = [
    {"lot": "lot-1", "amount": "98765.4321", "currency": "BRL"},
    {"lot": "lot-2", "amount": "0.5", "currency": "BRL"},
]
ANSWERS = [{"question": "prazo", "answer": "Entrega em 30 dias — São Paulo 🚚"}]
DOCUMENTS = [
    ("d1", "proposta técnica.pdf", "application/pdf", b"%PDF-1.7 MARKER-7Q " * 400),
    ("d2", "planilha.csv", "text/csv", b"item;valor\n1;MARKER-7Q\n"),
]


def python_committee(size: int) -> tuple[list[bytes], list[Member]]:
    pairs = [generate_member_key() for _ in range(size)]
    return [private for private, _ in pairs], [
        Member(fingerprint(public), public) for _, public in pairs
    ]


def js_seal(members: list[Member], threshold: int) -> dict[str, Any]:
    return bundle_one(
        "seal",
        ocid=OCID,
        members=[
            {"fingerprint": member.fingerprint, "publicKey": b64(member.public_key)}
            for member in members
        ],
        threshold=threshold,
        bid={"lots": LOTS, "answers": ANSWERS},
        documents=[
            {"id": doc_id, "name": name, "mediaType": media_type, "bytes": b64(data)}
            for doc_id, name, media_type, data in DOCUMENTS
        ],
    )


def expected_plain_bid() -> dict[str, Any]:
    return {
        "format": "pregon-bid/1",
        "tender": OCID,
        "lots": LOTS,
        "answers": ANSWERS,
        "documents": [
            {"id": doc_id, "name": name, "mediaType": media_type, "size": len(data)}
            for doc_id, name, media_type, data in DOCUMENTS
        ],
    }


def test_a_bid_sealed_in_the_browser_opens_in_python() -> None:
    private_keys, members = python_committee(3)
    sealed = js_seal(members, 2)
    data = unb64(sealed["envelope"])
    envelope = parse_envelope(data)
    assert envelope.commitment == sealed["commitment"]
    assert (envelope.tender, envelope.threshold) == (OCID, 2)
    assert [entry.member for entry in envelope.shares] == [member.fingerprint for member in members]
    shares = [
        share_decrypt(envelope, ocid=OCID, private_raw=private, fingerprint=member.fingerprint)
        for private, member in zip(private_keys, members, strict=True)
    ]
    # Any two of the three open it (the browser's Shamir, combined by Python's).
    opened = [
        bid_open(envelope, pair, ocid=OCID)
        for pair in ([shares[0], shares[1]], [shares[1], shares[2]], [shares[2], shares[0]])
    ]
    assert [bid for _, bid in opened] == [expected_plain_bid()] * 3
    data_key = opened[0][0]
    assert {key for key, _ in opened} == {data_key}
    stored = {document["id"]: unb64(document["stored"]) for document in sealed["documents"]}
    assert [document.id for document in envelope.documents] == ["d1", "d2"]
    assert {doc_id: document_open(data_key, OCID, doc_id, stored[doc_id]) for doc_id in stored} == {
        doc_id: plain for doc_id, _, _, plain in DOCUMENTS
    }
    with pytest.raises(SealingError) as refused:
        bid_open(envelope, shares[:1], ocid=OCID)
    assert refused.value.code == "too_few_shares"


def test_a_browser_sealed_bid_with_threshold_one_opens_with_one_share_in_python() -> None:
    private_keys, members = python_committee(2)
    envelope = parse_envelope(unb64(js_seal(members, 1)["envelope"]))
    share = share_decrypt(
        envelope, ocid=OCID, private_raw=private_keys[1], fingerprint=members[1].fingerprint
    )
    assert bid_open(envelope, [share], ocid=OCID)[1] == expected_plain_bid()


def test_a_bid_sealed_in_python_has_its_shares_decrypted_in_the_browser() -> None:
    keys = bundle_run({"op": "generate"}, {"op": "generate"}, {"op": "generate"})
    members = [Member(key["fingerprint"], unb64(key["publicKey"])) for key in keys]
    documents = [(doc_id, data) for doc_id, _, _, data in DOCUMENTS]
    sealed = seal_bid(
        ocid=OCID, members=members, threshold=2, bid=expected_plain_bid(), documents=documents
    )
    assert bundle_one("parseEnvelope", envelope=b64(sealed.envelope)) == {
        "envelope": json.loads(sealed.envelope)
    }
    results = bundle_run(
        *(
            {
                "op": "shareDecrypt",
                "envelope": b64(sealed.envelope),
                "ocid": OCID,
                "privateKey": key["privateKey"],
                "fingerprint": key["fingerprint"],
            }
            for key in keys
        )
    )
    shares = [unb64(result["share"]) for result in results]
    envelope = parse_envelope(sealed.envelope)
    for member, share in zip(members, shares, strict=True):
        share_check(envelope, member.fingerprint, share)
    with pytest.raises(SealingError) as refused:
        share_check(envelope, members[0].fingerprint, shares[1])
    assert (refused.value.code, dict(refused.value.details)) == (
        "wrong_share",
        {"member": members[0].fingerprint},
    )
    data_key, bid = bid_open(envelope, [shares[2], shares[0]], ocid=OCID)
    assert bid == expected_plain_bid()
    assert [
        document_open(data_key, OCID, doc_id, stored) for doc_id, stored in sealed.documents
    ] == [data for _, data in documents]


def test_a_python_key_file_opens_in_the_browser() -> None:
    private, public = generate_member_key()
    # Written with the composed "ã", typed back decomposed: both sides normalise to NFC.
    data = keyfile_write(private, "senha São João", n=FAST_N)
    result = bundle_one("keyfileRead", file=b64(data), passphrase="senha Sa\u0303o Joa\u0303o")
    assert result == {
        "privateKey": b64(private),
        "publicKey": b64(public),
        "fingerprint": fingerprint(public),
    }
    wrong = bundle_one("keyfileRead", file=b64(data), passphrase="senha sao joao")
    assert wrong["error"]["code"] == "wrong_passphrase"


def test_a_browser_key_file_opens_in_python() -> None:
    key = bundle_one("generate")
    written = bundle_one(
        "keyfileWrite", privateKey=key["privateKey"], passphrase="Sa\u0303o 2026", n=FAST_N
    )
    data = unb64(written["file"])
    assert data == canonical_bytes(json.loads(data)) + b"\n"
    assert keyfile_read(data, "São 2026") == (unb64(key["privateKey"]), unb64(key["publicKey"]))
    with pytest.raises(SealingError) as refused:
        keyfile_read(data, "são 2026")
    assert refused.value.code == "wrong_passphrase"


def test_both_sides_refuse_the_same_altered_envelopes_with_the_same_codes() -> None:
    _, members = python_committee(2)
    sealed = js_seal(members, 2)
    original = json.loads(unb64(sealed["envelope"]))
    variants: dict[str, bytes] = {
        "threshold 3": canonical_bytes({**original, "threshold": 3}),
        "format 2": canonical_bytes({**original, "format": "pregon-sealed-bid/2"}),
        "not canonical": json.dumps(original).encode(),
        "short nonce": canonical_bytes({**original, "nonce": b64(bytes(8))}),
        "member twice": canonical_bytes(
            {**original, "shares": [original["shares"][0]] * 2, "threshold": 1}
        ),
        "document twice": canonical_bytes(
            {**original, "documents": [original["documents"][0]] * 2}
        ),
        "padded share": canonical_bytes(
            {
                **original,
                "shares": [
                    {**original["shares"][0], "share": original["shares"][0]["share"] + "="}
                ],
            }
        ),
        "extra field": canonical_bytes({**original, "bidder": "ACME"}),
    }
    python_codes = {}
    for name, data in variants.items():
        with pytest.raises(SealingError) as refused:
            parse_envelope(data)
        python_codes[name] = refused.value.code
    results = bundle_run(
        *({"op": "parseEnvelope", "envelope": b64(data)} for data in variants.values())
    )
    browser_codes = {
        name: result["error"]["code"] for name, result in zip(variants, results, strict=True)
    }
    assert (
        browser_codes
        == python_codes
        == {
            "threshold 3": "bad_threshold",
            "format 2": "unknown_format",
            "not canonical": "not_canonical",
            "short nonce": "bad_size",
            "member twice": "duplicate_member",
            "document twice": "duplicate_document",
            "padded share": "bad_base64",
            "extra field": "malformed_envelope",
        }
    )


texts = st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=30)
bids = st.fixed_dictionaries(
    {
        "lots": st.lists(
            st.fixed_dictionaries(
                {
                    "lot": texts,
                    "amount": st.from_regex(
                        r"(0|[1-9][0-9]{0,29})(\.[0-9]{1,10})?", fullmatch=True
                    ),
                    "currency": st.from_regex(r"[A-Z]{3}", fullmatch=True),
                }
            ),
            min_size=1,
            max_size=3,
            unique_by=lambda lot: lot["lot"],
        ),
        "answers": st.lists(
            st.fixed_dictionaries({"question": texts, "answer": st.text(max_size=30)}),
            max_size=3,
            unique_by=lambda answer: answer["question"],
        ),
    }
)


@settings(max_examples=6, deadline=None)
@given(st.lists(bids, min_size=4, max_size=4))
def test_any_valid_bid_sealed_in_the_browser_opens_in_python_unchanged(
    drawn: list[dict[str, Any]],
) -> None:
    private_keys, members = python_committee(2)
    committee = [{"fingerprint": m.fingerprint, "publicKey": b64(m.public_key)} for m in members]
    results = bundle_run(
        *(
            {"op": "seal", "ocid": OCID, "members": committee, "threshold": 2, "bid": bid}
            | {"documents": []}
            for bid in drawn
        )
    )
    for bid, result in zip(drawn, results, strict=True):
        envelope = parse_envelope(unb64(result["envelope"]))
        shares = [
            share_decrypt(envelope, ocid=OCID, private_raw=private, fingerprint=member.fingerprint)
            for private, member in zip(private_keys, members, strict=True)
        ]
        expected = {"format": "pregon-bid/1", "tender": OCID, **bid, "documents": []}
        assert bid_open(envelope, shares, ocid=OCID)[1] == expected
