"""The log in the database: appends, checkpoints, the node store, and append-only enforcement."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from pregon.core import db_triggers
from pregon.core.errors import ValidationFailed
from pregon.ledger import selectors, services, tasks
from pregon.ledger.models import IssuedCosignature, Leaf, LogHead, Node, SignedCheckpoint
from pregon.ledger.services import LeafData
from pregon.ledger.store import DatabaseNodeStore
from pregon.tlog.checkpoint import (
    format_signer_key,
    open_checkpoint,
    parse_checkpoint,
    split_note,
)
from pregon.tlog.errors import NodeStoreError
from pregon.tlog.merkle import leaf_hash, node_hash, verify_consistency, verify_inclusion
from tests.ledger.conftest import NEXT_SIGNER, ORIGIN, SIGNER, data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("log_settings")]


def naive_root(hashes: Sequence[bytes]) -> bytes:
    """MTH(D[n]) of RFC 9162 section 2.1.1, written straight from the definition."""
    if not hashes:
        return hashlib.sha256(b"").digest()
    if len(hashes) == 1:
        return hashes[0]
    k = 1
    while k * 2 < len(hashes):
        k *= 2
    return node_hash(naive_root(hashes[:k]), naive_root(hashes[k:]))


def append(count: int, start: int = 0) -> list[Leaf]:
    return [
        services.leaf_append(kind="release", data=data(n), ref=f"r-{n}")
        for n in range(start, start + count)
    ]


# ---------------------------------------------------------------------------------------------
# appending


def test_leaf_append_returns_the_stored_leaf_with_its_index_and_rfc9162_hash() -> None:
    first = services.leaf_append(kind="release", data=b'{"id":"a"}', ref="ocds-1-a")
    second = services.leaf_append(kind="bid_commitment", data=b"\x00\x01", ref="bid-7")

    assert (first.index, second.index) == (0, 1)
    assert first.leaf_hash == hashlib.sha256(b'\x00{"id":"a"}').digest()
    assert second.leaf_hash == hashlib.sha256(b"\x00\x00\x01").digest()
    stored = list(Leaf.objects.order_by("index").values_list("index", "kind", "ref", "leaf_hash"))
    assert [(i, k, r, bytes(h)) for i, k, r, h in stored] == [
        (0, "release", "ocds-1-a", first.leaf_hash),
        (1, "bid_commitment", "bid-7", second.leaf_hash),
    ]
    assert LogHead.objects.get().size == 2
    assert Leaf.objects.get(index=0).created_at == first.created_at


def test_appends_one_by_one_and_in_batches_give_a_gapless_log_with_the_naive_root() -> None:
    append(13)
    services.leaves_append(
        entries=[LeafData(kind="opening", data=data(n), ref=f"o-{n}") for n in range(13, 40)]
    )
    append(3, start=40)

    hashes = [leaf_hash(data(n)) for n in range(43)]
    assert list(Leaf.objects.values_list("index", flat=True)) == list(range(43))
    tree = selectors.log_tree()
    assert tree.size == 43
    for size in range(1, 44):
        assert tree.root(size) == naive_root(hashes[:size])
    for index in (0, 12, 13, 39, 42):
        verify_inclusion(
            leaf_hash=hashes[index],
            index=index,
            size=43,
            proof=tree.inclusion_proof(index, 43),
            root=naive_root(hashes),
        )
    verify_consistency(
        first=13,
        second=43,
        first_root=naive_root(hashes[:13]),
        second_root=naive_root(hashes),
        proof=tree.consistency_proof(13, 43),
    )


def test_an_append_costs_the_same_few_queries_whatever_the_size(
    django_assert_num_queries: Any,
) -> None:
    services.leaves_append(
        entries=[LeafData(kind="release", data=data(n), ref=f"r-{n}") for n in range(1000)]
    )
    # savepoint, lock the head, read the frontier, insert nodes, insert the leaf, grow the
    # head, release the savepoint.
    with django_assert_num_queries(7):
        services.leaf_append(kind="release", data=b"one more", ref="r-1000")
    with django_assert_num_queries(7):
        services.leaves_append(
            entries=[LeafData(kind="release", data=data(n), ref="r") for n in range(2000, 2100)]
        )
    assert selectors.log_size() == 1101


def test_an_unknown_kind_or_an_empty_reference_is_refused_and_nothing_is_logged(
    django_capture_on_commit_callbacks: Any,
) -> None:
    append(2)
    with django_capture_on_commit_callbacks() as callbacks:
        with pytest.raises(ValidationFailed) as refused:
            services.leaf_append(kind="gossip", data=b"x", ref="r")
        assert refused.value.code == "unknown_leaf_kind"
        with pytest.raises(ValidationFailed) as refused:
            services.leaves_append(
                entries=[
                    LeafData(kind="release", data=b"x", ref="fine"),
                    LeafData(kind="release", data=b"y", ref=""),
                ]
            )
        assert refused.value.code == "invalid_leaf_ref"
    assert callbacks == []
    assert Leaf.objects.count() == 2
    assert LogHead.objects.get().size == 2
    assert Node.objects.count() == 3


def test_a_rolled_back_transaction_leaves_no_leaf_node_or_checkpoint(
    django_capture_on_commit_callbacks: Any,
) -> None:
    append(3)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        append(2, start=3)
        raise RuntimeError
    assert LogHead.objects.get().size == 3
    assert Leaf.objects.count() == 3
    assert Node.objects.count() == 4  # three leaves and the subtree of the first two
    assert SignedCheckpoint.objects.count() == 0


def test_a_missing_head_row_is_rebuilt_from_the_leaves() -> None:
    append(5)
    # As on a database restored without the head row (the schema change is rolled back).
    with db_triggers.lifted(connection), connection.cursor() as cursor:
        cursor.execute("DELETE FROM ledger_loghead")
    leaf = services.leaf_append(kind="release", data=data(5), ref="r-5")
    assert leaf.index == 5
    assert selectors.log_tree().root() == naive_root([leaf_hash(data(n)) for n in range(6)])


# ---------------------------------------------------------------------------------------------
# checkpoints


def test_one_checkpoint_is_signed_per_committed_transaction_not_per_leaf(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        append(3)
    assert len(callbacks) == 1
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        # Inside the test's transaction, so one commit for both appends.
        append(2, start=3)
    assert len(callbacks) == 1
    checkpoints = list(SignedCheckpoint.objects.order_by("id"))
    assert [c.size for c in checkpoints] == [3, 5]

    hashes = [leaf_hash(data(n)) for n in range(5)]
    for checkpoint in checkpoints:
        opened = open_checkpoint(checkpoint.note, origin=ORIGIN, verifiers=[SIGNER.verifier])
        assert opened.checkpoint.size == checkpoint.size
        assert opened.checkpoint.root_hash == naive_root(hashes[: checkpoint.size])
        assert bytes(checkpoint.root_hash) == naive_root(hashes[: checkpoint.size])
    assert checkpoints[0].note.startswith(f"{ORIGIN}\n3\n")


def test_signing_again_at_the_same_size_does_nothing_unless_the_keys_changed(
    log_settings: Any,
) -> None:
    append(4)
    first = services.checkpoint_issue()
    assert first is not None and first.size == 4
    assert services.checkpoint_issue() is None

    # Rotation: the new key joins; the same size is signed again by both.
    log_settings.PREGON_LOG_SIGNER_KEY = (
        f"{format_signer_key(NEXT_SIGNER)}\n{format_signer_key(SIGNER)}"
    )
    both = services.checkpoint_issue()
    assert both is not None and both.size == 4
    _text, signatures = split_note(both.note)
    assert [s.key_id for s in signatures] == [NEXT_SIGNER.key_id, SIGNER.key_id]
    for key in (SIGNER, NEXT_SIGNER):
        open_checkpoint(both.note, origin=ORIGIN, verifiers=[key.verifier])
    assert services.checkpoint_issue() is None
    forced = services.checkpoint_issue(force=True)
    assert forced is not None
    assert SignedCheckpoint.objects.count() == 3


def test_the_empty_log_signs_the_empty_tree() -> None:
    signed = services.checkpoint_issue()
    assert signed is not None
    body = parse_checkpoint(split_note(signed.note)[0])
    assert (body.size, body.root_hash) == (0, hashlib.sha256(b"").digest())


# ---------------------------------------------------------------------------------------------
# the node store


def test_the_node_store_reads_many_nodes_in_one_query_in_the_order_asked(
    django_assert_num_queries: Any,
) -> None:
    append(8)
    store = DatabaseNodeStore()
    hashes = [leaf_hash(data(n)) for n in range(8)]
    with django_assert_num_queries(1):
        values = store.get_many([(3, 0), (0, 7), (1, 2), (0, 7)])
    assert values == [naive_root(hashes), hashes[7], naive_root(hashes[4:6]), hashes[7]]
    assert store.get(2, 1) == naive_root(hashes[4:8])
    with pytest.raises(KeyError):
        store.get(3, 1)
    with pytest.raises(KeyError):
        store.get_many([(0, 1), (0, 8)])
    assert store.get_many([]) == []


def test_the_node_store_refuses_to_write_a_node_twice_or_a_bad_hash() -> None:
    append(2)
    store = DatabaseNodeStore()
    with pytest.raises(NodeStoreError), transaction.atomic():
        store.put_many([(0, 2, b"\x01" * 32), (0, 1, b"\x02" * 32)])
    with pytest.raises(NodeStoreError):
        store.put_many([(0, 5, b"short")])
    assert Node.objects.count() == 3
    assert store.get(0, 1) == leaf_hash(data(1))


# ---------------------------------------------------------------------------------------------
# append-only


@pytest.mark.parametrize("model", [Leaf, Node, SignedCheckpoint])
def test_logged_rows_cannot_be_changed_or_removed_through_the_application(model: Any) -> None:
    append(2)
    services.checkpoint_issue()
    row = model.objects.first()
    with pytest.raises(TypeError, match="append-only"):
        row.save()
    with pytest.raises(TypeError, match="append-only"):
        row.delete()
    with pytest.raises(TypeError, match="append-only"):
        model.objects.all().delete()
    with pytest.raises(TypeError, match="append-only"):
        model.objects.update()
    assert IssuedCosignature.objects.count() == 0


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE ledger_leaf SET ref = 'rewritten' WHERE \"index\" = 0",
        "UPDATE ledger_node SET hash = hash WHERE level = 0",
        "DELETE FROM ledger_leaf",
        "DELETE FROM ledger_node WHERE level = 1",
        "UPDATE ledger_signedcheckpoint SET size = 1",
        "DELETE FROM ledger_signedcheckpoint",
        "UPDATE ledger_loghead SET size = 1",
        "DELETE FROM ledger_loghead",
    ],
)
def test_the_database_itself_refuses_to_change_logged_rows(statement: str) -> None:
    append(2)
    services.checkpoint_issue()
    before = (
        list(Leaf.objects.values_list("index", "ref", "leaf_hash")),
        Node.objects.count(),
        list(SignedCheckpoint.objects.values_list("size", "note")),
    )
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    after = (
        list(Leaf.objects.values_list("index", "ref", "leaf_hash")),
        Node.objects.count(),
        list(SignedCheckpoint.objects.values_list("size", "note")),
    )
    assert after == before
    assert LogHead.objects.get().size == 2


def test_the_log_head_may_grow_through_the_database() -> None:
    append(2)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE ledger_loghead SET size = size WHERE id = 1")
    assert LogHead.objects.get().size == 2


def test_the_tasks_are_thin_wrappers_over_the_services() -> None:
    append(3)
    assert tasks.issue_checkpoint.call() == 3
    assert tasks.issue_checkpoint.call() is None
    assert tasks.poll_witnessed_logs.call() == []
    assert SignedCheckpoint.objects.count() == 1
