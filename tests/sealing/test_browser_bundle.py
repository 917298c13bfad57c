"""The browser side of sealed bids (assets/sealing, bundled into bids/static/bids/sealing.js), run
in Node: RFC 9180 vectors, its JCS and base64url against Python's, key files, sealing and share
decryption, and every refusal. Interoperability with pregon.sealing is in test_browser_interop.py.
"""

from __future__ import annotations

import hashlib
import json
import os
from typing import Any

import cryptography_vectors
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from hypothesis import given, settings
from hypothesis import strategies as st

from pregon.tlog.jcs import canonical_bytes
from tests.sealing.node import b64, bundle_one, bundle_run, node_run, unb64

OCID = "ocds-pregon-000-00042"
FAST_N = 2**10  # scrypt cost for tests (the files' default is 2**17)


def our_suite_vectors() -> list[dict[str, Any]]:
    with cryptography_vectors.open_vector_file("HPKE/test-vectors.json", "r") as handle:
        vectors: list[dict[str, Any]] = json.load(handle)
    return [
        vector
        for vector in vectors
        if (vector["mode"], vector["kem_id"], vector["kdf_id"], vector["aead_id"]) == (0, 32, 1, 2)
    ]


# RFC 9180 -----------------------------------------------------------------------------------------


def test_rfc_9180_vectors_of_our_suite_run_through_the_configured_suite() -> None:
    vectors = our_suite_vectors()
    assert len(vectors) == 1  # base mode, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM
    for vector, result in zip(vectors, node_run("hpke_vectors.mjs", vectors), strict=True):
        for name in ("skRm", "pkRm", "skEm", "pkEm", "enc"):
            assert result[name] == vector[name], name
        assert result["pkFromSkRm"] == vector["pkRm"]
        assert len(result["sealed"]) == 257
        assert result["sealed"] == [message["ct"] for message in vector["encryptions"]]
        assert result["opened"] == [message["pt"] for message in vector["encryptions"]]
        assert result["exported"] == [item["exported_value"] for item in vector["exports"]]
        assert result["singleShot"] == vector["encryptions"][0]["pt"]
        assert result["roundTrip"] == vector["encryptions"][0]["pt"]


def test_rfc_9180_vector_opens_with_the_built_bundle() -> None:
    (vector,) = our_suite_vectors()
    assert bundle_one("hpkeOpenVector", vector=vector) == {"pt": vector["encryptions"][0]["pt"]}
    altered = {**vector, "info": vector["info"][:-2] + "00"}
    assert bundle_one("hpkeOpenVector", vector=altered) == {"pt": None}


# JCS and base64url --------------------------------------------------------------------------------

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53 - 1), max_value=2**53 - 1)
    | st.text(st.characters(exclude_categories=["Cs"]), max_size=12)
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.text(st.characters(exclude_categories=["Cs"]), max_size=6), children, max_size=4
        )
    ),
    max_leaves=12,
)


@settings(max_examples=8, deadline=None)
@given(st.lists(json_values, min_size=40, max_size=40))
def test_js_canonical_json_is_python_jcs(values: list[Any]) -> None:
    results = bundle_run(*({"op": "canonicalJson", "value": value} for value in values))
    assert [result["text"].encode() for result in results] == [
        canonical_bytes(value) for value in values
    ]


def test_canonical_json_refuses_what_jcs_of_our_objects_cannot_hold() -> None:
    results = bundle_run(
        {"op": "canonicalJson", "value": 1.5},
        {"op": "canonicalJson", "value": 2**53},
        {"op": "canonicalJson", "value": {"a": [1, 0.25]}},
    )
    assert [result["error"]["code"] for result in results] == ["invalid_json"] * 3
    assert results[0]["error"]["message"] == "1.5 is not a safe integer"


def test_base64url_decoding_is_strict() -> None:
    data = bytes(range(256))
    assert bundle_one("b64decode", value=b64(data)) == {"bytes": list(data)}
    refused = ["AQ==", "AQ=", "A+8", "A/8", "A", "AR", "a b", "AQI\n"]
    results = bundle_run(*({"op": "b64decode", "value": text} for text in refused))
    assert [result.get("error", {}).get("code") for result in results] == ["bad_base64"] * len(
        refused
    )
    # "AR" and "AQ" both decode to 0x01 with lax decoders; only "AQ" (zero trailing bits) is ours.
    assert bundle_one("b64decode", value="AQ") == {"bytes": [1]}


