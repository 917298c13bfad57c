"""Checking published documents against a transparency log, as a Certificate Transparency monitor.

``pregon verify`` is a thin command over this module, which needs no Django and no database:

1. fetch the log's latest checkpoint and verify its signature with the trusted verifier key;
2. check it extends the checkpoint saved by the previous run (consistency proof) and save it;
3. for every document of a bulk file (JSON Lines, gzip or not) or a release package (releases,
   and also opening records and bid commitments: ``pregon.tlog.leaves``), compute the RFC 9162
   leaf hash of its RFC 8785 canonical bytes and check the log holds it under that
   checkpoint's root: per document with an inclusion proof, or, when that takes fewer
   requests, by downloading every leaf hash, recomputing the root and looking each one up;
4. check each document found has the shape of the kind its leaf is logged as, and count the
   leaves seen by kind (every leaf of the tree when they were downloaded).

Every outcome is data (``Finding``s with a code), so the command can phrase it in the reader's
language and tests can check it exactly.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Final

from pregon.tlog.checkpoint import (
    Checkpoint,
    VerifiedCheckpoint,
    VerifierKey,
    format_verifier_key,
    open_checkpoint,
)
from pregon.tlog.client import MAX_LEAVES_PER_REQUEST, LogClient, LogClientError
from pregon.tlog.errors import CanonicalizationError, InvalidProofError, LedgerError
from pregon.tlog.jcs import canonical_bytes, parse_json
from pregon.tlog.leaves import (
    CHECKED_KINDS,
    KIND_RELEASE,
    declared_kind,
    document_ref,
    problems_of,
    release_problems,
)
from pregon.tlog.merkle import (
    leaf_hash,
    root_from_leaf_hashes,
    verify_consistency,
    verify_inclusion,
)

METHOD_AUTO: Final = "auto"
METHOD_PROOFS: Final = "proofs"
METHOD_LEAVES: Final = "leaves"
METHODS: Final = (METHOD_AUTO, METHOD_PROOFS, METHOD_LEAVES)

# Finding codes.
UNREADABLE: Final = "unreadable"  # a line or document is not strict JSON / not a release
NOT_IN_LOG: Final = "not_in_log"  # the log holds no leaf with this document's hash
NOT_YET: Final = "not_in_checkpoint"  # logged, but after the checkpoint
BAD_PROOF: Final = "bad_proof"  # the log's proof does not lead to the signed root
WRONG_KIND: Final = "wrong_kind"  # its leaf is logged as another kind than the document is
BAD_CONTENT: Final = "bad_content"  # its leaf's kind is the document's, its shape is not


class MonitorError(LedgerError):
    """The log as a whole failed a check: signature, consistency, or its answers."""

    def __init__(self, code: str, message: str) -> None:
        """``code`` says which check failed (``signature``, ``inconsistent``, ``log``...)."""
        super().__init__(message)
        self.code = code


@dataclass(frozen=True, slots=True)
class PublishedRelease:
    """One document read from the published data (a release, an opening record or a bid
    commitment), with where it was found.

    ``release_id`` is its reference as the log names it (a release's id, ``<ocid>/opening``, a
    commitment); ``kind`` the kind it says it is; ``problems`` what is wrong with it as such.
    """

    line: int
    release_id: str
    leaf_hash: bytes
    kind: str = KIND_RELEASE
    problems: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Finding:
    """A document (or line) that failed, and why; ``leaf_index`` when it was found in the log."""

    code: str
    line: int
    release_id: str
    detail: str = ""
    kind: str = KIND_RELEASE
    leaf_index: int = -1


@dataclass(frozen=True, slots=True)
class SavedCheckpoint:
    """The checkpoint a previous run trusted, from the state file."""

    size: int
    root_hash: bytes
    saved_at: str


@dataclass(kw_only=True)
class Report:
    """What one verification checked and found."""

    origin: str
    checkpoint: Checkpoint
    witnesses: list[str] = field(default_factory=list)
    previous: SavedCheckpoint | None = None
    releases: int = 0
    lines: int = 0
    method: str = ""
    requests: int = 0
    findings: list[Finding] = field(default_factory=list)
    #: The documents read, by the kind each says it is.
    documents: Counter[str] = field(default_factory=Counter)
    #: The leaves seen, by the kind the log lists: every leaf of the tree with the leaves
    #: method, the leaves of the documents found with the proofs method.
    leaf_kinds: Counter[str] = field(default_factory=Counter)

    @property
    def ok(self) -> bool:
        """True when every document was found under the checkpoint, with its kind's shape."""
        return not self.findings


