"""C2SP signed notes, tlog checkpoints and witness cosignatures, with Ed25519 keys.

Formats (https://c2sp.org/signed-note, https://c2sp.org/tlog-checkpoint,
https://c2sp.org/tlog-cosignature), chosen so that Go tooling and the public witness network can
read what this log publishes:

* checkpoint body: origin line, tree size in decimal, base64 root hash, optional extension lines,
  each ending in a newline;
* signed note: body, a blank line, then one or more lines ``— <key name> <base64(key id ||
  signature)>`` (U+2014 em dash);
* key id: the first four bytes of ``SHA-256(name || "\\n" || algorithm byte || public key)``;
* verifier key (vkey): ``<name>+<8 hex digits key id>+<base64(algorithm byte || public key)>``;
* signer key: ``PRIVATE+KEY+<name>+<8 hex digits key id>+<base64(algorithm byte || seed)>``.

Two signature algorithms are supported: ``ALG_ED25519`` (0x01), a plain Ed25519 signature of the
note text, which the log uses; and ``ALG_COSIGNATURE_V1`` (0x04), the timestamped Ed25519
cosignature that C2SP defines for witnesses, which signs ``"cosignature/v1\\ntime <t>\\n" || body``
and carries the 8-byte big-endian timestamp before the signature.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Final

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from pregon.tlog.errors import MalformedNoteError, NoteVerificationError
from pregon.tlog.merkle import HASH_SIZE

ALG_ED25519: Final = 0x01
ALG_COSIGNATURE_V1: Final = 0x04
ALGORITHMS: Final = frozenset({ALG_ED25519, ALG_COSIGNATURE_V1})

MAX_SIGNATURES: Final = 100
"""Signature lines accepted in one note; C2SP requires at least 16, Go's note package allows 100."""

MAX_TREE_SIZE: Final = 2**64 - 1
MAX_TIMESTAMP: Final = 2**63 - 1

_KEY_SIZE = 32
_SIGNATURE_SIZE = 64
_SIGNATURE_PREFIX = "\u2014 "
_SIGNER_PREFIX = "PRIVATE+KEY+"
_DECIMAL = re.compile(r"0|[1-9][0-9]*")
_KEY_ID_HEX = re.compile(r"[0-9a-fA-F]{8}")
_FORBIDDEN_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f]")


# --- keys ------------------------------------------------------------------------------------------


def compute_key_id(name: str, algorithm: int, public_key: bytes) -> int:
    """Return the C2SP key id: the first four bytes, big-endian, of SHA-256(name, LF, alg, key).

    Binding the name and the algorithm into the id lets a verifier ignore signature lines from
    keys it does not know without trying them.
    """
    digest = hashlib.sha256(name.encode() + b"\n" + bytes([algorithm]) + public_key).digest()
    return int.from_bytes(digest[:4], "big")


@dataclass(frozen=True, slots=True)
class VerifierKey:
    """A public key that verifies note signatures of one algorithm under one name."""

    name: str
    algorithm: int
    public_key: bytes

    def __post_init__(self) -> None:
        """Refuse keys that could never appear in a well-formed note."""
        _check_key_name(self.name)
        _check_algorithm(self.algorithm)
        if len(self.public_key) != _KEY_SIZE:
            msg = f"an Ed25519 public key is {_KEY_SIZE} bytes, not {len(self.public_key)}"
            raise MalformedNoteError(msg)

    @property
    def key_id(self) -> int:
        """The 32-bit id that signature lines made with this key start with."""
        return compute_key_id(self.name, self.algorithm, self.public_key)


@dataclass(frozen=True, slots=True)
class SignerKey:
    """A private Ed25519 key (its 32-byte seed) that signs notes under one name."""

    name: str
    algorithm: int
    seed: bytes = field(repr=False)

    def __post_init__(self) -> None:
        """Refuse keys that could not produce a well-formed signature."""
        _check_key_name(self.name)
        _check_algorithm(self.algorithm)
        if len(self.seed) != _KEY_SIZE:
            msg = f"an Ed25519 seed is {_KEY_SIZE} bytes, not {len(self.seed)}"
            raise MalformedNoteError(msg)

    @property
    def verifier(self) -> VerifierKey:
        """The matching public key, to publish as a vkey."""
        public = Ed25519PrivateKey.from_private_bytes(self.seed).public_key().public_bytes_raw()
        return VerifierKey(self.name, self.algorithm, public)

    @property
    def key_id(self) -> int:
        """The 32-bit id that this key's signature lines start with."""
        return self.verifier.key_id