# Keys and key files -------------------------------------------------------------------------------


def test_generated_key_fingerprint_is_sha256_of_the_public_key() -> None:
    key = bundle_one("generate")
    assert len(unb64(key["privateKey"])) == 32
    assert key["fingerprint"] == hashlib.sha256(unb64(key["publicKey"])).hexdigest()
    assert bundle_one("fingerprint", publicKey=key["publicKey"]) == {
        "fingerprint": key["fingerprint"]
    }
    assert bundle_one("fingerprint", publicKey=b64(bytes(31)))["error"]["code"] == "bad_public_key"


def test_key_file_has_the_contract_layout_and_reads_back() -> None:
    key = bundle_one("generate")
    written = bundle_one(
        "keyfileWrite", privateKey=key["privateKey"], passphrase="cañón 7", n=FAST_N
    )
    data = unb64(written["file"])
    file = json.loads(data)
    assert data == canonical_bytes(file) + b"\n"  # as Python's keyfile_write ends it
    assert sorted(file) == ["ciphertext", "fingerprint", "format", "kdf", "nonce", "publicKey"]
    assert file["format"] == "pregon-committee-key/1"
    assert file["publicKey"] == key["publicKey"]
    assert file["fingerprint"] == key["fingerprint"]
    assert {name: value for name, value in file["kdf"].items() if name != "salt"} == {
        "name": "scrypt",
        "N": FAST_N,
        "r": 8,
        "p": 1,
    }
    assert (
        len(unb64(file["kdf"]["salt"])),
        len(unb64(file["nonce"])),
        len(unb64(file["ciphertext"])),
    ) == (16, 12, 48)
    # "cañón" typed decomposed (n + combining tilde) is the same passphrase once NFC-normalised.
    decomposed = "can\u0303o\u0301n 7"
    assert bundle_one("keyfileRead", file=written["file"], passphrase=decomposed) == key
    assert (
        bundle_one("keyfileRead", file=written["file"], passphrase="cañón 8")["error"]["code"]
        == "wrong_passphrase"
    )


def test_key_file_default_cost_is_2_17() -> None:
    key = bundle_one("generate")
    written = bundle_one("keyfileWrite", privateKey=key["privateKey"], passphrase="p", n=None)
    assert json.loads(unb64(written["file"]))["kdf"]["N"] == 2**17


def _altered_key_file(
    file: dict[str, Any], change: dict[str, Any], kdf: dict[str, Any] | None = None
) -> str:
    altered = {**file, **change}
    if kdf is not None:
        altered["kdf"] = {**file["kdf"], **kdf}
    return b64(canonical_bytes(altered))


def _key_file_by_hand(
    private_raw: bytes, fingerprint: str, public_key: str, passphrase: str
) -> str:
    """A key file made with Python's cryptography, wrapping ``private_raw`` under ``fingerprint``."""
    salt, nonce = os.urandom(16), os.urandom(12)
    key = Scrypt(salt=salt, length=32, n=FAST_N, r=8, p=1).derive(passphrase.encode())
    aad = f"pregon-committee-key/1{fingerprint}".encode()
    file = {
        "format": "pregon-committee-key/1",
        "publicKey": public_key,
        "fingerprint": fingerprint,
        "kdf": {"name": "scrypt", "N": FAST_N, "r": 8, "p": 1, "salt": b64(salt)},
        "nonce": b64(nonce),
        "ciphertext": b64(AESGCM(key).encrypt(nonce, private_raw, aad)),
    }
    return b64(canonical_bytes(file))


def test_a_key_file_made_by_hand_to_the_contract_reads() -> None:
    key = bundle_one("generate")
    made = _key_file_by_hand(unb64(key["privateKey"]), key["fingerprint"], key["publicKey"], "pw")
    assert bundle_one("keyfileRead", file=made, passphrase="pw") == key