# --- the checkpoint ---------------------------------------------------------------------------------


def fetch_checkpoint(
    client: LogClient, key: VerifierKey, witnesses: Sequence[VerifierKey] = ()
) -> tuple[VerifiedCheckpoint, str]:
    """Fetch and verify the log's latest checkpoint: signed by ``key``, from its origin.

    Witness keys, when given, are checked too: a cosignature by one of them must verify (a bad
    one rejects the checkpoint); which of them cosigned is in ``note.verified``. Returns the
    verified checkpoint and the signed note as served.
    """
    try:
        note = client.checkpoint()
        verified = open_checkpoint(note, origin=key.name, verifiers=[key, *witnesses])
    except LogClientError as error:
        raise MonitorError("log", str(error)) from error
    except LedgerError as error:
        raise MonitorError("signature", str(error)) from error
    if not verified.note.signed_by(key):
        raise MonitorError("signature", "the checkpoint is not signed by the log's key")
    return verified, note


def check_consistency(
    client: LogClient, previous: SavedCheckpoint | None, checkpoint: Checkpoint
) -> None:
    """Check that ``checkpoint`` extends the one saved by the previous run (if any)."""
    if previous is None:
        return
    if checkpoint.size < previous.size:
        msg = (
            f"the log shrank from {previous.size} to {checkpoint.size} leaves since the "
            "previous run: it was rewritten"
        )
        raise MonitorError("inconsistent", msg)
    if checkpoint.size == previous.size:
        if checkpoint.root_hash != previous.root_hash:
            msg = f"the log shows another root for size {checkpoint.size} than in the previous run"
            raise MonitorError("inconsistent", msg)
        return
    if previous.size == 0:
        return
    try:
        proof = client.consistency_proof(previous.size, checkpoint.size)
    except LogClientError as error:
        raise MonitorError("log", str(error)) from error
    try:
        verify_consistency(
            first=previous.size,
            second=checkpoint.size,
            first_root=previous.root_hash,
            second_root=checkpoint.root_hash,
            proof=proof,
        )
    except InvalidProofError as error:
        msg = f"the log of size {checkpoint.size} does not extend the previous one: {error}"
        raise MonitorError("inconsistent", msg) from error


# --- the state file ---------------------------------------------------------------------------------


