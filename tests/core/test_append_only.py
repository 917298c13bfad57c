"""The shared append-only guard (pregon.core.append_only) on each table that uses it: the audit
log, the transparency log's insert-only tables, published releases, and what a sealed bid
keeps (its documents, shares handed in, opened bids, its self-declaration)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.db import IntegrityError, models, transaction

from pregon.bids.choices import OpenedBidOutcome
from pregon.bids.declaration import DECLARATION_VERSION
from pregon.bids.models import Bid, BidDeclaration, BidDocument, OpenedBid, Opening, ShareHandIn
from pregon.core import clock
from pregon.core.append_only import AppendOnlyModel
from pregon.core.models import AuditEvent
from pregon.ledger.choices import LeafKind
from pregon.ledger.models import (
    IssuedCosignature,
    Leaf,
    Node,
    ReceivedCosignature,
    SignedCheckpoint,
    WatchedLog,
)
from pregon.publication.models import Release
from tests import factories

pytestmark = pytest.mark.django_db

AUDIT = "The audit log is append-only."
LOG = "The transparency log is append-only."
RELEASES = "Published releases are append-only."
HASH = bytes(range(32))


def _watched_log() -> WatchedLog:
    log, _ = WatchedLog.objects.get_or_create(
        origin="example.org/log",
        defaults={"url": "https://example.org/log/", "vkey": "example.org/log+1+AA"},
    )
    return log


def _bid() -> Bid:
    """A sealed bid row (its contents do not matter here: only its insert-only children do)."""
    existing = Bid.objects.first()
    if existing is not None:
        return existing
    # A draft: it publishes no release, which would take the numbers the cases below use.
    return Bid.objects.create(
        tender=factories.TenderDraftFactory(),
        supplier=factories.SupplierFactory(),
        idempotency_key="k-1",
        envelope=b"{}",
        commitment="a" * 64,
        leaf_index=0,
        receipt="receipt\n",
        received_at=clock.now(),
    )


def _hand_in() -> ShareHandIn:
    bid = _bid()
    opening, _ = Opening.objects.get_or_create(tender=bid.tender)
    return ShareHandIn(
        opening=opening, bid=bid, member=bid.tender.committee.first(), share=bytes(33)
    )


@dataclass(frozen=True)
class Case:
    """An append-only model, the message its refusals give, a new row of it, and a change."""

    model: type[AppendOnlyModel]
    message: str
    build: Callable[[], AppendOnlyModel]
    field: str
    value: Any

    def __str__(self) -> str:
        return self.model.__name__


CASES = [
    Case(
        AuditEvent,
        AUDIT,
        lambda: AuditEvent(
            actor_label="system",
            channel="task",
            action="tender.close",
            object_type="tenders.tender",
            object_id="1",
            object_repr="T-1",
        ),
        "action",
        "nothing.happened",
    ),
    Case(
        Leaf,
        LOG,
        lambda: Leaf(index=0, kind=LeafKind.RELEASE, ref="ocds-1-a", leaf_hash=HASH),
        "ref",
        "rewritten",
    ),
    Case(Node, LOG, lambda: Node(level=0, index=0, hash=HASH), "hash", bytes(32)),
    Case(
        SignedCheckpoint,
        LOG,
        lambda: SignedCheckpoint(size=1, root_hash=HASH, note="checkpoint\n"),
        "note",
        "forged\n",
    ),
    Case(
        IssuedCosignature,
        LOG,
        lambda: IssuedCosignature(
            watched_log=_watched_log(), size=1, root_hash=HASH, note="cosigned\n"
        ),
        "note",
        "forged\n",
    ),
    Case(
        ReceivedCosignature,
        LOG,
        lambda: ReceivedCosignature(
            witness=_watched_log(),
            size=1,
            root_hash=HASH,
            signature_line="— witness AAAA\n",
            signed_at=clock.now(),
        ),
        "signature_line",
        "— forged BBBB\n",
    ),
    Case(
        Release,
        RELEASES,
        lambda: Release(
            seq=1,
            release_id="ocds-1-a-2026-01-01T00:00:00Z",
            ocid="ocds-1-a",
            date=clock.now(),
            tag=["tender"],
            data="{}",
            sha256="0" * 64,
            leaf_index=0,
        ),
        "data",
        '{"forged": true}',
    ),
    Case(
        BidDocument,
        "The documents of a sealed bid never change.",
        lambda: BidDocument(bid=_bid(), doc_id="d1", file="bids/d1", size=1, sha256="b" * 64),
        "sha256",
        "c" * 64,
    ),
    Case(
        ShareHandIn,
        "Shares handed in at an opening never change.",
        _hand_in,
        "share",
        bytes(range(33)),
    ),
    Case(
        OpenedBid,
        "An opened bid never changes.",
        lambda: OpenedBid(bid=_bid(), outcome=OpenedBidOutcome.UNDECRYPTABLE),
        "outcome",
        OpenedBidOutcome.OPENED,
    ),
    Case(
        BidDeclaration,
        "The self-declaration of a bid never changes.",
        lambda: BidDeclaration(
            bid=_bid(),
            version=DECLARATION_VERSION,
            declared_by_label="ana@example.org",
            declared_at=clock.now(),
        ),
        "declared_by_label",
        "someone else",
    ),
]
ledger_and_releases = [case for case in CASES if case.model is not AuditEvent]

CHANGES: dict[str, Callable[[Case, Any], Any]] = {
    "update": lambda case, row: case.model.objects.update(**{case.field: case.value}),
    "filtered update": lambda case, row: case.model.objects.filter(pk=row.pk).update(
        **{case.field: case.value}
    ),
    "delete": lambda case, row: case.model.objects.all().delete(),
    "filtered delete": lambda case, row: case.model.objects.filter(pk=row.pk).delete(),
    "bulk update": lambda case, row: case.model.objects.bulk_update(
        [_changed(case, row)], [case.field]
    ),
    "update or create": lambda case, row: case.model.objects.update_or_create(
        pk=row.pk, defaults={case.field: case.value}
    ),
}


def _stored(case: Case) -> AppendOnlyModel:
    """A row of the case's model, inserted and read back from the table."""
    case.build().save()
    return case.model.objects.get()