def test_damaged_or_foreign_key_files_are_refused() -> None:
    key = bundle_one("generate")
    other = bundle_one("generate")
    file = json.loads(
        unb64(
            bundle_one("keyfileWrite", privateKey=key["privateKey"], passphrase="pw", n=FAST_N)[
                "file"
            ]
        )
    )
    flipped = bytearray(unb64(file["ciphertext"]))
    flipped[0] ^= 1
    cases = {
        "format": _altered_key_file(file, {"format": "pregon-committee-key/2"}),
        "extra field": _altered_key_file(file, {"comment": "x"}),
        "other fingerprint": _altered_key_file(file, {"fingerprint": other["fingerprint"]}),
        "N too large": _altered_key_file(file, {}, {"N": 2**21}),
        "N too small": _altered_key_file(file, {}, {"N": 2**9}),
        "N not a power of two": _altered_key_file(file, {}, {"N": 1000}),
        "r": _altered_key_file(file, {}, {"r": 16}),
        "kdf": _altered_key_file(file, {}, {"name": "argon2id"}),
        "short salt": _altered_key_file(file, {}, {"salt": b64(bytes(8))}),
        "padded nonce": _altered_key_file(file, {"nonce": file["nonce"] + "="}),
        "not JSON": b64(b"pregon"),
        "private key of another public key": _key_file_by_hand(
            unb64(other["privateKey"]), key["fingerprint"], key["publicKey"], "pw"
        ),
        # AES-GCM cannot tell these from a wrong passphrase: the fingerprint is in its aad.
        "flipped ciphertext": _altered_key_file(file, {"ciphertext": b64(bytes(flipped))}),
        "other public key": _altered_key_file(
            file, {"publicKey": other["publicKey"], "fingerprint": other["fingerprint"]}
        ),
    }
    results = bundle_run(
        *({"op": "keyfileRead", "file": data, "passphrase": "pw"} for data in cases.values())
    )
    codes = {name: result["error"]["code"] for name, result in zip(cases, results, strict=True)}
    assert codes == dict.fromkeys(cases, "malformed_key_file") | {
        "format": "unknown_format",
        "padded nonce": "bad_base64",
        "flipped ciphertext": "wrong_passphrase",
        "other public key": "wrong_passphrase",
    }
    assert results[-3]["error"]["message"] == (
        "This is not a valid committee key file: its private key does not belong to its public key."
    )


def test_key_file_write_refuses_out_of_range_cost_and_empty_passphrase() -> None:
    key = bundle_one("generate")
    results = bundle_run(
        {"op": "keyfileWrite", "privateKey": key["privateKey"], "passphrase": "pw", "n": 2**9},
        {"op": "keyfileWrite", "privateKey": key["privateKey"], "passphrase": "", "n": FAST_N},
        {"op": "keyfileWrite", "privateKey": b64(bytes(16)), "passphrase": "pw", "n": FAST_N},
    )
    assert [result["error"]["code"] for result in results] == [
        "invalid_input",
        "invalid_input",
        "wrong_key",
    ]


# Sealing ------------------------------------------------------------------------------------------

BID = {
    "lots": [
        {"lot": "1", "amount": "125000.50", "currency": "USD"},
        {"lot": "2", "amount": "7", "currency": "USD"},
    ],
    "answers": [{"question": "q1", "answer": "Entrega en 30 días"}],
}
DOCUMENTS = [
    {
        "id": "d1",
        "name": "oferta técnica.pdf",
        "mediaType": "application/pdf",
        "bytes": b"%PDF-1.7 marker",
    },
    {"id": "d2", "name": "vacío.txt", "mediaType": "text/plain", "bytes": b""},
]


def committee(size: int) -> list[dict[str, str]]:
    return bundle_run(*({"op": "generate"} for _ in range(size)))


def seal_operation(
    keys: list[dict[str, str]], threshold: int = 2, **overrides: Any
) -> dict[str, Any]:
    """The bundle operation sealing BID and DOCUMENTS to ``keys``, with ``overrides`` applied."""
    arguments: dict[str, Any] = {
        "op": "seal",
        "ocid": OCID,
        "members": [
            {"fingerprint": key["fingerprint"], "publicKey": key["publicKey"]} for key in keys
        ],
        "threshold": threshold,
        "bid": BID,
        "documents": [{**document, "bytes": b64(document["bytes"])} for document in DOCUMENTS],
    }
    return arguments | overrides


def seal(keys: list[dict[str, str]], threshold: int = 2) -> dict[str, Any]:
    return bundle_run(seal_operation(keys, threshold))[0]


