"""Bids racing the deadline, on PostgreSQL: each submission in its own thread and connection,
as server workers would send them. Every acknowledged bid is stored and was received before
the deadline; every other one was refused for the deadline; the same idempotency key sent
twice at once makes one bid.

SQLite serialises every writer on its database lock (IMMEDIATE transactions), so the race
this checks is PostgreSQL's row locks and clock.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from pregon.bids import services
from pregon.bids.declaration import DECLARATION_VERSION
from pregon.bids.models import Bid
from pregon.bids.services import BidOutcome
from pregon.core import clock
from pregon.core.actor import Actor
from pregon.core.errors import DomainError
from pregon.sealing import SealedBid
from pregon.tenders.models import Tender
from tests import factories
from tests.bids.conftest import seal, supplier_actor_of

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the race is PostgreSQL's; SQLite serialises"
    ),
]


def _in_threads(*work: Callable[[], Any]) -> list[Any]:
    """Run each callable in its own thread and connection; their results or errors, in order."""
    results: list[Any] = [None] * len(work)

    def run(position: int, job: Callable[[], Any]) -> None:
        try:
            results[position] = job()
        except DomainError as error:
            results[position] = error
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(position, job)) for position, job in enumerate(work)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a submission never finished"
    return results


def _submission(
    actor: Actor, tender: Tender, sealed: SealedBid, key: str, *, start: Any, delay: float
) -> Callable[[], BidOutcome]:
    def job() -> BidOutcome:
        start.wait()
        time.sleep(delay)
        return services.bid_submit(
            actor=actor,
            tender=tender,
            envelope=sealed.envelope,
            documents=[],
            idempotency_key=key,
            declaration=DECLARATION_VERSION,
        )

    return job


def test_bids_racing_the_deadline_are_stored_if_and_only_if_acknowledged() -> None:
    tender = factories.TenderOpenFactory()
    bidders = [(supplier_actor_of(), seal(tender, amount=f"{100 + n}.00")) for n in range(10)]
    deadline = clock.db_now() + dt.timedelta(seconds=3)
    Tender.objects.filter(pk=tender.pk).update(
        enquiry_end=deadline - dt.timedelta(days=1), submission_deadline=deadline
    )
    start = threading.Barrier(len(bidders), timeout=30)

    results = _in_threads(
        *(
            _submission(actor, tender, sealed, f"k{n}", start=start, delay=n * 0.6)
            for n, (actor, sealed) in enumerate(bidders)
        )
    )

    acknowledged = {r.bid.commitment for r in results if isinstance(r, BidOutcome)}
    refusals = [r for r in results if not isinstance(r, BidOutcome)]
    stored = dict(Bid.objects.values_list("commitment", "received_at"))
    assert acknowledged  # the first ones came seconds before the deadline
    assert refusals  # the last ones seconds after it
    assert {error.code for error in refusals} == {"deadline_passed"}
    assert set(stored) == acknowledged  # none lost, none late, none twice
    assert all(received < deadline for received in stored.values())
    assert Bid.objects.count() == len(acknowledged)


def test_the_same_key_sent_twice_at_once_makes_one_bid() -> None:
    tender = factories.TenderOpenFactory()
    actor = supplier_actor_of()
    sealed = seal(tender)
    start = threading.Barrier(3, timeout=30)

    results = _in_threads(
        *(_submission(actor, tender, sealed, "una-vez", start=start, delay=0) for _ in range(3))
    )

    assert all(isinstance(result, BidOutcome) for result in results), results
    assert sorted(result.created for result in results) == [False, False, True]
    assert len({result.bid.pk for result in results}) == 1
    assert Bid.objects.count() == 1