def _changed(case: Case, row: AppendOnlyModel) -> AppendOnlyModel:
    setattr(row, case.field, case.value)
    return row


def _table(model: type[models.Model]) -> list[dict[str, Any]]:
    return list(model._base_manager.order_by("pk").values())


def _refused(case: Case, action: Callable[[], Any]) -> None:
    """`action` raises TypeError with the model's own message and leaves the table as it was."""
    before = _table(case.model)
    # In a savepoint of its own: bulk_update and update_or_create open a transaction.
    with pytest.raises(TypeError) as info, transaction.atomic():
        action()
    assert str(info.value) == case.message
    assert _table(case.model) == before


def test_every_append_only_model_is_exercised_here_with_its_own_message() -> None:
    append_only = {model for model in apps.get_models() if issubclass(model, AppendOnlyModel)}
    assert append_only == {case.model for case in CASES}
    assert all(case.model.append_only_message == case.message for case in CASES)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_a_new_row_is_inserted(case: Case) -> None:
    row = case.build()
    row.save()
    assert not row._state.adding
    stored = case.model.objects.get()
    assert stored.pk == row.pk
    assert getattr(stored, case.field) == getattr(row, case.field)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_a_stored_row_is_never_saved_again(case: Case) -> None:
    row = _changed(case, _stored(case))
    _refused(case, row.save)
    _refused(case, lambda: row.save(update_fields=[case.field]))


@pytest.mark.parametrize("case", CASES, ids=str)
def test_a_row_is_never_deleted(case: Case) -> None:
    row = _stored(case)
    _refused(case, row.delete)
    assert case.model.objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
@pytest.mark.parametrize("case", CASES, ids=str)
def test_the_queryset_refuses_changes_in_bulk(case: Case, change: Any) -> None:
    row = _stored(case)
    _refused(case, lambda: change(case, row))


@pytest.mark.parametrize("case", ledger_and_releases, ids=str)
def test_a_new_instance_with_a_stored_key_is_inserted_never_written_over(case: Case) -> None:
    stored = _stored(case)
    impostor = _changed(case, case.build())
    impostor.pk = stored.pk
    before = _table(case.model)
    with pytest.raises(IntegrityError), transaction.atomic():
        impostor.save()
    assert _table(case.model) == before


def test_an_audit_row_may_not_choose_its_number() -> None:
    # The database numbers the trail: a number given by the caller is refused, taken or not.
    case = CASES[0]
    stored = _stored(case)
    for number in (stored.pk, stored.pk + 1000):
        impostor = _changed(case, case.build())
        impostor.pk = number
        _refused(case, impostor.save)