def test_sealed_envelope_has_the_contract_shape() -> None:
    keys = committee(3)
    sealed = seal(keys, 2)
    data = unb64(sealed["envelope"])
    envelope = json.loads(data)
    assert data == canonical_bytes(envelope)
    assert sealed["commitment"] == hashlib.sha256(data).hexdigest()
    assert sorted(envelope) == [
        "ciphertext",
        "documents",
        "format",
        "nonce",
        "shares",
        "tender",
        "threshold",
    ]
    assert (envelope["format"], envelope["tender"], envelope["threshold"]) == (
        "pregon-sealed-bid/1",
        OCID,
        2,
    )
    assert len(unb64(envelope["nonce"])) == 12
    stored = {document["id"]: unb64(document["stored"]) for document in sealed["documents"]}
    assert envelope["documents"] == [
        {"id": "d1", "size": 12 + 15 + 16, "sha256": hashlib.sha256(stored["d1"]).hexdigest()},
        {"id": "d2", "size": 12 + 0 + 16, "sha256": hashlib.sha256(stored["d2"]).hexdigest()},
    ]
    assert b"marker" not in data and all(b"marker" not in value for value in stored.values())
    assert [share["member"] for share in envelope["shares"]] == [key["fingerprint"] for key in keys]
    assert {len(unb64(share["share"])) for share in envelope["shares"]} == {32 + 33 + 16}
    assert bundle_one("parseEnvelope", envelope=sealed["envelope"]) == {"envelope": envelope}


def test_each_member_decrypts_their_own_share_matching_its_sha256() -> None:
    keys = committee(3)
    sealed = seal(keys, 2)
    envelope = json.loads(unb64(sealed["envelope"]))
    results = bundle_run(
        *(
            {
                "op": "shareDecrypt",
                "envelope": sealed["envelope"],
                "ocid": OCID,
                "privateKey": key["privateKey"],
                "fingerprint": key["fingerprint"],
            }
            for key in keys
        )
    )
    shares = [unb64(result["share"]) for result in results]
    assert [hashlib.sha256(share).hexdigest() for share in shares] == [
        entry["sha256"] for entry in envelope["shares"]
    ]
    assert {len(share) for share in shares} == {33}
    assert len({share[32] for share in shares}) == 3  # distinct x coordinates, last byte
    assert 0 not in {share[32] for share in shares}


def test_threshold_one_shares_carry_the_data_key_and_open_the_bid() -> None:
    # With k = 1 the polynomial is constant: each share is the data key and its own x coordinate.
    keys = committee(2)
    sealed = seal(keys, 1)
    results = bundle_run(
        *(
            {
                "op": "shareDecrypt",
                "envelope": sealed["envelope"],
                "ocid": OCID,
                "privateKey": key["privateKey"],
                "fingerprint": key["fingerprint"],
            }
            for key in keys
        )
    )
    first, second = (unb64(result["share"]) for result in results)
    assert first[:32] == second[:32]
    assert first[32] != second[32]
    envelope = json.loads(unb64(sealed["envelope"]))
    data_key = first[:32]
    plain = AESGCM(data_key).decrypt(
        unb64(envelope["nonce"]), unb64(envelope["ciphertext"]), OCID.encode()
    )
    assert plain == canonical_bytes(
        {
            "format": "pregon-bid/1",
            "tender": OCID,
            "lots": BID["lots"],
            "answers": BID["answers"],
            "documents": [
                {
                    "id": "d1",
                    "name": "oferta técnica.pdf",
                    "mediaType": "application/pdf",
                    "size": 15,
                },
                {"id": "d2", "name": "vacío.txt", "mediaType": "text/plain", "size": 0},
            ],
        }
    )
    stored = unb64(sealed["documents"][0]["stored"])
    assert (
        AESGCM(data_key).decrypt(stored[:12], stored[12:], f"{OCID}\nd1".encode())
        == b"%PDF-1.7 marker"
    )


def test_a_committee_of_one() -> None:
    (key,) = committee(1)
    sealed = seal([key], 1)
    result = bundle_one(
        "shareDecrypt",
        envelope=sealed["envelope"],
        ocid=OCID,
        privateKey=key["privateKey"],
        fingerprint=key["fingerprint"],
    )
    assert len(unb64(result["share"])) == 33


