"""The one error of the sealing package: ``SealingError``, with a stable ``code``.

The message is plain English for logs, the command line and tests; pages and the API translate
by ``code`` (and fill their own text from ``details``, named values such as the member's
fingerprint or the document id), so the wording here never reaches a person in another language.

Codes:

- ``malformed_envelope``, ``unknown_format``, ``not_canonical``, ``too_large``, ``bad_base64``,
  ``bad_size``, ``bad_threshold``, ``duplicate_member``, ``duplicate_document``: an envelope (or
  the arguments of ``seal_bid``) that is not what the contract says;
- ``malformed_key_file``, ``wrong_passphrase``: a committee member's key file;
- ``bad_public_key``, ``bad_member_key``, ``wrong_key``: a key that is not an X25519 key, or not
  the one its fingerprint names;
- ``wrong_tender``, ``not_a_member``: an envelope used for another tender, or a fingerprint it
  holds no share for;
- ``share_undecryptable``: an encrypted share the member's key does not open;
- ``wrong_share``: a plaintext share whose SHA-256 is not the envelope's for that member;
- ``too_few_shares``: fewer valid shares than the threshold;
- ``undecryptable``: the combined data key does not open the bid (altered ciphertext, or shares
  the bidder made wrong);
- ``malformed_bid``: a bid whose plain JSON is not a ``pregon-bid/1`` document for this envelope;
- ``document_altered``: an encrypted document that does not decrypt under the bid's data key.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType


class SealingError(ValueError):
    """A sealing input was refused; ``code`` says why (see the module docstring)."""

    def __init__(self, code: str, message: str, *, details: Mapping[str, str] | None = None):
        """Record ``code``, the English ``message`` and the named ``details`` it mentions."""
        super().__init__(message)
        self.code = code
        self.message = message
        self.details: Mapping[str, str] = MappingProxyType(dict(details or {}))

    def __repr__(self) -> str:
        """Show the code beside the message, so a failed assertion names it."""
        return f"SealingError({self.code!r}, {self.message!r})"
