"""HPKE as sealed bids use it: RFC 9180's vectors for our suite, round trips, refusals, keys."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import cryptography_vectors
import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.bindings._rust import openssl as rust_openssl
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from pregon.sealing import SealingError, fingerprint, generate_member_key
from pregon.sealing.hpke import SUITE, hpke_open, hpke_seal, public_from_private


def our_suite_vectors() -> list[dict[str, Any]]:
    """RFC 9180's vectors for base mode, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM."""
    with cryptography_vectors.open_vector_file("HPKE/test-vectors.json", "r") as handle:
        vectors: list[dict[str, Any]] = json.load(handle)
    return [
        vector
        for vector in vectors
        if (vector["mode"], vector["kem_id"], vector["kdf_id"], vector["aead_id"]) == (0, 32, 1, 2)
    ]


VECTORS = our_suite_vectors()


def test_the_vectors_of_our_suite_are_there() -> None:
    assert len(VECTORS) == 1


@pytest.mark.parametrize("vector", VECTORS)
def test_the_vector_keys_are_x25519_raw_keys_as_we_read_them(vector: dict[str, Any]) -> None:
    assert public_from_private(bytes.fromhex(vector["skRm"])).hex() == vector["pkRm"]
    assert public_from_private(bytes.fromhex(vector["skEm"])).hex() == vector["pkEm"]
    assert vector["enc"] == vector["pkEm"]  # DHKEM(X25519): enc is the ephemeral public key


@pytest.mark.parametrize("vector", VECTORS)
def test_our_suite_decrypts_the_vector_ciphertext(vector: dict[str, Any]) -> None:
    # Single-shot HPKE is the context's first message (sequence 0). The vectors give every first
    # message an aad ("Count-0"), which our sealing never uses, so the suite object we seal with
    # is driven here through cryptography's aad-taking form of the same single-shot call.
    first = vector["encryptions"][0]
    key = X25519PrivateKey.from_private_bytes(bytes.fromhex(vector["skRm"]))
    sealed = bytes.fromhex(vector["enc"]) + bytes.fromhex(first["ct"])

    plaintext = rust_openssl.hpke._decrypt_with_aad(
        SUITE, sealed, key, bytes.fromhex(vector["info"]), bytes.fromhex(first["aad"])
    )

    assert plaintext.hex() == first["pt"]


@pytest.mark.parametrize("vector", VECTORS)
def test_the_vector_ciphertext_does_not_open_with_another_info_or_aad(
    vector: dict[str, Any],
) -> None:
    first = vector["encryptions"][0]
    key = X25519PrivateKey.from_private_bytes(bytes.fromhex(vector["skRm"]))
    sealed = bytes.fromhex(vector["enc"]) + bytes.fromhex(first["ct"])

    with pytest.raises(InvalidTag):
        rust_openssl.hpke._decrypt_with_aad(
            SUITE, sealed, key, b"other", bytes.fromhex(first["aad"])
        )
    with pytest.raises(SealingError) as raised:
        hpke_open(bytes.fromhex(vector["skRm"]), sealed, info=bytes.fromhex(vector["info"]))
    assert raised.value.code == "share_undecryptable"  # the vector's aad is not ours


@pytest.mark.parametrize("vector", VECTORS)
def test_sealing_to_the_vector_recipient_opens_with_its_private_key(vector: dict[str, Any]) -> None:
    info = bytes.fromhex(vector["info"])
    plaintext = bytes.fromhex(vector["encryptions"][0]["pt"])

    sealed = hpke_seal(bytes.fromhex(vector["pkRm"]), plaintext, info=info)

    assert len(sealed) == 32 + len(plaintext) + 16
    assert hpke_open(bytes.fromhex(vector["skRm"]), sealed, info=info) == plaintext


@settings(max_examples=30, deadline=None)
@given(plaintext=st.binary(max_size=100), info=st.binary(max_size=60), data=st.data())
def test_a_sealed_message_opens_only_unaltered_with_its_key_and_info(
    plaintext: bytes, info: bytes, data: st.DataObject
) -> None:
    private, public = generate_member_key()
    other_private, _ = generate_member_key()
    sealed = hpke_seal(public, plaintext, info=info)
    assert hpke_open(private, sealed, info=info) == plaintext

    position = data.draw(st.integers(min_value=0, max_value=len(sealed) - 1))
    bit = data.draw(st.integers(min_value=0, max_value=7))
    flipped = bytearray(sealed)
    flipped[position] ^= 1 << bit
    attempts = [
        (private, bytes(flipped), info),
        (other_private, sealed, info),
        (private, sealed, info + b"x"),
    ]
    for key, message, context in attempts:
        with pytest.raises(SealingError) as raised:
            hpke_open(key, message, info=context)
        assert raised.value.code == "share_undecryptable"


def test_a_truncated_message_is_refused() -> None:
    private, public = generate_member_key()

    with pytest.raises(SealingError) as raised:
        hpke_open(private, hpke_seal(public, b"", info=b"")[:47], info=b"")

    assert raised.value.code == "share_undecryptable"


def test_keys_are_32_raw_bytes_and_the_fingerprint_is_their_sha256() -> None:
    private, public = generate_member_key()

    assert len(private) == 32
    assert len(public) == 32
    assert public_from_private(private) == public
    assert fingerprint(public) == hashlib.sha256(public).hexdigest()
    assert generate_member_key()[0] != private


@pytest.mark.parametrize("public", [b"", b"\x01" * 31, b"\x01" * 33])
def test_a_public_key_of_another_size_is_refused(public: bytes) -> None:
    with pytest.raises(SealingError) as raised:
        fingerprint(public)
    assert raised.value.code == "bad_public_key"
    with pytest.raises(SealingError):
        hpke_seal(public, b"share", info=b"")


def test_a_private_key_of_another_size_is_refused() -> None:
    with pytest.raises(SealingError) as raised:
        public_from_private(b"\x01" * 31)
    assert raised.value.code == "wrong_key"
