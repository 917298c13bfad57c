"""RFC 9162 Merkle tree hashing and proofs, and an append-only log over a store of subtree hashes.

Hashing follows RFC 9162 (Certificate Transparency v2), section 2.1: a leaf hashes as
``SHA-256(0x00 || data)``, an interior node as ``SHA-256(0x01 || left || right)``, the empty tree
as ``SHA-256("")``, and the tree over ``n`` leaves splits at the largest power of two below ``n``.

Storage model. Every node of an RFC 9162 tree is either a *perfect* subtree (``2**level`` leaves
starting at a multiple of ``2**level``) or lies on the right edge of the tree, and a right-edge
node is the right fold of the perfect subtrees that make up its leaf range. Perfect subtrees never
change once complete, so a store keyed by ``(level, index)`` -- the subtree of ``2**level`` leaves
starting at leaf ``index * 2**level`` -- is append-only and sufficient: appending leaf ``n`` writes
its leaf hash plus one node per subtree it completes (on average one, at most ``log2 n``), and the
root of any size and any proof read at most ``2 * log2 n`` stored hashes, in a single
``get_many`` call. Nothing ever rehashes the whole tree.

Verification follows the algorithms of RFC 9162 sections 2.1.3.2 (inclusion) and 2.1.4.2
(consistency) and needs no store; the generators are checked against the recursive definitions of
sections 2.1.3.1 and 2.1.4.1 in the test suite.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from itertools import repeat
from operator import itemgetter
from typing import Final, Protocol

from pregon.tlog.errors import InvalidProofError, NodeStoreError, ProofRequestError

HASH_SIZE: Final = 32
EMPTY_ROOT: Final = hashlib.sha256(b"").digest()

type NodeKey = tuple[int, int]
"""``(level, index)``: the perfect subtree of ``2**level`` leaves starting at ``index * 2**level``."""

type Node = tuple[int, int, bytes]
"""``(level, index, hash)``: one stored perfect-subtree hash."""

_sha256 = hashlib.sha256


def leaf_hash(data: bytes) -> bytes:
    """Return the RFC 9162 hash of one leaf.

    The 0x00 prefix separates leaves from interior nodes, so no leaf can be passed off as a node
    (second-preimage protection).
    """
    return _sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """Return the RFC 9162 hash of an interior node from the hashes of its two children."""
    return _sha256(b"\x01" + left + right).digest()


def root_from_leaf_hashes(leaf_hashes: Iterable[bytes]) -> bytes:
    """Return the root of the tree over ``leaf_hashes``, streaming, in O(log n) memory.

    A verifier holding every leaf (for example a whole bulk download) can check a checkpoint
    with this alone, without proofs.
    """
    frontier: list[bytes] = []
    for position, value in enumerate(leaf_hashes):
        _check_length(value, "leaf hash", ValueError)
        current = value
        # Each trailing one bit of ``position`` is a perfect subtree this leaf completes.
        remaining = position
        while remaining & 1:
            current = node_hash(frontier.pop(), current)
            remaining >>= 1
        frontier.append(current)
    return _fold(frontier) if frontier else EMPTY_ROOT


# --- verification (RFC 9162 sections 2.1.3.2 and 2.1.4.2) ----------------------------------------


def root_from_inclusion_proof(
    *, leaf_hash: bytes, index: int, size: int, proof: Sequence[bytes]
) -> bytes:
    """Return the root that ``proof`` implies for ``leaf_hash`` at ``index`` in a tree of ``size``.

    Raises ``InvalidProofError`` when the proof cannot be a valid path at all: index outside the
    tree, a hash of the wrong length, or too many or too few hashes for that index and size.
    """
    _check_length(leaf_hash, "leaf hash", InvalidProofError)
    if index < 0 or size < 0 or index >= size:
        msg = f"leaf index {index} is outside a tree of size {size}"
        raise InvalidProofError(msg)
    fn, sn = index, size - 1
    result = leaf_hash
    for step, sibling in enumerate(proof):
        _check_length(sibling, f"proof hash {step}", InvalidProofError)
        if sn == 0:
            msg = f"inclusion proof has {len(proof)} hashes, more than the path from leaf {index}"
            raise InvalidProofError(msg)
        if fn & 1 or fn == sn:
            result = node_hash(sibling, result)
            # A right-edge node with no right sibling: climb past the levels it has no pair on.
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            result = node_hash(result, sibling)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        msg = f"inclusion proof has {len(proof)} hashes, fewer than the path from leaf {index}"
        raise InvalidProofError(msg)
    return result


def verify_inclusion(
    *, leaf_hash: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> None:
    """Check that the leaf with ``leaf_hash`` sits at ``index`` of the tree of ``size`` and ``root``.

    Raises ``InvalidProofError`` with the reason when it does not; returns nothing otherwise, so a
    forgotten result can never be mistaken for success.
    """
    _check_length(root, "root hash", InvalidProofError)
    computed = root_from_inclusion_proof(leaf_hash=leaf_hash, index=index, size=size, proof=proof)
    if computed != root:
        msg = f"inclusion proof for leaf {index} does not lead to the root of size {size}"
        raise InvalidProofError(msg)


def verify_consistency(
    *,
    first: int,
    second: int,
    first_root: bytes,
    second_root: bytes,
    proof: Sequence[bytes],
) -> None:
    """Check that the tree of ``second`` leaves extends the tree of ``first`` leaves unchanged.

    Follows RFC 9162 section 2.1.4.2, which defines proofs only for ``0 < first < second``; for
    ``first == second`` the proof must be empty and the roots equal. A proof from the empty tree is
    rejected: it would prove nothing, and accepting it is a classic way to skip a check.
    Raises ``InvalidProofError`` with the reason when the proof fails.
    """
    _check_length(first_root, "first root", InvalidProofError)
    _check_length(second_root, "second root", InvalidProofError)
    for step, value in enumerate(proof):
        _check_length(value, f"proof hash {step}", InvalidProofError)
    if first <= 0:
        msg = f"no consistency proof exists from a tree of size {first}"
        raise InvalidProofError(msg)
    if first > second:
        msg = f"first size {first} is larger than second size {second}"
        raise InvalidProofError(msg)
    if first == second:
        if proof:
            msg = "a consistency proof between equal sizes must be empty"
            raise InvalidProofError(msg)
        if first_root != second_root:
            msg = f"two different roots for the same size {first}"
            raise InvalidProofError(msg)
        return
    if not proof:
        msg = f"empty consistency proof from size {first} to {second}"
        raise InvalidProofError(msg)

    path = list(proof)
    if first & (first - 1) == 0:
        # The old tree is a perfect subtree of the new one, so the proof omits its root.
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    first_hash = second_hash = path[0]
    for sibling in path[1:]:
        if sn == 0:
            msg = f"consistency proof from {first} to {second} has too many hashes"
            raise InvalidProofError(msg)
        if fn & 1 or fn == sn:
            first_hash = node_hash(sibling, first_hash)
            second_hash = node_hash(sibling, second_hash)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            second_hash = node_hash(second_hash, sibling)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        msg = f"consistency proof from {first} to {second} has too few hashes"
        raise InvalidProofError(msg)
    if first_hash != first_root:
        msg = f"consistency proof does not lead to the root of size {first}"
        raise InvalidProofError(msg)
    if second_hash != second_root:
        msg = f"consistency proof does not lead to the root of size {second}"
        raise InvalidProofError(msg)


# --- storage ---------------------------------------------------------------------------------------


class NodeStore(Protocol):
    """Where a ``MerkleLog`` keeps the hashes of complete perfect subtrees.

    A node, once written, never changes: implementations must refuse to overwrite a node with a
    different hash (rewriting the same hash may be accepted, so a retried batch is harmless).
    The database layer implements this with a table keyed by ``(level, index)``.
    """

    def get(self, level: int, index: int) -> bytes:
        """Return the hash of one node; raise ``KeyError`` when it is not stored."""
        ...

    def get_many(self, keys: Sequence[NodeKey]) -> list[bytes]:
        """Return the hashes of ``keys`` in order, in one round trip; ``KeyError`` if one is missing."""
        ...

    def put_many(self, nodes: Sequence[Node]) -> None:
        """Store all ``nodes`` at once (one round trip), or none of them if any is refused."""
        ...


class MemoryNodeStore:
    """A ``NodeStore`` in memory: one packed ``bytearray`` of 32-byte hashes per level.

    Packing keeps a million-leaf log at about 64 MB instead of several hundred with a dict of
    ``bytes``; it relies on each level filling left to right, which the append-only tree
    guarantees.
    """

    def __init__(self) -> None:
        """Start empty."""
        self._levels: list[bytearray] = []

    def count(self, level: int = 0) -> int:
        """Return how many nodes are stored at ``level`` (at level 0: how many leaves)."""
        if 0 <= level < len(self._levels):
            return len(self._levels[level]) // HASH_SIZE
        return 0

    def get(self, level: int, index: int) -> bytes:
        """Return the hash of one node; raise ``KeyError`` when it is not stored."""
        if index < 0 or index >= self.count(level):
            raise KeyError((level, index))
        start = index * HASH_SIZE
        return bytes(self._levels[level][start : start + HASH_SIZE])

    def get_many(self, keys: Sequence[NodeKey]) -> list[bytes]:
        """Return the hashes of ``keys`` in order; raise ``KeyError`` if any is missing."""
        return [self.get(level, index) for level, index in keys]

    def put_many(self, nodes: Sequence[Node]) -> None:
        """Append ``nodes`` atomically: validate the whole batch first, then write it.

        Refuses with ``NodeStoreError`` a node that would leave a gap in its level or that
        differs from the hash already stored at its key.
        """
        # Sorting groups the batch by level in index order; MerkleLog already emits that order,
        # for which Python's sort is a single linear pass.
        batch = sorted(nodes)
        levels = list(map(itemgetter(0), batch))
        indices = list(map(itemgetter(1), batch))
        values = list(map(itemgetter(2), batch))
        appends: list[tuple[int, list[bytes]]] = []
        start = 0
        while start < len(batch):
            level = levels[start]
            end = bisect_right(levels, level, start)
            stored = self.count(level)
            # Fast path, checked at C speed: each level continues exactly where it ends.
            if level < 0 or indices[start:end] != list(range(stored, stored + end - start)):
                self._put_checked(batch)
                return
            appends.append((level, values[start:end]))
            start = end
        if set(map(len, values)) != {HASH_SIZE}:
            self._put_checked(batch)
            return
        for level, level_values in appends:
            self._append(level, level_values)

    def _put_checked(self, batch: Sequence[Node]) -> None:
        """The general case of ``put_many``: overlaps, retries, and precise refusals."""
        pending: dict[int, list[bytes]] = {}
        level = -1
        stored = 0
        chunk: list[bytes] = []
        for node_level, index, value in batch:
            if node_level != level:
                level = node_level
                if level < 0:
                    msg = f"negative level {level}"
                    raise NodeStoreError(msg)
                stored = self.count(level)
                chunk = pending.setdefault(level, [])
            if len(value) != HASH_SIZE:
                msg = f"node ({level}, {index}) hash is {len(value)} bytes, not {HASH_SIZE}"
                raise NodeStoreError(msg)
            if index < 0 or index > stored + len(chunk):
                msg = f"node ({level}, {index}) would leave a gap after {stored + len(chunk)} nodes"
                raise NodeStoreError(msg)
            if index == stored + len(chunk):
                chunk.append(value)
                continue
            existing = self.get(level, index) if index < stored else chunk[index - stored]
            if existing != value:
                msg = f"node ({level}, {index}) is already stored with a different hash"
                raise NodeStoreError(msg)
        for node_level, values in pending.items():
            self._append(node_level, values)

    def _append(self, level: int, values: Sequence[bytes]) -> None:
        while len(self._levels) <= level:
            self._levels.append(bytearray())
        self._levels[level] += b"".join(values)


# --- the log ---------------------------------------------------------------------------------------


class MerkleLog:
    """An append-only RFC 9162 log over any ``NodeStore``.

    The object is cheap: build one per request or transaction from the committed size, e.g.
    ``MerkleLog(store, size=current_size)``. It keeps in memory only the *frontier* (the at most
    ``log2 n`` perfect subtrees whose fold is the current root), loaded lazily with one
    ``get_many``. It is not thread-safe; concurrent appenders must serialise (the database layer
    locks the log row, reads the size, appends, and stores the new size in one transaction).
    """

    def __init__(self, store: NodeStore, size: int = 0) -> None:
        """Open the log whose first ``size`` leaves are already in ``store``."""
        if size < 0:
            msg = f"log size cannot be negative: {size}"
            raise ValueError(msg)
        self._store = store
        self._size = size
        self._frontier: list[bytes] | None = [] if size == 0 else None

    @property
    def size(self) -> int:
        """Number of leaves in the log."""
        return self._size

    @property
    def store(self) -> NodeStore:
        """The node store this log reads and writes."""
        return self._store

    def append(self, data: bytes) -> int:
        """Append one leaf (its raw bytes, hashed here) and return its index."""
        return self.append_leaf_hashes([leaf_hash(data)])

    def append_leaf_hash(self, value: bytes) -> int:
        """Append one leaf given by its RFC 9162 leaf hash and return its index."""
        return self.append_leaf_hashes([value])

    def append_many(self, leaves: Iterable[bytes]) -> int:
        """Append leaves given as raw bytes in one store write; return the first new index."""
        return self.append_leaf_hashes([leaf_hash(data) for data in leaves])

    def append_leaf_hashes(self, leaf_hashes: Iterable[bytes]) -> int:
        """Append leaves given as leaf hashes with a single ``put_many``; return the first new index.

        For an empty batch the store is not called and the current size is returned. If the store
        refuses the batch, the log object is left unchanged.
        """
        values = list(leaf_hashes)
        start = self._size
        if not values:
            return start
        if set(map(len, values)) != {HASH_SIZE}:
            msg = f"every leaf hash must be {HASH_SIZE} bytes"
            raise ValueError(msg)
        frontier = list(self._load_frontier())
        end = start + len(values)
        # One list per level, so the batch comes out ordered by (level, index): the order a
        # store can write fastest, and the one MemoryNodeStore sorts in linear time.
        by_level: list[list[Node]] = [[] for _ in range(end.bit_length() + 1)]
        by_level[0] = list(zip(repeat(0), range(start, end), values, strict=False))
        sha256 = _sha256  # this loop is the append hot path: a local name and inlined node_hash
        for position, value in zip(range(start, end), values, strict=True):
            current = value
            level = 0
            remaining = position
            # Each trailing one bit of the position is a perfect subtree this leaf completes.
            while remaining & 1:
                current = sha256(b"\x01" + frontier.pop() + current).digest()
                level += 1
                remaining >>= 1
                by_level[level].append((level, remaining, current))
            frontier.append(current)
        self._store.put_many([node for nodes in by_level for node in nodes])
        self._size = end
        self._frontier = frontier
        return start

    def root(self, size: int | None = None) -> bytes:
        """Return the root hash of the tree over the first ``size`` leaves (default: all)."""
        size = self._checked_size(size)
        if size == 0:
            return EMPTY_ROOT
        if size == self._size:
            return _fold(self._load_frontier())
        return _fold(self._get_many(_perfect_subtrees(0, size)))

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        """Return the RFC 9162 inclusion proof of leaf ``index`` in the tree of ``size`` leaves.

        Hashes come leaf first, as ``verify_inclusion`` expects. Raises ``ProofRequestError`` if
        ``index`` is not below ``size`` or ``size`` exceeds the log.
        """
        size = self._checked_size(size)
        if index < 0 or index >= size:
            msg = f"leaf index {index} is outside a tree of size {size}"
            raise ProofRequestError(msg)
        return self._range_hashes(_inclusion_ranges(index, size))

    def consistency_proof(self, first: int, second: int | None = None) -> list[bytes]:
        """Return the RFC 9162 consistency proof from size ``first`` to ``second`` (default: all).

        Empty when the sizes are equal. Raises ``ProofRequestError`` for ``first == 0`` (RFC 9162
        defines no proof from the empty tree), ``first > second`` or a size beyond the log.
        """
        second = self._checked_size(second)
        if first <= 0:
            msg = f"no consistency proof exists from a tree of size {first}"
            raise ProofRequestError(msg)
        if first > second:
            msg = f"first size {first} is larger than second size {second}"
            raise ProofRequestError(msg)
        if first == second:
            return []
        return self._range_hashes(_consistency_ranges(first, second))

    def _checked_size(self, size: int | None) -> int:
        if size is None:
            return self._size
        if size < 0 or size > self._size:
            msg = f"tree size {size} is outside the log's 0..{self._size}"
            raise ProofRequestError(msg)
        return size

    def _load_frontier(self) -> list[bytes]:
        if self._frontier is None:
            self._frontier = self._get_many(_perfect_subtrees(0, self._size))
        return self._frontier

    def _get_many(self, keys: Sequence[NodeKey]) -> list[bytes]:
        values = self._store.get_many(keys)
        if len(values) != len(keys):
            msg = f"node store returned {len(values)} hashes for {len(keys)} keys"
            raise NodeStoreError(msg)
        return values

    def _range_hashes(self, ranges: Sequence[tuple[int, int]]) -> list[bytes]:
        # Read every perfect subtree the proof needs in one round trip, then fold per range.
        pieces = [_perfect_subtrees(begin, end) for begin, end in ranges]
        values = self._get_many([key for keys in pieces for key in keys])
        hashes: list[bytes] = []
        position = 0
        for keys in pieces:
            hashes.append(_fold(values[position : position + len(keys)]))
            position += len(keys)
        return hashes


# --- tree shape ------------------------------------------------------------------------------------


def _perfect_subtrees(begin: int, end: int) -> list[NodeKey]:
    """Keys of the perfect subtrees whose right fold is the tree node over leaves [begin, end).

    Valid for nodes of an RFC 9162 tree, whose ``begin`` is aligned to a power of two at least as
    large as the node, so the decomposition is the binary digits of ``end - begin``, largest first.
    """
    keys: list[NodeKey] = []
    while begin < end:
        level = (end - begin).bit_length() - 1
        assert begin & ((1 << level) - 1) == 0, "range is not a node of an RFC 9162 tree"
        keys.append((level, begin >> level))
        begin += 1 << level
    return keys


def _inclusion_ranges(index: int, size: int) -> list[tuple[int, int]]:
    """Leaf ranges of the sibling nodes on the path from leaf ``index`` to the root, leaf first.

    Walks RFC 9162's PATH(m, D[n]) top-down with absolute leaf positions.
    """
    ranges: list[tuple[int, int]] = []
    begin, end = 0, size
    while end - begin > 1:
        split = begin + _largest_power_of_two_below(end - begin)
        if index < split:
            ranges.append((split, end))
            end = split
        else:
            ranges.append((begin, split))
            begin = split
    ranges.reverse()
    return ranges


def _consistency_ranges(first: int, second: int) -> list[tuple[int, int]]:
    """Leaf ranges of the nodes in RFC 9162's PROOF(first, D[second]), in proof order.

    Walks SUBPROOF(m, D[n], b) top-down with absolute leaf positions; ``complete`` is b, true
    while the old tree is still a left-aligned prefix of the current subtree.
    """
    ranges: list[tuple[int, int]] = []
    begin, end = 0, second
    complete = True
    while first != end:
        split = begin + _largest_power_of_two_below(end - begin)
        if first <= split:
            ranges.append((split, end))
            end = split
        else:
            ranges.append((begin, split))
            begin = split
            complete = False
    if not complete:
        ranges.append((begin, end))
    ranges.reverse()
    return ranges


def _largest_power_of_two_below(count: int) -> int:
    return 1 << ((count - 1).bit_length() - 1)


def _fold(hashes: Sequence[bytes]) -> bytes:
    result = hashes[-1]
    for value in reversed(hashes[:-1]):
        result = node_hash(value, result)
    return result


def _check_length(value: bytes, what: str, error: type[ValueError]) -> None:
    if len(value) != HASH_SIZE:
        msg = f"{what} is {len(value)} bytes, not {HASH_SIZE}"
        raise error(msg)
