"""AES-256-GCM, the one symmetric cipher of the sealing formats (bids, documents, key files).

Nonces are 12 random bytes from the operating system; every key here encrypts a handful of
messages at most (one data key per bid: the bid and its documents), far below the limit where
random 96-bit nonces could repeat.
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from pregon.sealing.errors import SealingError

KEY_SIZE = 32
NONCE_SIZE = 12
TAG_SIZE = 16


def aead_encrypt(key: bytes, plaintext: bytes, aad: bytes) -> tuple[bytes, bytes]:
    """Encrypt ``plaintext`` under ``key`` bound to ``aad``; return ``(nonce, ciphertext||tag)``."""
    nonce = os.urandom(NONCE_SIZE)
    return nonce, AESGCM(key).encrypt(nonce, plaintext, aad)


def aead_decrypt(key: bytes, nonce: bytes, ciphertext: bytes, aad: bytes) -> bytes:
    """Decrypt and authenticate ``ciphertext||tag``; raise ``SealingError("undecryptable")``.

    Callers that know what failed (a document, a key file) re-raise with their own code.
    """
    if len(key) != KEY_SIZE or len(nonce) != NONCE_SIZE or len(ciphertext) < TAG_SIZE:
        raise SealingError("undecryptable", "The key, nonce or ciphertext has the wrong size.")
    try:
        return AESGCM(key).decrypt(nonce, ciphertext, aad)
    except InvalidTag as error:
        raise SealingError(
            "undecryptable",
            "The ciphertext does not decrypt under this key (altered or wrong key).",
        ) from error