def generate_signer_key(name: str, *, algorithm: int = ALG_ED25519) -> SignerKey:
    """Create a new random signing key; use ``ALG_COSIGNATURE_V1`` for a witness key."""
    seed = Ed25519PrivateKey.generate().private_bytes_raw()
    return SignerKey(name, algorithm, seed)


def format_verifier_key(key: VerifierKey) -> str:
    """Return ``key`` in the note vkey format ``<name>+<hex id>+<base64(alg || public key)>``."""
    encoded = base64.b64encode(bytes([key.algorithm]) + key.public_key).decode("ascii")
    return f"{key.name}+{key.key_id:08x}+{encoded}"


def parse_verifier_key(text: str) -> VerifierKey:
    """Parse a vkey, checking that its key id matches its name, algorithm and public key.

    The id check catches keys damaged in copy and paste before they silently verify nothing.
    """
    parts = text.split("+", 2)
    if len(parts) != 3:
        msg = "a verifier key has the form <name>+<hex id>+<base64 key>"
        raise MalformedNoteError(msg)
    name, id_hex, encoded = parts
    return _parse_key_parts(name, id_hex, encoded, VerifierKey)


def format_signer_key(key: SignerKey) -> str:
    """Return ``key`` as ``PRIVATE+KEY+<name>+<hex id>+<base64(alg || seed)>``; keep it secret."""
    encoded = base64.b64encode(bytes([key.algorithm]) + key.seed).decode("ascii")
    return f"{_SIGNER_PREFIX}{key.name}+{key.key_id:08x}+{encoded}"


def parse_signer_key(text: str) -> SignerKey:
    """Parse a signer key string, checking its key id against the key it encodes."""
    if not text.startswith(_SIGNER_PREFIX):
        msg = f"a signer key starts with {_SIGNER_PREFIX!r}"
        raise MalformedNoteError(msg)
    parts = text[len(_SIGNER_PREFIX) :].split("+", 2)
    if len(parts) != 3:
        msg = "a signer key has the form PRIVATE+KEY+<name>+<hex id>+<base64 key>"
        raise MalformedNoteError(msg)
    name, id_hex, encoded = parts
    return _parse_key_parts(name, id_hex, encoded, SignerKey)


def _parse_key_parts[K: (VerifierKey, SignerKey)](
    name: str, id_hex: str, encoded: str, kind: type[K]
) -> K:
    if not _KEY_ID_HEX.fullmatch(id_hex):
        msg = f"key id {id_hex!r} is not 8 hexadecimal digits"
        raise MalformedNoteError(msg)
    raw = _b64decode(encoded, "key")
    if len(raw) != 1 + _KEY_SIZE:
        msg = f"key material is {len(raw)} bytes, expected 1 algorithm byte and {_KEY_SIZE}"
        raise MalformedNoteError(msg)
    key = kind(name, raw[0], raw[1:])
    if key.key_id != int(id_hex, 16):
        msg = f"key id {id_hex} does not match the key (expected {key.key_id:08x})"
        raise MalformedNoteError(msg)
    return key


# --- checkpoints -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """The body of a tlog checkpoint: which log, how many leaves, and the root hash at that size."""

    origin: str
    size: int
    root_hash: bytes
    extensions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        """Refuse values that would format to a body another parser reads differently."""
        for label, line in [("origin", self.origin), *(("extension", e) for e in self.extensions)]:
            if not line or "\n" in line or _FORBIDDEN_CONTROL.search(line):
                msg = f"{label} line must be non-empty, single-line text without control characters"
                raise MalformedNoteError(msg)
        if (
            not isinstance(self.size, int)
            or isinstance(self.size, bool)
            or not 0 <= self.size <= MAX_TREE_SIZE
        ):
            msg = f"tree size {self.size!r} is not an unsigned 64-bit integer"
            raise MalformedNoteError(msg)
        if len(self.root_hash) != HASH_SIZE:
            msg = f"root hash is {len(self.root_hash)} bytes, not {HASH_SIZE}"
            raise MalformedNoteError(msg)


