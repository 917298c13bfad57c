"""Shamir secret sharing over GF(256), byte for byte the npm package ``shamir-secret-sharing``.

Both follow HashiCorp Vault's scheme: the field GF(2^8) with the AES polynomial
x^8 + x^4 + x^3 + x + 1, one random polynomial of degree k-1 per secret byte, and each share is
the secret's length plus one byte, the LAST byte being the share's x-coordinate (1..255, drawn at
random without repetition). The arithmetic is ``pyshamir``'s (a port of Vault's split and
combine); tests split here and combine in Node with the browser's library, and the other way
round.

Threshold 1 (a committee of one, or k = 1) is the degree-0 case of the same scheme: every share
is the secret followed by a distinct x-coordinate, and one share is enough. Neither library
accepts it (both want at least two shares and a threshold of two), so it is written here; the
browser side does the same.

Combining costs about k^2 field divisions per secret byte in pure Python: milliseconds for the
small committees of an opening (k <= 5), about a second at k = 20.

A share carries no integrity of its own: a wrong share combines into a wrong secret without any
error. The envelope's SHA-256 per share and AES-GCM on the bid are what catch it.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence

import pyshamir

MAX_SHARES = 255


def shamir_split(secret: bytes, shares: int, threshold: int) -> list[bytes]:
    """Split ``secret`` into ``shares`` shares of ``len(secret) + 1`` bytes, ``threshold`` needed.

    Raises ``ValueError`` for an empty secret or counts outside ``1 <= threshold <= shares <= 255``
    (the caller validates them first; reaching this is a programming error).
    """
    if not secret:
        msg = "the secret is empty"
        raise ValueError(msg)
    if not 1 <= threshold <= shares <= MAX_SHARES:
        msg = f"need 1 <= threshold ({threshold}) <= shares ({shares}) <= {MAX_SHARES}"
        raise ValueError(msg)
    if threshold == 1:
        coordinates = list(range(1, MAX_SHARES + 1))
        secrets.SystemRandom().shuffle(coordinates)
        return [bytes(secret) + bytes([x]) for x in coordinates[:shares]]
    return [bytes(share) for share in pyshamir.split(bytes(secret), shares, threshold)]


def shamir_combine(shares: Sequence[bytes]) -> bytes:
    """Rebuild the secret from shares of one split (any ``threshold`` or more of them).

    Raises ``ValueError`` when there is no share, when lengths differ or are below two bytes,
    or when two shares have the same x-coordinate. Fewer shares than the threshold give a wrong
    secret without error: that is the scheme, not a check this function can make.
    """
    if not shares:
        msg = "no share to combine"
        raise ValueError(msg)
    length = len(shares[0])
    if length < 2 or any(len(share) != length for share in shares):
        msg = "shares must all have the same length, of at least two bytes"
        raise ValueError(msg)
    if len({share[-1] for share in shares}) != len(shares):
        msg = "two shares have the same x-coordinate"
        raise ValueError(msg)
    if any(share[-1] == 0 for share in shares):
        msg = "a share has the x-coordinate 0, which would be the secret itself"
        raise ValueError(msg)
    if len(shares) == 1:
        return bytes(shares[0][:-1])
    return bytes(pyshamir.combine([bytearray(share) for share in shares]))
