"""Reads of the transparency log: its size, checkpoints, proofs and leaves.

Nothing here locks: the log head and the nodes of the first ``size`` leaves are committed
together, so a reader that reads the head first always finds every node it needs. Proofs come
from the committed tree, never recomputed over all leaves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from django.utils.translation import gettext as _

from pregon.core.errors import DomainError, NotFound
from pregon.ledger.models import (
    IssuedCosignature,
    Leaf,
    LogHead,
    ReceivedCosignature,
    SignedCheckpoint,
    WatchedLog,
)
from pregon.ledger.services import HEAD_ID
from pregon.ledger.store import DatabaseNodeStore
from pregon.tlog.checkpoint import NoteSignature, join_note, split_note
from pregon.tlog.merkle import MerkleLog

MAX_LEAVES: Final = 1000


class BadParameter(DomainError):
    """A query parameter of the log's HTTP interface is missing or out of range (HTTP 400)."""

    status = 400
    code = "bad_parameter"


@dataclass(frozen=True, slots=True)
class InclusionProofResult:
    """Where a leaf sits in a tree of a given size, and the hashes that prove it."""

    leaf_index: int
    tree_size: int
    hashes: list[bytes]
    kind: str = ""


def log_size() -> int:
    """How many leaves the log holds (committed)."""
    size = LogHead.objects.filter(pk=HEAD_ID).values_list("size", flat=True).first()
    return size or 0


def log_tree() -> MerkleLog:
    """The committed tree, to compute roots and proofs from (one query per root or proof)."""
    return MerkleLog(DatabaseNodeStore(), size=log_size())


def checkpoint_latest() -> SignedCheckpoint | None:
    """The most recent signed checkpoint, or ``None`` before the first one."""
    return SignedCheckpoint.objects.order_by("-id").first()


def checkpoint_note_served(checkpoint: SignedCheckpoint) -> str:
    """The checkpoint's signed note with the witnesses' cosignatures of it appended.

    A cosignature is kept only for the exact (size, root) it signs, so it can never appear
    under another tree; the newest one per witness key is served.
    """
    text, signatures = split_note(checkpoint.note)
    lines = ReceivedCosignature.objects.filter(
        size=checkpoint.size, root_hash=bytes(checkpoint.root_hash)
    ).order_by("-id")
    seen = {(signature.name, signature.key_id) for signature in signatures}
    extra: list[NoteSignature] = []
    for line in lines.values_list("signature_line", flat=True):
        _text, (cosignature,) = split_note(text + "\n" + line)
        if (cosignature.name, cosignature.key_id) not in seen:
            seen.add((cosignature.name, cosignature.key_id))
            extra.append(cosignature)
    return join_note(text, [*signatures, *extra])


def checkpoints_page(*, limit: int, offset: int) -> tuple[int, list[SignedCheckpoint]]:
    """The checkpoint history, newest first: the total count and one page."""
    rows = SignedCheckpoint.objects.order_by("-id")
    return rows.count(), list(rows[offset : offset + limit])


def inclusion_proof(*, leaf_hash: bytes, tree_size: int | None) -> InclusionProofResult:
    """The proof that the leaf with ``leaf_hash`` is in the tree of ``tree_size`` leaves.

    Without ``tree_size``, the size of the latest checkpoint. Raises ``NotFound`` for a hash
    the log does not hold (or holds only beyond that size) and ``BadParameter`` for a size
    the log cannot prove against.
    """
    tree = log_tree()
    if tree_size is None:
        latest = checkpoint_latest()
        if latest is None or latest.size == 0:
            raise NotFound(_("The log has not signed a checkpoint yet."), code="no_checkpoint")
        tree_size = latest.size
    if not 1 <= tree_size <= tree.size:
        raise BadParameter(
            _("tree_size must be between 1 and %(size)d, the size of the log.")
            % {"size": tree.size},
            field="tree_size",
        )
    # By the hash alone, then the earliest in Python: with "index < size ORDER BY index LIMIT 1"
    # PostgreSQL may walk the primary key and test each hash, O(n) instead of one lookup.
    logged = dict(Leaf.objects.filter(leaf_hash=leaf_hash).values_list("index", "kind"))
    index = min((i for i in logged if i < tree_size), default=None)
    if index is None:
        if logged:
            raise NotFound(
                _(
                    "This leaf was logged after the tree of size %(size)d; ask with the size "
                    "of a later checkpoint."
                )
                % {"size": tree_size},
                code="leaf_not_in_tree",
            )
        raise NotFound(_("The log holds no leaf with this hash."), code="unknown_leaf")
    return InclusionProofResult(
        index, tree_size, tree.inclusion_proof(index, tree_size), logged[index]
    )


def consistency_proof(*, first: int, second: int) -> list[bytes]:
    """The proof that the tree of ``second`` leaves extends the tree of ``first`` leaves."""
    size = log_size()
    if second > size:
        raise BadParameter(
            _("second must not exceed %(size)d, the size of the log.") % {"size": size},
            field="second",
        )
    if first < 1:
        raise BadParameter(
            _("first must be at least 1: no proof exists from the empty tree."), field="first"
        )
    if first > second:
        raise BadParameter(_("first must not exceed second."), field="first")
    return MerkleLog(DatabaseNodeStore(), size=size).consistency_proof(first, second)


def leaves_range(*, start: int, end: int) -> tuple[list[Leaf], int]:
    """Leaves ``start`` to ``end`` (exclusive, at most 1,000), cut at the log's size.

    Returns the leaves and the log's size.
    """
    if end <= start:
        raise BadParameter(_("end must be greater than start."), field="end")
    if end - start > MAX_LEAVES:
        raise BadParameter(
            _("At most %(count)d leaves can be listed at once.") % {"count": MAX_LEAVES},
            field="end",
        )
    size = log_size()
    if start >= size:
        raise BadParameter(
            _("start must be below %(size)d, the size of the log.") % {"size": size},
            field="start",
        )
    leaves = list(Leaf.objects.filter(index__gte=start, index__lt=min(end, size)).order_by("index"))
    return leaves, size


def leaf_of(*, kind: str, ref: str) -> Leaf | None:
    """The first leaf logged for ``ref`` of ``kind`` (e.g. a release id), if any."""
    return Leaf.objects.filter(kind=kind, ref=ref).order_by("index").first()


def cosignature_issued_latest(*, origin: str) -> IssuedCosignature | None:
    """The latest checkpoint of the watched log ``origin`` that this instance cosigned."""
    return (
        IssuedCosignature.objects.filter(watched_log__origin=origin)
        .order_by("-size", "-id")
        .first()
    )


def watched_logs(*, include_inactive: bool = False) -> list[WatchedLog]:
    """The logs this instance witnesses, by origin."""
    rows = WatchedLog.objects.order_by("origin")
    return list(rows if include_inactive else rows.filter(active=True))
