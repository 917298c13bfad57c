"""Sealed bids without a framework: the cryptography and the formats of ``SEALED.md``.

A bidder's client seals a bid (AES-256-GCM under a fresh data key, the key split into Shamir
shares over GF(256), each share sealed to one committee member with HPKE, RFC 9180); the server
parses and stores the envelope and logs its commitment; at the opening each member decrypts their
shares with the private key from their passphrase-protected key file, and k shares open the bid.
The browser does the same with ``@hpke/core`` and ``shamir-secret-sharing``; tests hold both to
the same bytes.

Nothing here imports Django (an import contract in ``make lint`` checks it); the canonical JSON
is the transparency log's (``pregon.tlog.jcs``). Every refusal is a ``SealingError`` with a
``code`` the Django side translates.
"""

from pregon.sealing.envelope import (
    Envelope,
    Member,
    SealedBid,
    bid_open,
    document_open,
    parse_envelope,
    seal_bid,
    share_check,
    share_decrypt,
)
from pregon.sealing.errors import SealingError
from pregon.sealing.hpke import fingerprint, generate_member_key
from pregon.sealing.keyfile import keyfile_read, keyfile_write

__all__ = [
    "Envelope",
    "Member",
    "SealedBid",
    "SealingError",
    "bid_open",
    "document_open",
    "fingerprint",
    "generate_member_key",
    "keyfile_read",
    "keyfile_write",
    "parse_envelope",
    "seal_bid",
    "share_check",
    "share_decrypt",
]
