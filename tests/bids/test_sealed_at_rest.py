"""What the platform keeps of a sealed bid: never a plaintext price, answer or document, and
nothing that tells the buyer who bid before the opening."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import connection

from pregon.audit.selectors import audit_events_visible_to
from pregon.bids import services
from pregon.bids.declaration import DECLARATION_VERSION
from pregon.bids.selectors import bid_of_supplier, bids_of_supplier, bids_sealed_count
from pregon.core import clock
from pregon.core.actor import Actor
from pregon.core.errors import NotFound, PermissionDenied
from pregon.tenders.models import Tender
from tests import factories
from tests.bids.conftest import seal, submit, supplier_actor_of, uploads_of
from tests.conftest import database_snapshot

pytestmark = pytest.mark.django_db

MARKER = "ZQX-MARKER-7731"


def _everything_stored() -> bytes:
    """Every row of every table (as JSON) and every file under MEDIA_ROOT, as one blob."""
    rows = b"\n".join(
        bytes(value) if isinstance(value, bytes | memoryview) else str(value).encode()
        for table in database_snapshot().values()
        for row in table
        for value in row.values()
    )
    files = b"".join(
        path.read_bytes()
        for path in sorted(Path(django_settings.MEDIA_ROOT).rglob("*"))
        if path.is_file()
    )
    return rows + files


def test_no_plaintext_reaches_the_database_or_the_files(
    supplier_actor: Actor, tender: Tender
) -> None:
    document = f"Oferta técnica {MARKER} con garantía".encode()
    first = submit(supplier_actor, tender, amount="1234.56", documents=[("d1", document)])
    # The plain bid holds the marker in its answers and document names as well.
    sealed = seal(tender, amount="999.99", documents=[("d1", document), (MARKER[:10], document)])
    services.bid_replace(
        actor=supplier_actor,
        bid=first.bid,
        envelope=sealed.envelope,
        documents=uploads_of(supplier_actor, tender, sealed),
        idempotency_key="reemplazo",
        declaration=DECLARATION_VERSION,
    )
    submit(supplier_actor_of(), tender, key="otra", amount="777.77", documents=[("d1", document)])
    stored = _everything_stored()

    assert len(stored) > 10_000  # envelopes, documents and rows are all in it
    assert MARKER.encode() not in stored
    assert document not in stored
    for price in (b"1234.56", b"999.99", b"777.77"):
        assert price not in stored
    # And the envelope itself, the only thing stored, does hold what was sealed.
    assert sealed.envelope in stored


def test_nobody_but_the_supplier_reads_its_bid(
    supplier_actor: Actor, supplier: Any, official: Any, tender: Tender, buyer: Any
) -> None:
    bid = submit(supplier_actor, tender).bid

    assert bid_of_supplier(organization=supplier, pk=bid.pk) == bid
    assert list(bids_of_supplier(organization=supplier)) == [bid]
    assert list(bids_of_supplier(organization=supplier, tender=tender)) == [bid]
    for organization in (buyer, factories.SupplierFactory(), None):
        with pytest.raises(NotFound):
            bid_of_supplier(organization=organization, pk=bid.pk)


def test_the_buyers_audit_trail_does_not_name_the_bidder(
    supplier_actor: Actor, supplier: Any, official: Any, tender: Tender, buyer: Any
) -> None:
    bid = submit(supplier_actor, tender).bid
    services.bid_withdraw(actor=supplier_actor, bid=bid, idempotency_key="retiro")
    auditor = factories.member(buyer, "auditor")
    oversight = factories.member(factories.OversightFactory(), "auditor")

    for person in (official, auditor):
        visible = audit_events_visible_to(user=person)
        assert not visible.filter(object_type="bids.bid").exists()
        assert not visible.filter(organization=supplier).exists()
    # The platform's own auditors see who bid (recorded under the supplier).
    rows = audit_events_visible_to(user=oversight).filter(object_type="bids.bid")
    assert sorted(rows.values_list("action", "organization")) == [
        ("bid.submit", supplier.pk),
        ("bid.withdraw", supplier.pk),
    ]


def test_the_buyer_learns_only_the_number_of_bids_after_the_deadline(
    supplier_actor: Actor, official_actor: Actor, tender: Tender, buyer: Any
) -> None:
    submit(supplier_actor, tender)
    withdrawn = submit(supplier_actor_of(), tender, key="b").bid
    services.bid_withdraw(
        actor=factories.actor_for(
            factories.member(withdrawn.supplier, "supplier_user"), withdrawn.supplier
        ),
        bid=withdrawn,
        idempotency_key="r",
    )
    committee = factories.actor_for(factories.member(buyer, "committee_member"), buyer)

    assert bids_sealed_count(actor=official_actor, tender=tender) is None
    past = clock.db_now() - dt.timedelta(seconds=1)
    Tender.objects.filter(pk=tender.pk).update(
        enquiry_end=past - dt.timedelta(days=1), submission_deadline=past
    )
    tender.refresh_from_db()
    assert bids_sealed_count(actor=official_actor, tender=tender) == 1
    assert bids_sealed_count(actor=committee, tender=tender) == 1
    for outsider in (
        supplier_actor,
        factories.actor_for(factories.member(factories.BuyerFactory(), "buyer_official"), buyer),
        Actor(user=None),
    ):
        with pytest.raises(PermissionDenied):
            bids_sealed_count(actor=outsider, tender=tender)


def test_the_database_clock_is_the_databases(db: None) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT clock_timestamp()")
        else:
            cursor.execute("SELECT strftime('%s', 'now')")
        (before,) = cursor.fetchone()
    now = clock.db_now()
    assert now.tzinfo is dt.UTC
    reference = (
        before
        if isinstance(before, dt.datetime)
        else dt.datetime.fromtimestamp(int(before), tz=dt.UTC)
    )
    assert dt.timedelta(0) <= now - reference < dt.timedelta(seconds=5)
    moment = dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)
    with clock.at(moment):
        assert clock.db_now() == moment