def format_checkpoint(checkpoint: Checkpoint) -> str:
    """Return the checkpoint body (note text): one line each, every line ending in a newline."""
    root = base64.b64encode(checkpoint.root_hash).decode("ascii")
    lines = [checkpoint.origin, str(checkpoint.size), root, *checkpoint.extensions]
    return "".join(line + "\n" for line in lines)


def parse_checkpoint(text: str) -> Checkpoint:
    """Parse a checkpoint body strictly.

    Rejected: a missing final newline, fewer than three lines, empty lines, a size with a sign,
    leading zeros, spaces or non-ASCII digits, and a root that is not canonical base64 of exactly
    32 bytes. Strictness matters: two spellings of one checkpoint would let a log sign a body
    that clients parse differently.
    """
    _check_text(text)
    if not text.endswith("\n"):
        msg = "checkpoint body must end with a newline"
        raise MalformedNoteError(msg)
    lines = text[:-1].split("\n")
    if len(lines) < 3:
        msg = f"checkpoint body has {len(lines)} lines, at least 3 are required"
        raise MalformedNoteError(msg)
    if "" in lines:
        msg = f"checkpoint line {lines.index('') + 1} is empty"
        raise MalformedNoteError(msg)
    origin, size_text, root_text, *extensions = lines
    if not _DECIMAL.fullmatch(size_text):
        msg = f"tree size {size_text!r} is not a canonical decimal number"
        raise MalformedNoteError(msg)
    size = int(size_text)
    root = _b64decode(root_text, "root hash")
    return Checkpoint(origin, size, root, tuple(extensions))


# --- notes -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NoteSignature:
    """One signature line of a note, not yet verified."""

    name: str
    key_id: int
    signature: bytes

    @property
    def line(self) -> str:
        """The signature line, with its final newline, as it appears in the note."""
        encoded = base64.b64encode(self.key_id.to_bytes(4, "big") + self.signature).decode("ascii")
        return f"{_SIGNATURE_PREFIX}{self.name} {encoded}\n"


@dataclass(frozen=True, slots=True)
class VerifiedSignature:
    """A signature that verified with a trusted key; ``timestamp`` is set for cosignatures."""

    key: VerifierKey
    timestamp: int | None = None


@dataclass(frozen=True, slots=True)
class OpenedNote:
    """A note whose text is vouched for by at least one trusted signature."""

    text: str
    verified: tuple[VerifiedSignature, ...]
    unverified: tuple[NoteSignature, ...]

    def signed_by(self, key: VerifierKey) -> bool:
        """Tell whether ``key`` is among the keys whose signature verified."""
        return any(signature.key == key for signature in self.verified)


@dataclass(frozen=True, slots=True)
class VerifiedCheckpoint:
    """A checkpoint from a note whose signatures were checked and whose origin was expected."""

    checkpoint: Checkpoint
    note: OpenedNote


