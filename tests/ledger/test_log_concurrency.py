"""Concurrent appends on PostgreSQL: threads with their own connections and transactions.

SQLite serialises writers by its database lock (IMMEDIATE transactions), so the race only
exists where appenders really run in parallel: PostgreSQL, where the log head's row lock must
keep the indices gapless and every checkpoint's root right.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, transaction

from pregon.ledger import selectors, services
from pregon.ledger.models import Leaf, SignedCheckpoint
from pregon.tlog.checkpoint import open_checkpoint
from pregon.tlog.merkle import leaf_hash
from tests.ledger.conftest import ORIGIN, SIGNER
from tests.ledger.test_log_services import naive_root

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("log_settings")]

THREADS = 8
APPENDS = 12


def test_concurrent_appends_are_gapless_and_every_checkpoint_has_the_naive_root() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("appenders run in parallel only on PostgreSQL")
    start = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def appender(worker: int) -> None:
        try:
            start.wait()
            for n in range(APPENDS):
                if n % 3 == 2:
                    # Some transactions append several leaves among other work.
                    with transaction.atomic():
                        services.leaf_append(kind="release", data=b"%d-%d-a" % (worker, n), ref="a")
                        services.leaf_append(kind="award", data=b"%d-%d-b" % (worker, n), ref="b")
                else:
                    services.leaf_append(kind="release", data=b"%d-%d" % (worker, n), ref="c")
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=appender, args=(w,)) for w in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []

    expected = THREADS * (APPENDS + APPENDS // 3)
    leaves = list(Leaf.objects.order_by("index").values_list("index", "leaf_hash"))
    assert [index for index, _hash in leaves] == list(range(expected))
    hashes = [bytes(value) for _index, value in leaves]
    assert sorted(hashes) == sorted(
        leaf_hash(data)
        for worker in range(THREADS)
        for n in range(APPENDS)
        for data in (
            [b"%d-%d-a" % (worker, n), b"%d-%d-b" % (worker, n)]
            if n % 3 == 2
            else [b"%d-%d" % (worker, n)]
        )
    )
    assert selectors.log_size() == expected
    assert selectors.log_tree().root() == naive_root(hashes)

    # One checkpoint per commit at most, each for the size committed when it was signed.
    sizes: list[Any] = []
    for checkpoint in SignedCheckpoint.objects.order_by("id"):
        opened = open_checkpoint(checkpoint.note, origin=ORIGIN, verifiers=[SIGNER.verifier])
        assert opened.checkpoint.root_hash == naive_root(hashes[: checkpoint.size])
        sizes.append(checkpoint.size)
    assert sizes == sorted(set(sizes))
    assert sizes[-1] == expected
    assert len(sizes) <= THREADS * (APPENDS - APPENDS // 3)