def default_state_path() -> Path:
    """``$XDG_CONFIG_HOME/pregon/verify-state.json`` (``~/.config/…`` by default)."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "pregon" / "verify-state.json"


def state_entry(key: VerifierKey) -> str:
    """The state file's entry for the log that ``key`` verifies: its name and key (the vkey).

    Not the name alone: two logs may share one (two local instances both called
    ``127.0.0.1:8000/pregon/log``, each with its own key), and each must keep its own checkpoint
    rather than fail the other's consistency check.
    """
    return format_verifier_key(key)


def load_state(path: Path, entry: str) -> SavedCheckpoint | None:
    """The checkpoint saved under ``entry`` by a previous run, or ``None`` on the first run."""
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as error:
        raise MonitorError("state", f"cannot read the state file {path}: {error}") from error
    saved = state.get("logs", {}).get(entry) if isinstance(state, dict) else None
    if saved is None:
        return None
    try:
        return SavedCheckpoint(
            size=int(saved["size"]),
            root_hash=base64.b64decode(saved["root_hash"], validate=True),
            saved_at=str(saved.get("saved_at", "")),
        )
    except (KeyError, TypeError, ValueError) as error:
        msg = f"the state file {path} has a damaged entry for {entry}"
        raise MonitorError("state", msg) from error


def save_state(path: Path, entry: str, checkpoint: Checkpoint, note: str) -> None:
    """Save ``checkpoint`` as the one the next run must find extended (atomic replace)."""
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(state, dict):
            state = {}
    except (OSError, ValueError):
        state = {}
    state.setdefault("logs", {})[entry] = {
        "size": checkpoint.size,
        "root_hash": base64.b64encode(checkpoint.root_hash).decode("ascii"),
        "note": note,
        "saved_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".verify-state.")
    except OSError as error:
        raise MonitorError("state", f"cannot write the state file {path}: {error}") from error
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            json.dump(state, file, indent=2, sort_keys=True)
            file.write("\n")
        Path(temporary).replace(path)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):
            msg = f"cannot write the state file {path}: {error}"
            raise MonitorError("state", msg) from error
        raise


# --- reading releases -------------------------------------------------------------------------------


def read_releases(stream: IO[bytes]) -> Iterator[PublishedRelease | Finding]:
    """Documents from JSON Lines (a release, a package, an opening record or a bid commitment
    per line) or from one JSON document.

    A line that does not parse as JSON on its own means the data is one (pretty-printed)
    document: a release package, a single release, an opening record. Each document is hashed
    as its RFC 8785 canonical bytes, parsed strictly with exact numbers. A document that is not
    an opening record or a bid commitment (by its ``format`` or ``type``) is read as a release,
    and one without an id is unreadable.
    """
    first = True
    for number, raw in enumerate(stream, start=1):
        if not raw.strip():
            continue
        try:
            value = parse_json(raw)
        except CanonicalizationError as error:
            if first:
                yield from _document(raw + stream.read())
                return
            yield Finding(UNREADABLE, number, "", str(error))
            continue
        first = False
        yield from _releases_of(value, number)


def _document(data: bytes) -> Iterator[PublishedRelease | Finding]:
    try:
        value = parse_json(data)
    except CanonicalizationError:
        # Not one document either: JSON Lines whose first line is damaged. Report line by line.
        for number, raw in enumerate(data.split(b"\n"), start=1):
            if not raw.strip():
                continue
            try:
                line_value = parse_json(raw)
            except CanonicalizationError as error:
                yield Finding(UNREADABLE, number, "", str(error))
                continue
            yield from _releases_of(line_value, number)
        return
    yield from _releases_of(value, 1)


def _releases_of(value: Any, line: int) -> Iterator[PublishedRelease | Finding]:
    if isinstance(value, dict) and isinstance(value.get("releases"), list):
        for release in value["releases"]:
            yield _published(release, line)
    else:
        yield _published(value, line)


def _published(value: Any, line: int) -> PublishedRelease | Finding:
    kind = declared_kind(value)
    if kind == KIND_RELEASE:
        unreadable = release_problems(value)
        if unreadable:
            return Finding(UNREADABLE, line, "", unreadable[0])
        problems: list[str] = []
    else:
        # Hashed and looked up all the same: a logged document without its kind's shape is
        # reported with its leaf.
        problems = problems_of(kind, value)
    reference = document_ref(kind, value)
    try:
        data = canonical_bytes(value)
    except CanonicalizationError as error:
        return Finding(UNREADABLE, line, reference, str(error), kind=kind)
    return PublishedRelease(line, reference, leaf_hash(data), kind, tuple(problems))


def content_finding(
    document: PublishedRelease, leaf_index: int, logged_kind: str
) -> Finding | None:
    """What is wrong with a document found at ``leaf_index``, logged as ``logged_kind``: a
    document of another kind than its leaf's, or without its kind's shape. None when nothing
    is, or when the leaf's kind is not one that can be checked by content (or not given)."""
    kind = logged_kind or document.kind
    if kind not in CHECKED_KINDS:
        return None
    if kind != document.kind:
        return Finding(
            WRONG_KIND,
            document.line,
            document.release_id,
            kind,
            kind=document.kind,
            leaf_index=leaf_index,
        )
    if document.problems:
        return Finding(
            BAD_CONTENT,
            document.line,
            document.release_id,
            "; ".join(document.problems),
            kind=document.kind,
            leaf_index=leaf_index,
        )
    return None


# --- inclusion --------------------------------------------------------------------------------------


