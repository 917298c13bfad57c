"""Byte strings in the sealing formats: base64url without padding, SHA-256 as lowercase hex.

Decoding is strict, so one byte string has exactly one text form: the alphabet is base64url's,
no ``=`` padding, no whitespace, and the unused low bits of the last character must be zero
(otherwise two texts would decode to the same bytes and a hashed envelope could be re-spelled).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re

from pregon.sealing.errors import SealingError

_B64URL = re.compile(r"[A-Za-z0-9_-]*")
_HEX64 = re.compile(r"[0-9a-f]{64}")


def b64encode(data: bytes) -> str:
    """The base64url text of ``data``, without padding."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64decode(text: object, *, field: str) -> bytes:
    """Decode the base64url text ``text`` (no padding); ``field`` names it in the error."""
    if not isinstance(text, str) or not _B64URL.fullmatch(text) or len(text) % 4 == 1:
        raise SealingError(
            "bad_base64",
            f"{field} is not base64url without padding.",
            details={"field": field},
        )
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except binascii.Error as error:  # pragma: no cover - the pattern above already refuses these
        raise SealingError(
            "bad_base64", f"{field} is not base64url.", details={"field": field}
        ) from error
    if b64encode(data) != text:
        raise SealingError(
            "bad_base64",
            f"{field} is not in canonical base64url (its last character has stray bits).",
            details={"field": field},
        )
    return data


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of ``data`` as 64 lowercase hex digits."""
    return hashlib.sha256(data).hexdigest()


def is_sha256_hex(value: object) -> bool:
    """Whether ``value`` is written as a SHA-256 here: 64 lowercase hex digits."""
    return isinstance(value, str) and _HEX64.fullmatch(value) is not None
