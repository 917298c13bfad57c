"""What the database itself refuses: the invariants of sealed bids as constraints, and the
triggers that keep what was sealed as it was sealed, whoever connects."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction

from pregon.bids.choices import BidStatus
from pregon.bids.models import Bid, BidDocument, Opening, rfc3339
from pregon.core.actor import Actor
from pregon.tenders.models import Tender
from tests.bids.conftest import submit

pytestmark = pytest.mark.django_db


def _refused_sql(statement: str, params: list[Any]) -> str:
    with pytest.raises(IntegrityError) as info, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)
    return str(info.value)


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("envelope", b"{}"),
        ("commitment", "0" * 64),
        ("received_at", "2020-01-01 00:00:00"),
        ("receipt", "forged"),
        ("leaf_index", 999),
        ("idempotency_key", "other"),
    ],
)
def test_the_sealed_columns_of_a_bid_never_change(
    supplier_actor: Actor, tender: Tender, column: str, value: Any
) -> None:
    bid = submit(supplier_actor, tender).bid

    message = _refused_sql(
        f'UPDATE bids_bid SET "{column}" = %s WHERE id = %s', [value, bid.pk.hex]
    )

    assert "a sealed bid never changes: UPDATE on bids_bid refused" in message
    fresh = Bid.objects.get(pk=bid.pk)
    assert (bytes(fresh.envelope), fresh.commitment, fresh.receipt) == (
        bytes(bid.envelope),
        bid.commitment,
        bid.receipt,
    )


def test_a_bid_is_never_deleted_and_never_comes_back_to_submitted(
    supplier_actor: Actor, tender: Tender
) -> None:
    bid = submit(supplier_actor, tender).bid
    Bid.objects.filter(pk=bid.pk).update(status=BidStatus.OPENED)  # a move the table allows

    back = _refused_sql("UPDATE bids_bid SET status = 'submitted' WHERE id = %s", [bid.pk.hex])
    gone = _refused_sql("DELETE FROM bids_bid WHERE id = %s", [bid.pk.hex])

    assert "UPDATE on bids_bid refused" in back
    assert "DELETE on bids_bid refused" in gone
    assert Bid.objects.get(pk=bid.pk).status == BidStatus.OPENED


def test_sealed_documents_are_append_only(supplier_actor: Actor, tender: Tender) -> None:
    bid = submit(supplier_actor, tender, documents=[("d1", b"%PDF-1.7 oferta")]).bid
    [document] = BidDocument.objects.filter(bid=bid)

    changed = _refused_sql("UPDATE bids_biddocument SET size = 1 WHERE id = %s", [document.pk])
    removed = _refused_sql("DELETE FROM bids_biddocument WHERE id = %s", [document.pk])

    assert "append-only: UPDATE on bids_biddocument refused" in changed
    assert "append-only: DELETE on bids_biddocument refused" in removed
    with pytest.raises(TypeError):
        document.delete()


def test_one_submitted_bid_per_supplier_and_tender_in_the_database(
    supplier_actor: Actor, tender: Tender
) -> None:
    first = submit(supplier_actor, tender).bid
    copy = Bid(
        tender=tender,
        supplier=first.supplier,
        idempotency_key="other-key",
        envelope=b"{}",
        commitment="f" * 64,
        leaf_index=first.leaf_index + 100,
        receipt="r",
        received_at=first.received_at,
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save(force_insert=True)


def test_an_opening_records_its_result_only_when_opened(tender: Tender) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Opening.objects.create(tender=tender, status="opened")
    opening = Opening.objects.create(tender=tender)
    assert (opening.status, opening.record, opening.leaf_index) == ("collecting", None, None)


def test_receipt_times_are_utc_to_the_millisecond(supplier_actor: Actor, tender: Tender) -> None:
    bid = submit(supplier_actor, tender).bid
    stamp = rfc3339(bid.received_at)
    assert stamp.endswith("Z")
    assert len(stamp) == len("2026-12-06T18:00:00.123Z")
    assert bid.received_at.microsecond % 1000 == 0
