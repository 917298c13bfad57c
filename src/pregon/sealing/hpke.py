"""HPKE (RFC 9180) as the sealing formats use it, and the committee members' X25519 keys.

One suite only: base mode, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM (RFC 9180 ids
kem 0x0020, kdf 0x0001, aead 0x0002), single-shot, no additional data. ``cryptography`` does the
work; this module fixes the suite, takes raw 32-byte keys and turns failures into
``SealingError``. A sealed message is ``enc`` (the 32-byte ephemeral public key) followed by the
ciphertext and its 16-byte tag, as the browser's ``@hpke/core`` lays it out.
"""

from __future__ import annotations

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hpke, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from pregon.sealing._codec import sha256_hex
from pregon.sealing.errors import SealingError

SUITE = hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)
KEY_SIZE = 32
ENC_SIZE = 32
TAG_SIZE = 16

_RAW = serialization.Encoding.Raw


def generate_member_key() -> tuple[bytes, bytes]:
    """A fresh X25519 key pair for a committee member: ``(private_raw, public_raw)``, 32 bytes each."""
    private = X25519PrivateKey.generate()
    return (
        private.private_bytes(_RAW, serialization.PrivateFormat.Raw, serialization.NoEncryption()),
        private.public_key().public_bytes(_RAW, serialization.PublicFormat.Raw),
    )


def fingerprint(public_raw: bytes) -> str:
    """The fingerprint of a member's public key: SHA-256 of its 32 raw bytes, lowercase hex."""
    _public_key(public_raw)
    return sha256_hex(public_raw)


def public_from_private(private_raw: bytes) -> bytes:
    """The raw public key of the raw X25519 private key ``private_raw``."""
    return _private_key(private_raw).public_key().public_bytes(_RAW, serialization.PublicFormat.Raw)


def hpke_seal(public_raw: bytes, plaintext: bytes, *, info: bytes) -> bytes:
    """Encrypt ``plaintext`` to the X25519 key ``public_raw``; return ``enc || ciphertext||tag``."""
    return SUITE.encrypt(plaintext, _public_key(public_raw), info)


def hpke_open(private_raw: bytes, sealed: bytes, *, info: bytes) -> bytes:
    """Decrypt what ``hpke_seal`` made for the key pair of ``private_raw`` with the same ``info``.

    Raises ``SealingError("share_undecryptable")`` when it does not open: another key, another
    ``info``, or altered bytes.
    """
    key = _private_key(private_raw)
    if len(sealed) < ENC_SIZE + TAG_SIZE:
        raise SealingError("share_undecryptable", "The encrypted share is too short.")
    try:
        return SUITE.decrypt(sealed, key, info)
    except InvalidTag as error:  # also what a low-order `enc` (e.g. all zeros) gives
        raise SealingError(
            "share_undecryptable",
            "The encrypted share does not open with this key (another key, or altered bytes).",
        ) from error


def _public_key(public_raw: bytes) -> X25519PublicKey:
    if not isinstance(public_raw, bytes) or len(public_raw) != KEY_SIZE:
        raise SealingError("bad_public_key", "A public key must be 32 raw X25519 bytes.")
    return X25519PublicKey.from_public_bytes(public_raw)


def _private_key(private_raw: bytes) -> X25519PrivateKey:
    if not isinstance(private_raw, bytes) or len(private_raw) != KEY_SIZE:
        raise SealingError("wrong_key", "A private key must be 32 raw X25519 bytes.")
    return X25519PrivateKey.from_private_bytes(private_raw)
