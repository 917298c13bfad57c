"""The committee member's key file: an X25519 private key wrapped under a passphrase.

Format ``pregon-committee-key/1`` (the same in the browser and in ``pregon keys generate``)::

    {"format": "pregon-committee-key/1", "publicKey": b64, "fingerprint": hex,
     "kdf": {"name": "scrypt", "N": 131072, "r": 8, "p": 1, "salt": b64(16 bytes)},
     "nonce": b64(12 bytes), "ciphertext": b64(48 bytes)}

The wrapping key is scrypt(passphrase as UTF-8 in Unicode NFC, salt, N, r=8, p=1, 32 bytes), so a
passphrase typed with composed or decomposed accents opens the same file. The ciphertext is
AES-256-GCM of the 32 raw private key bytes, with the UTF-8 of ``"pregon-committee-key/1" +
fingerprint`` as additional data: the public part cannot be swapped for another key's. Readers
take N from the file (a power of two, 2^10 to 2^20: memory-hard enough, and at most 1 GiB).
"""

from __future__ import annotations

import hmac
import os
import unicodedata
from collections.abc import Mapping

from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from pregon.sealing._codec import b64decode, b64encode, is_sha256_hex
from pregon.sealing.aead import aead_decrypt, aead_encrypt
from pregon.sealing.errors import SealingError
from pregon.sealing.hpke import fingerprint, public_from_private
from pregon.tlog.errors import CanonicalizationError
from pregon.tlog.jcs import canonical_bytes, parse_json

FORMAT = "pregon-committee-key/1"
DEFAULT_N = 2**17
MIN_N = 2**10
MAX_N = 2**20
SCRYPT_R = 8
SCRYPT_P = 1
SALT_SIZE = 16
MAX_FILE_SIZE = 64 * 1024

_KEYS = {"format", "publicKey", "fingerprint", "kdf", "nonce", "ciphertext"}
_KDF_KEYS = {"name", "N", "r", "p", "salt"}


def keyfile_write(private_raw: bytes, passphrase: str, *, n: int = DEFAULT_N) -> bytes:
    """The key file (UTF-8 JSON, canonical, one trailing newline) protecting ``private_raw``.

    ``n`` is scrypt's cost; keep the default outside tests (2^17: about 0.7 s and 128 MiB).
    """
    if not _is_valid_n(n):
        msg = f"scrypt N must be a power of two from 2**10 to 2**20, not {n}"
        raise ValueError(msg)
    public_raw = public_from_private(private_raw)
    print_ = fingerprint(public_raw)
    salt = os.urandom(SALT_SIZE)
    nonce, ciphertext = aead_encrypt(_wrapping_key(passphrase, salt, n), private_raw, _aad(print_))
    document = {
        "format": FORMAT,
        "publicKey": b64encode(public_raw),
        "fingerprint": print_,
        "kdf": {"name": "scrypt", "N": n, "r": SCRYPT_R, "p": SCRYPT_P, "salt": b64encode(salt)},
        "nonce": b64encode(nonce),
        "ciphertext": b64encode(ciphertext),
    }
    return canonical_bytes(document) + b"\n"


def keyfile_read(data: bytes, passphrase: str) -> tuple[bytes, bytes]:
    """Open a key file with ``passphrase``; return ``(private_raw, public_raw)``.

    Raises ``SealingError``: ``malformed_key_file`` (not a ``pregon-committee-key/1`` file, or
    one whose parts disagree), ``unknown_format``, ``bad_base64``, or ``wrong_passphrase`` (the
    passphrase does not open it; a file altered after it was written reads the same way).
    """
    document = _parse(data)
    public_raw = _field_bytes(document, "publicKey", 32)
    print_ = document["fingerprint"]
    if not is_sha256_hex(print_) or print_ != fingerprint(public_raw):
        raise _malformed("its fingerprint is not the SHA-256 of its public key")
    kdf = document["kdf"]
    if not isinstance(kdf, Mapping) or set(kdf) != _KDF_KEYS or kdf["name"] != "scrypt":
        raise _malformed('"kdf" must be {"name": "scrypt", "N", "r", "p", "salt"}')
    n = kdf["N"]
    if not _is_valid_n(n) or kdf["r"] != SCRYPT_R or kdf["p"] != SCRYPT_P:
        raise _malformed("scrypt N must be a power of two from 2^10 to 2^20, r 8 and p 1")
    for name in ("r", "p"):
        if isinstance(kdf[name], bool):
            raise _malformed(f"scrypt {name} must be an integer")
    salt = _field_bytes(kdf, "salt", SALT_SIZE)
    nonce = _field_bytes(document, "nonce", 12)
    ciphertext = _field_bytes(document, "ciphertext", 32 + 16)
    try:
        private_raw = aead_decrypt(
            _wrapping_key(passphrase, salt, n), nonce, ciphertext, _aad(print_)
        )
    except SealingError as error:
        raise SealingError(
            "wrong_passphrase",
            "This passphrase does not open the key file. Type it again exactly as chosen (it is "
            "case-sensitive) and check that this is your own key file. A lost passphrase cannot "
            "be recovered: generate a new key and register its public key; bids already sealed "
            "to the old key open with the other committee members' shares.",
        ) from error
    if not hmac.compare_digest(public_from_private(private_raw), public_raw):
        raise _malformed("its private key does not belong to its public key")
    return private_raw, public_raw


def _parse(data: bytes) -> Mapping[str, object]:
    if len(data) > MAX_FILE_SIZE:
        raise _malformed("it is larger than a key file can be")
    try:
        document = parse_json(data)
    except CanonicalizationError as error:
        raise _malformed(f"it is not JSON ({error})") from error
    if not isinstance(document, Mapping):
        raise _malformed("it is not a JSON object")
    if "format" in document and document["format"] != FORMAT:
        raise SealingError(
            "unknown_format",
            f"This is not a committee key file of a known format (expected {FORMAT!r}).",
            details={"format": str(document["format"])[:100]},
        )
    if set(document) != _KEYS:
        raise _malformed(f"its members must be exactly {sorted(_KEYS)}")
    return document


def _field_bytes(document: Mapping[str, object], name: str, size: int) -> bytes:
    value = b64decode(document[name], field=name)
    if len(value) != size:
        raise _malformed(f"{name} must hold {size} bytes, not {len(value)}")
    return value


def _is_valid_n(n: object) -> bool:
    return (
        isinstance(n, int) and not isinstance(n, bool) and MIN_N <= n <= MAX_N and n & (n - 1) == 0
    )


def _wrapping_key(passphrase: str, salt: bytes, n: int) -> bytes:
    secret = unicodedata.normalize("NFC", passphrase).encode("utf-8")
    return Scrypt(salt=salt, length=32, n=n, r=SCRYPT_R, p=SCRYPT_P).derive(secret)


def _aad(print_: str) -> bytes:
    return (FORMAT + print_).encode("utf-8")


def _malformed(reason: str) -> SealingError:
    return SealingError(
        "malformed_key_file",
        f"This is not a valid committee key file: {reason}.",
        details={"reason": reason},
    )
