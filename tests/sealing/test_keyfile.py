"""The committee member's key file: the contract's layout, its passphrase, and every refusal."""

from __future__ import annotations

import base64
import hashlib
import json
import unicodedata
from typing import Any

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from hypothesis import given, settings
from hypothesis import strategies as st

from pregon.sealing import SealingError, generate_member_key, keyfile_read, keyfile_write
from pregon.tlog.jcs import canonical_bytes

FAST_N = 2**10
PASSPHRASE = "correct horse battery staple"
PRIVATE, PUBLIC = generate_member_key()
KEY_FILE = keyfile_write(PRIVATE, PASSPHRASE, n=FAST_N)


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def edited(**changes: Any) -> bytes:
    """The key file with top-level members changed (a value of None removes the member)."""
    document = json.loads(KEY_FILE)
    for name, value in changes.items():
        if value is None:
            document.pop(name)
        else:
            document[name] = value
    return canonical_bytes(document)


def test_the_file_has_the_contract_layout_and_decrypts_by_the_contract() -> None:
    document = json.loads(KEY_FILE)
    fingerprint = hashlib.sha256(PUBLIC).hexdigest()

    assert canonical_bytes(document) + b"\n" == KEY_FILE
    assert sorted(document) == ["ciphertext", "fingerprint", "format", "kdf", "nonce", "publicKey"]
    assert document["format"] == "pregon-committee-key/1"
    assert document["publicKey"] == b64(PUBLIC)
    assert document["fingerprint"] == fingerprint
    assert {k: v for k, v in document["kdf"].items() if k != "salt"} == {
        "name": "scrypt",
        "N": FAST_N,
        "r": 8,
        "p": 1,
    }
    salt = unb64(document["kdf"]["salt"])
    assert len(salt) == 16
    assert len(unb64(document["nonce"])) == 12
    # Independently of our code: scrypt, then AES-256-GCM with the format + fingerprint as aad.
    key = Scrypt(salt=salt, length=32, n=FAST_N, r=8, p=1).derive(PASSPHRASE.encode())
    plain = AESGCM(key).decrypt(
        unb64(document["nonce"]),
        unb64(document["ciphertext"]),
        ("pregon-committee-key/1" + fingerprint).encode(),
    )
    assert plain == PRIVATE


def test_the_default_cost_is_the_contracts() -> None:
    document = json.loads(keyfile_write(PRIVATE, PASSPHRASE))

    assert document["kdf"]["N"] == 2**17
    assert keyfile_read(keyfile_write(PRIVATE, PASSPHRASE), PASSPHRASE) == (PRIVATE, PUBLIC)


def test_it_reads_back_with_its_passphrase() -> None:
    assert keyfile_read(KEY_FILE, PASSPHRASE) == (PRIVATE, PUBLIC)


def test_each_write_has_its_own_salt_and_nonce() -> None:
    again = json.loads(keyfile_write(PRIVATE, PASSPHRASE, n=FAST_N))
    first = json.loads(KEY_FILE)

    assert again["kdf"]["salt"] != first["kdf"]["salt"]
    assert again["nonce"] != first["nonce"]


def test_the_passphrase_is_normalized_to_nfc() -> None:
    composed = unicodedata.normalize("NFC", "contraseña-ação")
    data = keyfile_write(PRIVATE, composed, n=FAST_N)

    assert keyfile_read(data, unicodedata.normalize("NFD", composed)) == (PRIVATE, PUBLIC)


@settings(max_examples=15, deadline=None)
@given(st.text(min_size=1, max_size=30).filter(lambda text: text != PASSPHRASE))
def test_a_wrong_passphrase_is_named_and_says_what_to_do(wrong: str) -> None:
    with pytest.raises(SealingError) as raised:
        keyfile_read(KEY_FILE, wrong)

    assert raised.value.code == "wrong_passphrase"
    assert "passphrase does not open the key file" in raised.value.message
    assert "generate a new key" in raised.value.message


def test_an_altered_ciphertext_reads_as_a_wrong_passphrase() -> None:
    ciphertext = bytearray(unb64(json.loads(KEY_FILE)["ciphertext"]))
    ciphertext[5] ^= 0x01

    with pytest.raises(SealingError) as raised:
        keyfile_read(edited(ciphertext=b64(bytes(ciphertext))), PASSPHRASE)

    assert raised.value.code == "wrong_passphrase"