def test_sealing_refuses_bad_input() -> None:
    keys = committee(2)
    members = [{"fingerprint": key["fingerprint"], "publicKey": key["publicKey"]} for key in keys]
    swapped = [{**members[0], "publicKey": members[1]["publicKey"]}, members[1]]
    lot = BID["lots"][0]
    cases: dict[str, dict[str, Any]] = {
        "swapped key": {"members": swapped},
        "no members": {"members": []},
        "member twice": {"members": [members[0], members[0]], "threshold": 1},
        "threshold 0": {"threshold": 0},
        "threshold above n": {"threshold": 3},
        "ocid with newline": {"ocid": "ocds-a\nb"},
        "comma amount": {"bid": {"lots": [{**lot, "amount": "12,50"}]}},
        "negative amount": {"bid": {"lots": [{**lot, "amount": "-1"}]}},
        "number amount": {"bid": {"lots": [{**lot, "amount": 12}]}},
        "lower-case currency": {"bid": {"lots": [{**lot, "currency": "usd"}]}},
        "no lots": {"bid": {"lots": []}},
        "lot twice": {"bid": {"lots": [lot, lot]}},
        "unknown bid field": {"bid": {**BID, "bidder": "ACME"}},
        "document twice": {"documents": [{**DOCUMENTS[1], "bytes": ""}] * 2},
    }
    results = bundle_run(*(seal_operation(keys, **change) for change in cases.values()))
    codes = {name: result["error"]["code"] for name, result in zip(cases, results, strict=True)}
    assert codes == dict.fromkeys(cases, "malformed_bid") | {
        "swapped key": "bad_member_key",
        "no members": "bad_threshold",
        "member twice": "duplicate_member",
        "threshold 0": "bad_threshold",
        "threshold above n": "bad_threshold",
    }
    assert results[0]["error"]["details"] == {"member": members[0]["fingerprint"]}


# Share decryption refusals ------------------------------------------------------------------------


def _envelope_with(sealed: dict[str, Any], change: Any) -> str:
    envelope = json.loads(unb64(sealed["envelope"]))
    change(envelope)
    return b64(canonical_bytes(envelope))


def _flip_share(envelope: dict[str, Any]) -> None:
    share = bytearray(unb64(envelope["shares"][0]["share"]))
    share[40] ^= 1
    envelope["shares"][0]["share"] = b64(bytes(share))


def _wrong_sha(envelope: dict[str, Any]) -> None:
    envelope["shares"][0]["sha256"] = "0" * 64


def _threshold_above_n(envelope: dict[str, Any]) -> None:
    envelope["threshold"] = 3


def _format_2(envelope: dict[str, Any]) -> None:
    envelope["format"] = "pregon-sealed-bid/2"


def _spaced(sealed: dict[str, Any]) -> bytes:
    return json.dumps(json.loads(unb64(sealed["envelope"])), sort_keys=True).encode()


def test_share_decryption_names_what_is_wrong() -> None:
    member, other, outsider = committee(3)
    sealed = seal([member, other], 2)
    mine = {"privateKey": member["privateKey"], "fingerprint": member["fingerprint"]}
    cases: dict[str, dict[str, Any]] = {
        "other tender": {"envelope": sealed["envelope"], "ocid": "ocds-pregon-000-00043", **mine},
        "outsider": {
            "envelope": sealed["envelope"],
            "ocid": OCID,
            "privateKey": outsider["privateKey"],
            "fingerprint": outsider["fingerprint"],
        },
        "someone else's key": {
            "envelope": sealed["envelope"],
            "ocid": OCID,
            "privateKey": other["privateKey"],
            "fingerprint": member["fingerprint"],
        },
        "flipped share": {"envelope": _envelope_with(sealed, _flip_share), "ocid": OCID, **mine},
        "wrong sha256": {"envelope": _envelope_with(sealed, _wrong_sha), "ocid": OCID, **mine},
        "threshold above n": {
            "envelope": _envelope_with(sealed, _threshold_above_n),
            "ocid": OCID,
            **mine,
        },
        "not an envelope": {"envelope": b64(b"{}"), "ocid": OCID, **mine},
        "another format": {"envelope": _envelope_with(sealed, _format_2), "ocid": OCID, **mine},
        "not canonical": {"envelope": b64(_spaced(sealed)), "ocid": OCID, **mine},
    }
    results = bundle_run(*({"op": "shareDecrypt", **arguments} for arguments in cases.values()))
    codes = {name: result["error"]["code"] for name, result in zip(cases, results, strict=True)}
    assert codes == {
        "other tender": "wrong_tender",
        "outsider": "not_a_member",
        "someone else's key": "wrong_key",
        "flipped share": "share_undecryptable",
        "wrong sha256": "wrong_share",
        "threshold above n": "bad_threshold",
        "not an envelope": "malformed_envelope",
        "another format": "unknown_format",
        "not canonical": "not_canonical",
    }
    assert results[1]["error"]["message"] == (
        f"The envelope holds no share for the member with fingerprint {outsider['fingerprint']}."
    )
    assert results[4]["error"]["details"] == {"member": member["fingerprint"]}