def split_note(note: str) -> tuple[str, tuple[NoteSignature, ...]]:
    """Split a signed note into its text and signature lines, checking syntax only.

    Use ``open_note`` to trust the text; this is for handling signatures (merging cosignatures,
    serving them beside a checkpoint) where verification happens elsewhere.
    """
    _check_text(note)
    separator = note.rfind("\n\n")
    if separator < 0:
        msg = "a signed note needs a blank line between text and signatures"
        raise MalformedNoteError(msg)
    text, block = note[: separator + 1], note[separator + 2 :]
    if not block.endswith("\n"):
        msg = "a signed note must end with a signature line and a newline"
        raise MalformedNoteError(msg)
    lines = block[:-1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        msg = f"note has {len(lines)} signatures, more than {MAX_SIGNATURES}"
        raise MalformedNoteError(msg)
    return text, tuple(_parse_signature_line(line) for line in lines)


def join_note(text: str, signatures: Sequence[NoteSignature]) -> str:
    """Assemble a signed note from its text and signature lines (the inverse of ``split_note``)."""
    _check_note_text(text)
    if not signatures:
        msg = "a signed note needs at least one signature"
        raise MalformedNoteError(msg)
    if len(signatures) > MAX_SIGNATURES:
        msg = f"{len(signatures)} signatures, more than {MAX_SIGNATURES}"
        raise MalformedNoteError(msg)
    return text + "\n" + "".join(signature.line for signature in signatures)


def sign_note(text: str, signers: Sequence[SignerKey], *, timestamp: int | None = None) -> str:
    """Sign ``text`` with every key in ``signers`` and return the signed note.

    ``timestamp`` (POSIX seconds) is used by cosignature keys; it defaults to now. Signing with
    several keys at once is how a log rotates keys: old and new both sign during the overlap.
    """
    _check_note_text(text)
    if not signers:
        msg = "a signed note needs at least one signer"
        raise MalformedNoteError(msg)
    signatures: dict[tuple[str, int], NoteSignature] = {}
    for signer in signers:
        signature = _sign(signer, text, timestamp)
        signatures.setdefault((signature.name, signature.key_id), signature)
    return join_note(text, list(signatures.values()))


def add_signature(note: str, signer: SignerKey, *, timestamp: int | None = None) -> str:
    """Return ``note`` with one more signature by ``signer`` (a witness cosigning it).

    Existing signatures are kept as they are, except an earlier one by the same key, which the
    new one replaces. This does not verify the note: a witness must first ``open_checkpoint`` it
    with the log's key and check consistency with the last checkpoint it cosigned.
    """
    text, signatures = split_note(note)
    new = _sign(signer, text, timestamp)
    kept = [s for s in signatures if (s.name, s.key_id) != (new.name, new.key_id)]
    return join_note(text, [*kept, new])


def open_note(note: str, verifiers: Iterable[VerifierKey]) -> OpenedNote:
    """Verify a signed note against trusted keys and return its text with what verified.

    As C2SP requires: lines from unknown keys are ignored (kept in ``unverified``), every line
    from a known key must verify or the whole note is rejected, and at least one must verify.
    Raises ``MalformedNoteError`` for syntax and ``NoteVerificationError`` for signatures.
    """
    text, signatures = split_note(note)
    known: dict[tuple[str, int], VerifierKey] = {}
    for key in verifiers:
        other = known.setdefault((key.name, key.key_id), key)
        if other != key:
            msg = f"two trusted keys share the name {key.name!r} and id {key.key_id:08x}"
            raise NoteVerificationError(msg)
    verified: dict[tuple[str, int], VerifiedSignature] = {}
    unverified: list[NoteSignature] = []
    for signature in signatures:
        key_or_none = known.get((signature.name, signature.key_id))
        if key_or_none is None:
            unverified.append(signature)
            continue
        timestamp = _verify(key_or_none, text, signature.signature)
        verified.setdefault(
            (signature.name, signature.key_id), VerifiedSignature(key_or_none, timestamp)
        )
    if not verified:
        msg = "the note has no signature from a trusted key"
        raise NoteVerificationError(msg)
    return OpenedNote(text, tuple(verified.values()), tuple(unverified))


def sign_checkpoint(
    checkpoint: Checkpoint, signers: Sequence[SignerKey], *, timestamp: int | None = None
) -> str:
    """Return the signed note of ``checkpoint``; the log's key name should equal its origin."""
    return sign_note(format_checkpoint(checkpoint), signers, timestamp=timestamp)


def open_checkpoint(
    note: str, *, origin: str, verifiers: Iterable[VerifierKey]
) -> VerifiedCheckpoint:
    """Verify a signed checkpoint from the log ``origin`` and return it parsed.

    The text is parsed only after a trusted signature verified (C2SP: unsigned text must be
    ignored), and the origin is compared because a valid checkpoint of another log proves
    nothing about this one.
    """
    opened = open_note(note, verifiers)
    checkpoint = parse_checkpoint(opened.text)
    if checkpoint.origin != origin:
        msg = f"checkpoint is from {checkpoint.origin!r}, expected {origin!r}"
        raise NoteVerificationError(msg)
    return VerifiedCheckpoint(checkpoint, opened)


# --- signing primitives ----------------------------------------------------------------------------


def _sign(signer: SignerKey, text: str, timestamp: int | None) -> NoteSignature:
    private = Ed25519PrivateKey.from_private_bytes(signer.seed)
    if signer.algorithm == ALG_ED25519:
        signature = private.sign(text.encode())
    else:
        when = int(time.time()) if timestamp is None else timestamp
        if isinstance(when, bool) or not 0 <= when <= MAX_TIMESTAMP:
            msg = f"cosignature timestamp {when!r} is outside 0..2**63-1"
            raise MalformedNoteError(msg)
        signature = when.to_bytes(8, "big") + private.sign(_cosigned_message(text, when))
    return NoteSignature(signer.name, signer.key_id, signature)


def _verify(key: VerifierKey, text: str, signature: bytes) -> int | None:
    timestamp: int | None = None
    message, raw = text.encode(), signature
    if key.algorithm == ALG_COSIGNATURE_V1:
        # A cosignature is the 8-byte big-endian timestamp followed by the Ed25519 signature.
        timestamp = int.from_bytes(signature[:8], "big")
        message, raw = _cosigned_message(text, timestamp), signature[8:]
    valid = len(raw) == _SIGNATURE_SIZE and (timestamp is None or timestamp <= MAX_TIMESTAMP)
    try:
        if not valid:
            raise InvalidSignature
        Ed25519PublicKey.from_public_bytes(key.public_key).verify(raw, message)
    except InvalidSignature as error:
        msg = f"signature by {key.name}+{key.key_id:08x} does not verify"
        raise NoteVerificationError(msg) from error
    return timestamp


def _cosigned_message(text: str, timestamp: int) -> bytes:
    return f"cosignature/v1\ntime {timestamp}\n{text}".encode()


# --- syntax helpers --------------------------------------------------------------------------------


def _parse_signature_line(line: str) -> NoteSignature:
    if not line.startswith(_SIGNATURE_PREFIX):
        msg = f"signature line must start with an em dash and a space: {line[:40]!r}"
        raise MalformedNoteError(msg)
    name, space, encoded = line[len(_SIGNATURE_PREFIX) :].partition(" ")
    if not space:
        msg = "signature line must have a key name, a space and a signature"
        raise MalformedNoteError(msg)
    _check_key_name(name)
    raw = _b64decode(encoded, "signature")
    if len(raw) < 5:
        msg = "a signature holds a 4-byte key id and at least one byte"
        raise MalformedNoteError(msg)
    return NoteSignature(name, int.from_bytes(raw[:4], "big"), raw[4:])


def _check_text(text: str) -> None:
    """Notes are UTF-8 without control characters other than newline."""
    if _FORBIDDEN_CONTROL.search(text):
        msg = "note contains a control character other than newline"
        raise MalformedNoteError(msg)
    try:
        text.encode()
    except UnicodeEncodeError as error:
        msg = "note is not valid Unicode"
        raise MalformedNoteError(msg) from error


def _check_note_text(text: str) -> None:
    _check_text(text)
    if not text.endswith("\n"):
        msg = "note text must end with a newline"
        raise MalformedNoteError(msg)


def _check_key_name(name: str) -> None:
    if not name or "+" in name or any(c.isspace() or c < " " for c in name):
        msg = f"key name {name!r} must be non-empty, without spaces, '+' or control characters"
        raise MalformedNoteError(msg)


def _check_algorithm(algorithm: int) -> None:
    if algorithm not in ALGORITHMS:
        msg = f"signature algorithm 0x{algorithm:02x} is not supported"
        raise MalformedNoteError(msg)


def _b64decode(text: str, what: str) -> bytes:
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as error:
        msg = f"{what} is not valid base64"
        raise MalformedNoteError(msg) from error
    # Only the canonical spelling is accepted, so a value has exactly one text form.
    if base64.b64encode(raw).decode("ascii") != text:
        msg = f"{what} is not canonical base64"
        raise MalformedNoteError(msg)
    return raw