def test_another_public_key_with_its_own_fingerprint_is_refused() -> None:
    # The aad binds the fingerprint: a swapped public part no longer opens the private key.
    _, other = generate_member_key()
    data = edited(publicKey=b64(other), fingerprint=hashlib.sha256(other).hexdigest())

    with pytest.raises(SealingError) as raised:
        keyfile_read(data, PASSPHRASE)

    assert raised.value.code == "wrong_passphrase"


def test_a_lower_cost_than_written_does_not_open_it() -> None:
    document = json.loads(KEY_FILE)
    document["kdf"]["N"] = 2**11

    with pytest.raises(SealingError) as raised:
        keyfile_read(canonical_bytes(document), PASSPHRASE)

    assert raised.value.code == "wrong_passphrase"


def kdf_with(**changes: Any) -> dict[str, Any]:
    kdf = dict(json.loads(KEY_FILE)["kdf"])
    kdf.update(changes)
    return kdf


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "malformed_key_file"),
        (b"not json", "malformed_key_file"),
        (b"[]", "malformed_key_file"),
        (b'{"format": "pregon-committee-key/1", "format": "x"}', "malformed_key_file"),
        (b" " * (64 * 1024 + 1), "malformed_key_file"),
        (edited(format="pregon-committee-key/2"), "unknown_format"),
        (edited(nonce=None), "malformed_key_file"),
        (edited(extra="x"), "malformed_key_file"),
        (edited(fingerprint="00" * 32), "malformed_key_file"),
        (edited(fingerprint=hashlib.sha256(PUBLIC).hexdigest().upper()), "malformed_key_file"),
        (edited(publicKey=b64(PUBLIC[:31])), "malformed_key_file"),
        (edited(publicKey=b64(PUBLIC) + "="), "bad_base64"),
        (edited(nonce=b64(bytes(11))), "malformed_key_file"),
        (edited(nonce="AAAAAAAAAAAAAAA+"), "bad_base64"),
        (edited(ciphertext=b64(bytes(47))), "malformed_key_file"),
        (edited(kdf=kdf_with(name="argon2id")), "malformed_key_file"),
        (edited(kdf=kdf_with(N=2**9)), "malformed_key_file"),
        (edited(kdf=kdf_with(N=2**21)), "malformed_key_file"),
        (edited(kdf=kdf_with(N=3000)), "malformed_key_file"),
        (edited(kdf=kdf_with(N=True)), "malformed_key_file"),
        (edited(kdf=kdf_with(r=16)), "malformed_key_file"),
        (edited(kdf=kdf_with(p=True)), "malformed_key_file"),
        (edited(kdf=kdf_with(salt=b64(bytes(15)))), "malformed_key_file"),
        (edited(kdf=kdf_with(extra=1)), "malformed_key_file"),
        (edited(kdf="scrypt"), "malformed_key_file"),
    ],
)
def test_a_damaged_file_is_refused_by_name(data: bytes, code: str) -> None:
    with pytest.raises(SealingError) as raised:
        keyfile_read(data, PASSPHRASE)

    assert raised.value.code == code


def test_a_private_key_that_is_not_the_files_public_key_is_refused() -> None:
    # Written by hand with a matching aad, so only the final check can catch the mismatch.
    other_private, _ = generate_member_key()
    document = json.loads(KEY_FILE)
    salt = unb64(document["kdf"]["salt"])
    key = Scrypt(salt=salt, length=32, n=FAST_N, r=8, p=1).derive(PASSPHRASE.encode())
    nonce = bytes(12)
    aad = ("pregon-committee-key/1" + document["fingerprint"]).encode()
    data = edited(nonce=b64(nonce), ciphertext=b64(AESGCM(key).encrypt(nonce, other_private, aad)))

    with pytest.raises(SealingError) as raised:
        keyfile_read(data, PASSPHRASE)

    assert raised.value.code == "malformed_key_file"


@pytest.mark.parametrize("n", [2**9, 2**21, 3000, 0])
def test_writing_refuses_a_cost_out_of_range(n: int) -> None:
    with pytest.raises(ValueError, match="power of two"):
        keyfile_write(PRIVATE, PASSPHRASE, n=n)
