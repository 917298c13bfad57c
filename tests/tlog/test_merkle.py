"""The RFC 9162 Merkle tree: known answers, proofs against the RFC's recursive definitions,
tampering, edge cases, and the O(log n) storage contract."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pregon.tlog.errors import InvalidProofError, NodeStoreError, ProofRequestError
from pregon.tlog.merkle import (
    EMPTY_ROOT,
    MemoryNodeStore,
    MerkleLog,
    Node,
    NodeKey,
    leaf_hash,
    node_hash,
    root_from_inclusion_proof,
    root_from_leaf_hashes,
    verify_consistency,
    verify_inclusion,
)

# --- a naive reference, written straight from RFC 9162 sections 2.1.1, 2.1.3.1 and 2.1.4.1 --------


def ref_root(hashes: Sequence[bytes]) -> bytes:
    """MTH(D[n]) over leaf hashes."""
    if not hashes:
        return hashlib.sha256(b"").digest()
    if len(hashes) == 1:
        return hashes[0]
    k = 1
    while k * 2 < len(hashes):
        k *= 2
    return node_hash(ref_root(hashes[:k]), ref_root(hashes[k:]))


def ref_path(m: int, hashes: Sequence[bytes]) -> list[bytes]:
    """PATH(m, D[n])."""
    if len(hashes) == 1:
        return []
    k = 1
    while k * 2 < len(hashes):
        k *= 2
    if m < k:
        return [*ref_path(m, hashes[:k]), ref_root(hashes[k:])]
    return [*ref_path(m - k, hashes[k:]), ref_root(hashes[:k])]


def ref_subproof(m: int, hashes: Sequence[bytes], complete: bool) -> list[bytes]:
    """SUBPROOF(m, D[n], b)."""
    n = len(hashes)
    if m == n:
        return [] if complete else [ref_root(hashes)]
    k = 1
    while k * 2 < n:
        k *= 2
    if m <= k:
        return [*ref_subproof(m, hashes[:k], complete), ref_root(hashes[k:])]
    return [*ref_subproof(m - k, hashes[k:], False), ref_root(hashes[:k])]


# --- shared fixtures -------------------------------------------------------------------------------

DATA = [f"release {i}".encode() for i in range(5000)]
HASHES = [leaf_hash(d) for d in DATA]


@cache
def big_log() -> MerkleLog:
    log = MerkleLog(MemoryNodeStore())
    log.append_many(DATA)
    return log


@cache
def ref_root_of(size: int) -> bytes:
    return ref_root(HASHES[:size])


def flip(value: bytes, bit: int = 0) -> bytes:
    return bytes([value[0] ^ (1 << bit)]) + value[1:]


class CountingStore(MemoryNodeStore):
    """Records every call, to hold the log to one round trip of O(log n) keys."""

    def __init__(self) -> None:
        super().__init__()
        self.get_calls: list[int] = []
        self.put_calls: list[int] = []

    def get(self, level: int, index: int) -> bytes:
        self.get_calls.append(1)
        return super().get(level, index)

    def get_many(self, keys: Sequence[NodeKey]) -> list[bytes]:
        self.get_calls.append(len(keys))
        return [MemoryNodeStore.get(self, level, index) for level, index in keys]

    def put_many(self, nodes: Sequence[Node]) -> None:
        self.put_calls.append(len(nodes))
        super().put_many(nodes)


def h(hex_digest: str) -> bytes:
    return bytes.fromhex(hex_digest)


# --- known answers ---------------------------------------------------------------------------------


def test_empty_tree_root_is_sha256_of_the_empty_string() -> None:
    expected = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert EMPTY_ROOT.hex() == expected
    assert MerkleLog(MemoryNodeStore()).root() == EMPTY_ROOT
    assert root_from_leaf_hashes([]) == EMPTY_ROOT


def test_hand_computed_trees_of_one_two_three_and_five_leaves() -> None:
    def sha(data: bytes) -> bytes:
        return hashlib.sha256(data).digest()

    a, b, c, d, e = (sha(b"\x00" + x) for x in (b"a", b"b", b"c", b"d", b"e"))
    log = MerkleLog(MemoryNodeStore())
    log.append_many([b"a", b"b", b"c", b"d", b"e"])

    ab = sha(b"\x01" + a + b)
    cd = sha(b"\x01" + c + d)
    assert log.root(1) == a
    assert log.root(2) == ab
    assert log.root(3) == sha(b"\x01" + ab + c)
    assert log.root(5) == sha(b"\x01" + sha(b"\x01" + ab + cd) + e)
    assert log.inclusion_proof(2, 3) == [ab]
    assert log.inclusion_proof(4, 5) == [sha(b"\x01" + ab + cd)]
    assert log.inclusion_proof(0, 5) == [b, cd, e]
    assert log.consistency_proof(3, 5) == [c, d, ab, e]


# The 8-leaf tree used across Certificate Transparency implementations' test suites.
CT_LEAVES = [bytes.fromhex(x) for x in ["", "00", "10", "2021", "3031", "40414243",
             "5051525354555657", "606162636465666768696a6b6c6d6e6f"]]  # fmt: skip
CT_ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
H_96A2 = "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"
H_5F08 = "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"
H_6B47 = "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"
H_BC1A = "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"
H_CA85 = "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"
H_0EBC = "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"


@pytest.fixture
def ct_log() -> MerkleLog:
    log = MerkleLog(MemoryNodeStore())
    log.append_many(CT_LEAVES)
    return log


def test_ct_reference_roots(ct_log: MerkleLog) -> None:
    assert [ct_log.root(size).hex() for size in range(1, 9)] == CT_ROOTS


@pytest.mark.parametrize(
    ("index", "size", "path"),
    [
        (0, 1, []),
        (0, 8, [H_96A2, H_5F08, H_6B47]),
        (5, 8, [H_BC1A, H_CA85, CT_ROOTS[3]]),
        (2, 3, [CT_ROOTS[1]]),
        (1, 5, [CT_ROOTS[0], H_5F08, H_BC1A]),
    ],
)
def test_ct_reference_inclusion_proofs(
    ct_log: MerkleLog, index: int, size: int, path: list[str]
) -> None:
    assert [x.hex() for x in ct_log.inclusion_proof(index, size)] == path
    verify_inclusion(
        leaf_hash=leaf_hash(CT_LEAVES[index]),
        index=index,
        size=size,
        proof=[h(x) for x in path],
        root=h(CT_ROOTS[size - 1]),
    )


@pytest.mark.parametrize(
    ("first", "second", "path"),
    [
        (1, 1, []),
        (1, 8, [H_96A2, H_5F08, H_6B47]),
        (6, 8, [H_0EBC, H_CA85, CT_ROOTS[3]]),
        (2, 5, [H_5F08, H_BC1A]),
    ],
)
def test_ct_reference_consistency_proofs(
    ct_log: MerkleLog, first: int, second: int, path: list[str]
) -> None:
    assert [x.hex() for x in ct_log.consistency_proof(first, second)] == path
    verify_consistency(
        first=first,
        second=second,
        first_root=h(CT_ROOTS[first - 1]),
        second_root=h(CT_ROOTS[second - 1]),
        proof=[h(x) for x in path],
    )


# --- every size and index up to a bound ------------------------------------------------------------

INCLUSION_BOUND = 64
CONSISTENCY_BOUND = 64


def inclusion_fails(leaf: bytes, index: int, size: int, proof: list[bytes], root: bytes) -> bool:
    try:
        verify_inclusion(leaf_hash=leaf, index=index, size=size, proof=proof, root=root)
    except InvalidProofError:
        return True
    return False


def test_inclusion_proofs_match_the_rfc_and_fail_for_every_alteration() -> None:
    log = big_log()
    checked = 0
    for size in range(1, INCLUSION_BOUND + 1):
        root = ref_root_of(size)
        assert log.root(size) == root
        for index in range(size):
            proof = log.inclusion_proof(index, size)
            leaf = HASHES[index]
            assert proof == ref_path(index, HASHES[:size])
            verify_inclusion(leaf_hash=leaf, index=index, size=size, proof=proof, root=root)

            # A different size is checked against that size's own root: the verifier takes size
            # and root together from one signed checkpoint (see test_size_is_bound_by_the_root).
            alterations: list[tuple[bytes, int, int, list[bytes], bytes]] = [
                (flip(leaf), index, size, proof, root),
                (leaf, index, size, proof, flip(root)),
                (HASHES[index + 1], index, size, proof, root),
                (leaf, index + 1, size, proof, root),
                (leaf, index - 1, size, proof, root),
                (leaf, index ^ 2, size, proof, root),
                (leaf, index, size + 1, proof, ref_root_of(size + 1)),
                (leaf, index, size - 1, proof, ref_root_of(size - 1)),
                (leaf, index, size * 2, proof, ref_root_of(size * 2)),
                (leaf, index, size // 2, proof, ref_root_of(size // 2)),
                (leaf, index, size, [*proof, leaf], root),
                (leaf, index, size, [leaf, *proof], root),
            ]
            for position in range(len(proof)):
                for bit in (0, 7):
                    altered = list(proof)
                    altered[position] = flip(altered[position], bit)
                    alterations.append((leaf, index, size, altered, root))
                alterations.append(
                    (leaf, index, size, proof[:position] + proof[position + 1 :], root)
                )
            for args in alterations:
                assert inclusion_fails(*args), (index, size, args[1:3])
                checked += 1
    assert checked > 20_000


def consistency_fails(
    first: int, second: int, first_root: bytes, second_root: bytes, proof: list[bytes]
) -> bool:
    try:
        verify_consistency(
            first=first, second=second, first_root=first_root, second_root=second_root, proof=proof
        )
    except InvalidProofError:
        return True
    return False


def test_consistency_proofs_for_all_pairs_match_the_rfc_and_fail_for_every_alteration() -> None:
    log = big_log()
    for second in range(1, CONSISTENCY_BOUND + 1):
        second_root = ref_root_of(second)
        for first in range(1, second + 1):
            first_root = ref_root_of(first)
            proof = log.consistency_proof(first, second)
            expected = [] if first == second else ref_subproof(first, HASHES[:second], True)
            assert proof == expected
            verify_consistency(
                first=first,
                second=second,
                first_root=first_root,
                second_root=second_root,
                proof=proof,
            )
            alterations = [
                (first, second, flip(first_root), second_root, proof),
                (first, second, first_root, flip(second_root), proof),
                (first + 1, second, ref_root_of(first + 1), second_root, proof),
                (first - 1, second, ref_root_of(first - 1), second_root, proof),
                (first, second + 1, first_root, ref_root_of(second + 1), proof),
                (first, second - 1, first_root, ref_root_of(second - 1), proof),
                (first, second * 2, first_root, ref_root_of(second * 2), proof),
                (first, second, first_root, second_root, [*proof, first_root]),
                (first, second, first_root, second_root, [second_root, *proof]),
            ]
            if first != second:
                alterations.append((first, second, second_root, first_root, proof))
            for position in range(len(proof)):
                altered = list(proof)
                altered[position] = flip(altered[position])
                alterations.append((first, second, first_root, second_root, altered))
                shorter = proof[:position] + proof[position + 1 :]
                alterations.append((first, second, first_root, second_root, shorter))
            for args in alterations:
                assert consistency_fails(*args), (first, second, args[:2])


# --- random sizes, beyond the exhaustive bound -----------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(data=st.data(), size=st.integers(1, len(DATA)))
def test_random_inclusion_proofs_match_the_rfc(data: st.DataObject, size: int) -> None:
    index = data.draw(st.integers(0, size - 1))
    proof = big_log().inclusion_proof(index, size)
    assert proof == ref_path(index, HASHES[:size])
    root = ref_root_of(size)
    verify_inclusion(leaf_hash=HASHES[index], index=index, size=size, proof=proof, root=root)
    position = data.draw(st.integers(0, max(len(proof) - 1, 0)))
    if proof:
        proof[position] = flip(proof[position], data.draw(st.integers(0, 7)))
        assert inclusion_fails(HASHES[index], index, size, proof, root)


@settings(max_examples=40, deadline=None)
@given(data=st.data(), second=st.integers(2, len(DATA)))
def test_random_consistency_proofs_match_the_rfc(data: st.DataObject, second: int) -> None:
    first = data.draw(st.integers(1, second - 1))
    proof = big_log().consistency_proof(first, second)
    assert proof == ref_subproof(first, HASHES[:second], True)
    verify_consistency(
        first=first,
        second=second,
        first_root=ref_root_of(first),
        second_root=ref_root_of(second),
        proof=proof,
    )


@settings(max_examples=30, deadline=None)
@given(batches=st.lists(st.integers(0, 300), min_size=1, max_size=12))
def test_roots_from_the_store_match_a_naive_recomputation(batches: list[int]) -> None:
    store = MemoryNodeStore()
    position = 0
    for count in batches:
        # Reopen from the store each time, as the database layer does per transaction.
        log = MerkleLog(store, size=position)
        assert log.append_many(DATA[position : position + count]) == position
        position += count
        assert log.size == position
        assert log.root() == ref_root_of(position)
        assert root_from_leaf_hashes(HASHES[:position]) == ref_root_of(position)
    reopened = MerkleLog(store, size=position)
    for size in {0, position // 3, position // 2, position}:
        assert reopened.root(size) == ref_root_of(size)


def test_batched_and_one_by_one_appends_store_the_same_nodes() -> None:
    one_by_one, batched = MemoryNodeStore(), MemoryNodeStore()
    single = MerkleLog(one_by_one)
    for data in DATA[:777]:
        single.append(data)
    MerkleLog(batched).append_leaf_hashes(HASHES[:777])
    for level in range(11):
        assert one_by_one.count(level) == batched.count(level) == 777 >> level
        for index in range(777 >> level):
            assert one_by_one.get(level, index) == batched.get(level, index)


# --- O(log n): round trips and keys ----------------------------------------------------------------


def test_proofs_and_roots_read_o_log_n_nodes_in_one_round_trip() -> None:
    store = CountingStore()
    size = 2**16 + 12_345
    MerkleLog(store).append_leaf_hashes(leaf_hash(i.to_bytes(4, "big")) for i in range(size))
    assert store.put_calls == [size + size - size.bit_count()]  # leaves + completed subtrees
    log = MerkleLog(store, size=size)
    bound = 2 * size.bit_length()
    for index in (0, 1, 4_242, 65_535, 65_536, size - 1):
        store.get_calls.clear()
        log.inclusion_proof(index, size)
        assert len(store.get_calls) == 1
        assert store.get_calls[0] <= bound
    for first in (1, 3, 1_000, 65_536, size - 1):
        store.get_calls.clear()
        log.consistency_proof(first, size)
        assert len(store.get_calls) == 1
        assert store.get_calls[0] <= bound
    store.get_calls.clear()
    log.root(54_321)
    assert store.get_calls == [(54_321).bit_count()]


def test_appending_reads_the_frontier_once_and_writes_one_batch() -> None:
    store = CountingStore()
    MerkleLog(store).append_many(DATA[:1000])
    store.get_calls.clear()
    store.put_calls.clear()
    log = MerkleLog(store, size=1000)
    log.append_many(DATA[1000:1500])
    log.append(DATA[1500])
    log.append(DATA[1501])
    assert store.get_calls == [(1000).bit_count()]
    # The batch holds its 500 leaves plus every subtree that ends inside 1000..1500.
    assert store.put_calls[0] == 500 + sum(
        ((1500 >> level) - (1000 >> level)) for level in range(1, 11)
    )
    assert store.put_calls[1:] == [1, 2]  # leaf 1500 completes nothing, leaf 1501 one pair
    assert log.root() == ref_root_of(1502)


# --- edge cases ------------------------------------------------------------------------------------


def test_consistency_from_size_zero_is_rejected() -> None:
    log = big_log()
    with pytest.raises(ProofRequestError):
        log.consistency_proof(0, 10)
    with pytest.raises(InvalidProofError):
        verify_consistency(
            first=0, second=0, first_root=EMPTY_ROOT, second_root=EMPTY_ROOT, proof=[]
        )
    with pytest.raises(InvalidProofError):
        verify_consistency(
            first=0, second=5, first_root=EMPTY_ROOT, second_root=ref_root_of(5), proof=[]
        )


def test_equal_sizes_need_an_empty_proof_and_equal_roots() -> None:
    root = ref_root_of(7)
    assert big_log().consistency_proof(7, 7) == []
    verify_consistency(first=7, second=7, first_root=root, second_root=root, proof=[])
    with pytest.raises(InvalidProofError, match="must be empty"):
        verify_consistency(first=7, second=7, first_root=root, second_root=root, proof=[root])
    with pytest.raises(InvalidProofError, match="different roots"):
        verify_consistency(first=7, second=7, first_root=root, second_root=flip(root), proof=[])


def test_first_larger_than_second_is_rejected() -> None:
    with pytest.raises(ProofRequestError):
        big_log().consistency_proof(9, 8)
    with pytest.raises(InvalidProofError):
        verify_consistency(
            first=9, second=8, first_root=ref_root_of(9), second_root=ref_root_of(8), proof=[]
        )


def test_index_at_or_beyond_size_is_rejected() -> None:
    log = big_log()
    with pytest.raises(ProofRequestError):
        log.inclusion_proof(10, 10)
    with pytest.raises(ProofRequestError):
        log.inclusion_proof(-1, 10)
    with pytest.raises(ProofRequestError):
        log.inclusion_proof(0, len(DATA) + 1)
    with pytest.raises(ProofRequestError):
        log.root(len(DATA) + 1)
    with pytest.raises(InvalidProofError):
        root_from_inclusion_proof(leaf_hash=HASHES[0], index=0, size=0, proof=[])
    with pytest.raises(InvalidProofError):
        root_from_inclusion_proof(leaf_hash=HASHES[3], index=3, size=3, proof=[HASHES[0]])


def test_hashes_of_the_wrong_length_are_rejected() -> None:
    proof = big_log().inclusion_proof(3, 10)
    root = ref_root_of(10)
    with pytest.raises(InvalidProofError, match="bytes"):
        verify_inclusion(leaf_hash=HASHES[3][:31], index=3, size=10, proof=proof, root=root)
    with pytest.raises(InvalidProofError, match="bytes"):
        verify_inclusion(
            leaf_hash=HASHES[3], index=3, size=10, proof=[proof[0] + b"\x00", *proof[1:]], root=root
        )
    with pytest.raises(InvalidProofError, match="bytes"):
        verify_consistency(first=3, second=10, first_root=b"", second_root=root, proof=[])
    with pytest.raises(ValueError, match="bytes"):
        MerkleLog(MemoryNodeStore()).append_leaf_hash(b"short")


def test_size_is_bound_by_the_root_not_by_the_path() -> None:
    # Leaf 0's path in a 3-leaf tree, [h1, h2], has the shape of its path in a 4-leaf tree, so it
    # recomputes root(3) under either size. That is RFC 9162 behaviour, and harmless: verifiers
    # take size and root together from one signed checkpoint, and root(4) differs from root(3).
    proof = big_log().inclusion_proof(0, 3)
    verify_inclusion(leaf_hash=HASHES[0], index=0, size=4, proof=proof, root=ref_root_of(3))
    assert inclusion_fails(HASHES[0], 0, 4, proof, ref_root_of(4))


def test_a_single_leaf_tree_has_an_empty_path() -> None:
    verify_inclusion(leaf_hash=HASHES[0], index=0, size=1, proof=[], root=HASHES[0])
    assert inclusion_fails(HASHES[0], 0, 1, [HASHES[1]], HASHES[0])


# --- the node store --------------------------------------------------------------------------------


def test_memory_store_refuses_gaps_and_rewrites_but_accepts_retries() -> None:
    store = MemoryNodeStore()
    a, b = HASHES[0], HASHES[1]
    store.put_many([(0, 0, a), (0, 1, b)])
    store.put_many([(0, 1, b)])  # a retried write of the same hash is harmless
    with pytest.raises(NodeStoreError, match="different hash"):
        store.put_many([(0, 1, a)])
    with pytest.raises(NodeStoreError, match="gap"):
        store.put_many([(0, 3, a)])
    with pytest.raises(NodeStoreError, match="bytes"):
        store.put_many([(0, 2, b"x")])
    # A refused batch writes nothing, not even its valid first half.
    with pytest.raises(NodeStoreError):
        store.put_many([(0, 2, a), (1, 1, b)])
    assert store.count(0) == 2
    assert store.count(1) == 0
    with pytest.raises(KeyError):
        store.get(0, 2)
    with pytest.raises(KeyError):
        store.get(5, 0)
    # Order inside a batch does not matter.
    store.put_many([(1, 0, b), (0, 3, b), (0, 2, a)])
    assert store.get_many([(0, 2), (0, 3), (1, 0)]) == [a, b, b]


def test_a_refused_batch_leaves_the_log_unchanged() -> None:
    class RefusingStore(MemoryNodeStore):
        def put_many(self, nodes: Sequence[Node]) -> None:
            raise NodeStoreError("disk full")

    store = RefusingStore()
    MemoryNodeStore.put_many(store, [(0, 0, HASHES[0])])
    log = MerkleLog(store, size=1)
    with pytest.raises(NodeStoreError):
        log.append_many(DATA[1:5])
    assert log.size == 1
    assert log.root() == HASHES[0]


def test_negative_size_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        MerkleLog(MemoryNodeStore(), size=-1)
