"""The one error family of the transparency log core.

Every error derives from ``LedgerError`` (itself a ``ValueError``, since each one means that some
input was not acceptable), so the HTTP and command layers can map the whole family in one place.
"""


class LedgerError(ValueError):
    """Base of every error raised by ``pregon.ledger``."""


class ProofRequestError(LedgerError):
    """A proof or root was asked for a size or index the log cannot answer (e.g. beyond its size)."""


class InvalidProofError(LedgerError):
    """A Merkle inclusion or consistency proof did not verify."""


class NodeStoreError(LedgerError):
    """A node store refused a write that would break the append-only tree (gap or rewrite)."""


class CanonicalizationError(LedgerError):
    """A value has no RFC 8785 canonical form (NaN, unsafe integer, lossy decimal, bad key...)."""


class MalformedNoteError(LedgerError):
    """A signed note, checkpoint body or key string is not well formed."""


class NoteVerificationError(LedgerError):
    """A signed note carries no valid signature from a trusted key, or a bad one from a known key."""