def choose_method(method: str, releases: int, tree_size: int) -> str:
    """Proofs cost one request per release, leaves one per 1,000 leaves: take the cheaper."""
    if method != METHOD_AUTO:
        return method
    pages = -(-tree_size // MAX_LEAVES_PER_REQUEST)
    return METHOD_LEAVES if pages < releases else METHOD_PROOFS


def check_by_proofs(
    client: LogClient,
    checkpoint: Checkpoint,
    releases: Iterable[PublishedRelease],
    progress: Callable[[int], None] = lambda _n: None,
    kinds: Counter[str] | None = None,
) -> Iterator[Finding]:
    """Ask the log for each document's inclusion proof and verify it against the checkpoint,
    then check the document has the shape of its leaf's kind.

    ``kinds`` counts the leaves found, once each, by the kind the log gives with the proof (the
    document's own kind when the log does not say).
    """
    counted: set[int] = set()
    for release in releases:
        finding = _check_one(client, checkpoint, release, kinds, counted)
        if finding is not None:
            yield finding
        progress(1)


def _check_one(
    client: LogClient,
    checkpoint: Checkpoint,
    release: PublishedRelease,
    kinds: Counter[str] | None,
    counted: set[int],
) -> Finding | None:
    def failed(code: str, detail: str) -> Finding:
        return Finding(code, release.line, release.release_id, detail, kind=release.kind)

    if checkpoint.size == 0:
        return failed(NOT_IN_LOG, release.leaf_hash.hex())
    try:
        proof = client.inclusion_proof(release.leaf_hash, checkpoint.size)
    except LogClientError as error:
        if error.status == 404:
            code = NOT_YET if error.code == "leaf_not_in_tree" else NOT_IN_LOG
            return failed(code, release.leaf_hash.hex())
        raise MonitorError("log", str(error)) from error
    try:
        verify_inclusion(
            leaf_hash=release.leaf_hash,
            index=proof.leaf_index,
            size=checkpoint.size,
            proof=proof.hashes,
            root=checkpoint.root_hash,
        )
    except InvalidProofError as error:
        return failed(BAD_PROOF, str(error))
    if kinds is not None and proof.leaf_index not in counted:
        counted.add(proof.leaf_index)
        kinds[proof.kind or release.kind] += 1
    return content_finding(release, proof.leaf_index, proof.kind)


def check_by_leaves(
    client: LogClient,
    checkpoint: Checkpoint,
    releases: Sequence[PublishedRelease],
    progress: Callable[[int], None] = lambda _n: None,
    kinds: Counter[str] | None = None,
) -> Iterator[Finding]:
    """Download every leaf hash of the checkpoint's tree, check their root, look documents up
    and check each has the shape of its leaf's kind.

    The leaf list is trusted only once its root equals the signed root; then a document whose
    hash is not in it is not in the log. ``kinds`` counts every leaf of the tree by the kind
    the log lists.
    """
    seen: dict[bytes, tuple[int, str]] = {}
    wanted = {release.leaf_hash for release in releases}

    def hashes() -> Iterator[bytes]:
        start = 0
        while start < checkpoint.size:
            end = min(start + MAX_LEAVES_PER_REQUEST, checkpoint.size)
            try:
                page = client.leaves(start, end)
            except LogClientError as error:
                raise MonitorError("log", str(error)) from error
            if not page:
                msg = f"the log has no leaf {start} although its checkpoint has {checkpoint.size}"
                raise MonitorError("log", msg)
            for entry in page:
                if entry.leaf_hash in wanted:
                    seen.setdefault(entry.leaf_hash, (entry.index, entry.kind))
                if kinds is not None:
                    kinds[entry.kind] += 1
                yield entry.leaf_hash
            progress(len(page))
            start += len(page)

    if root_from_leaf_hashes(hashes()) != checkpoint.root_hash:
        msg = "the leaves the log lists do not have the root of its signed checkpoint"
        raise MonitorError("log", msg)
    for release in releases:
        found = seen.get(release.leaf_hash)
        if found is None:
            yield Finding(
                NOT_IN_LOG,
                release.line,
                release.release_id,
                release.leaf_hash.hex(),
                kind=release.kind,
            )
            continue
        finding = content_finding(release, *found)
        if finding is not None:
            yield finding
