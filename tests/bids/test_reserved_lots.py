"""The bid eligibility check reads the reservation of the tender's lots (issue 12, item 3): a
supplier whose scale, or kind, fits no lot is refused with a clear message in its language,
and changes nothing; one that fits bids; the bid page offers only the lots it may bid on."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from pregon.bids import services
from pregon.bids.declaration import DECLARATION_VERSION
from pregon.bids.models import Bid
from pregon.core.errors import PermissionDenied
from pregon.tenders import services as tender_services
from pregon.tenders.models import Tender
from tests import factories
from tests.bids.conftest import seal, submit, supplier_actor_of, uploads_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def reserved_tender() -> Tender:
    """A Brazilian tender of R$80,000 in one lot: exclusive to ME/EPP (LC 123/2006, art. 48, I)."""
    buyer = factories.BuyerFactory(country="BR")
    tender = factories.TenderOpenFactory(
        buyer=buyer, currency="BRL", estimated_value=Decimal("80000")
    )
    assert tender.lots.get().reserved
    return tender


def test_a_reserved_lot_refuses_a_large_firms_bid(refused: Any, reserved_tender: Tender) -> None:
    large = factories.SupplierFactory(scale="large", legal_name="Grandes Obras S.A.")
    actor = supplier_actor_of(large)
    sealed = seal(reserved_tender)
    documents = uploads_of(actor, reserved_tender, sealed)
    error = refused(
        PermissionDenied,
        "lots_reserved",
        services.bid_submit,
        actor=actor,
        tender=reserved_tender,
        envelope=sealed.envelope,
        documents=documents,
        idempotency_key="bid-1",
        declaration=DECLARATION_VERSION,
    )
    assert str(error) == (
        "No lot of this tender is open to your organization. Lot 1 is reserved for micro and "
        "small enterprises (Tenders and items up to R$80,000 exclusive to ME/EPP (Lei "
        "Complementar 123/2006, art. 48, I)). Grandes Obras S.A. is registered as large "
        "enterprise, so it cannot bid on this lot."
    )
    assert not Bid.objects.filter(tender=reserved_tender).exists()


def test_the_refusal_is_in_the_suppliers_language(refused: Any, reserved_tender: Tender) -> None:
    large = factories.SupplierFactory(scale="large", legal_name="Grandes Obras S.A.")
    actor = supplier_actor_of(large)
    sealed = seal(reserved_tender)
    documents = uploads_of(actor, reserved_tender, sealed)
    with translation.override("pt-br"):
        error = refused(
            PermissionDenied,
            "lots_reserved",
            services.bid_submit,
            actor=actor,
            tender=reserved_tender,
            envelope=sealed.envelope,
            documents=documents,
            idempotency_key="bid-1",
            declaration=DECLARATION_VERSION,
        )
        assert str(error).startswith("Nenhum lote desta licitação está aberto à sua organização.")


@pytest.mark.parametrize("scale", ["micro", "small", "selfEmployed"])
def test_a_reserved_lot_accepts_a_micro_or_small_firms_bid(
    reserved_tender: Tender, scale: str
) -> None:
    actor = supplier_actor_of(factories.SupplierFactory(scale=scale))
    outcome = submit(actor, reserved_tender).outcome
    assert outcome.created
    assert outcome.bid.tender_id == reserved_tender.pk


def test_the_bid_page_offers_only_the_lots_open_to_the_supplier() -> None:
    buyer = factories.BuyerFactory(country="BR")
    tender = factories.TenderDraftFactory(
        buyer=buyer, currency="BRL", estimated_value=Decimal("500000"), lots=2
    )
    first, second = tender.lots.order_by("number")
    first.estimated_value, second.estimated_value = Decimal("80000"), Decimal("420000")
    first.save()
    second.save()
    official = factories.actor_for(factories.member(buyer, "buyer_official"), buyer)
    tender_services.tender_publish(actor=official, tender=tender)
    large = factories.SupplierFactory(scale="large")
    client = Client()
    client.force_login(factories.member(large, "supplier_user"))
    with translation.override("en"):
        page = client.get(reverse("supplier:bid", args=[tender.pk])).content.decode()
    assert 'data-lot="2"' in page
    assert 'data-lot="1"' not in page
    assert "Lot 1 is reserved for micro and small enterprises" in page
    micro = factories.SupplierFactory(scale="micro")
    client.force_login(factories.member(micro, "supplier_user"))
    with translation.override("en"):
        page = client.get(reverse("supplier:bid", args=[tender.pk])).content.decode()
    assert 'data-lot="1"' in page
    assert 'data-lot="2"' in page
