"""The contracts' pages: the buyer drafts, signs, amends, records deliveries, decides invoices
and pays from its pages; the supplier confirms and invoices from its own; everyone reads the
signed contract, on its page, on the tender's page, and the buyer's payment figures on its
public page. A refusal is shown on the form it came from and changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from pregon.contracts import services
from pregon.contracts.choices import ContractStatus, InvoiceStatus
from pregon.contracts.models import Contract, ContractDocument, Invoice, Milestone
from pregon.core import clock
from tests.contracts.world import PDF, ContractWorld, contract_world, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(buyer: Any, settings: Any) -> ContractWorld:
    return contract_world(buyer, settings)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(name: str, **kwargs: Any) -> str:
    with translation.override("en"):
        return reverse(name, kwargs=kwargs)


def test_the_buyer_drafts_and_signs_from_its_pages(world: ContractWorld) -> None:
    client = _client(world.official.user)
    with clock.at(world.at(1)):
        home = client.get(_url("contracts:buyer"))
        assert home.status_code == 200
        assert "Pequeña Empresa SpA" in home.content.decode()
        new = _url("contracts:new", award_pk=world.award.pk)
        assert client.get(new).status_code == 200
        bad = client.post(
            new,
            {
                "contract-title": "Suministro",
                "contract-period_start": world.date(10).isoformat(),
                "contract-period_end": world.date(5).isoformat(),
            },
        )
        assert bad.status_code == 422
        assert "cannot end before it starts" in bad.content.decode()
        assert not Contract.objects.exists()
        done = client.post(
            new,
            {
                "contract-title": "Suministro",
                "contract-period_start": world.date(1).isoformat(),
                "contract-period_end": world.date(100).isoformat(),
            },
        )
        contract = Contract.objects.get()
        manage = _url("contracts:manage", pk=contract.pk)
        assert done.status_code == 302 and done["Location"] == manage
        # Signing without the contract's text is refused on the signature's form.
        refused = client.post(manage, {"action": "sign", "sign-signatory": "Ana Rojas"})
        assert refused.status_code == 422
        assert "Attach the contract" in refused.content.decode()
        contract.refresh_from_db()
        assert contract.status == ContractStatus.PENDING
        assert (
            client.post(
                manage,
                {
                    "action": "document",
                    "document-title": "Contrato firmado",
                    "document-document_type": "contractSigned",
                    "document-file": pdf(),
                },
            ).status_code
            == 302
        )
        assert (
            client.post(
                manage,
                {
                    "action": "milestone",
                    "milestone-title": "Entrega única",
                    "milestone-due_date": world.date(30).isoformat(),
                },
            ).status_code
            == 302
        )
        assert (
            client.post(manage, {"action": "sign", "sign-signatory": "Ana Rojas"}).status_code
            == 302
        )
    contract.refresh_from_db()
    assert contract.status == ContractStatus.SIGNED
    assert ContractDocument.objects.filter(contract=contract).count() == 1
    assert Milestone.objects.filter(contract=contract).count() == 1


def test_the_supplier_confirms_and_invoices_and_the_buyer_pays(world: ContractWorld) -> None:
    contract = world.signed()
    supplier = _client(world.supplier_actor.user)
    mine = _url("contracts:mine", pk=contract.pk)
    with clock.at(world.at(3)):
        assert contract.title in supplier.get(_url("contracts:supplier")).content.decode()
        assert (
            supplier.post(mine, {"action": "confirm", "confirm-signatory": "Luis Soto"}).status_code
            == 302
        )
    world.met(Contract.objects.get(pk=contract.pk), 1, 10)
    with clock.at(world.at(11)):
        page = supplier.get(mine)
        assert page.status_code == 200
        # What is left, written as every amount is (not "118000.00 CLP").
        assert "Left to invoice: 118,000 CLP, less" in page.content.decode()
        milestone = Milestone.objects.get(contract=contract, number=1)
        fields = {
            "action": "invoice",
            "invoice-milestone": milestone.pk,
            "invoice-reference": "F-100",
            "invoice-amount": "200000",
            "invoice-issued_on": world.date(11).isoformat(),
            "invoice-file": pdf("factura.pdf"),
        }
        too_much = supplier.post(mine, fields)
        assert too_much.status_code == 422
        assert "more than the contract leaves to invoice" in too_much.content.decode()
        assert not Invoice.objects.exists()
        fields["invoice-amount"] = "50000"
        fields["invoice-file"] = pdf("factura.pdf")
        assert supplier.post(mine, fields).status_code == 302
    invoice = Invoice.objects.get()
    buyer = _client(world.official.user)
    manage = _url("contracts:manage", pk=contract.pk)
    with clock.at(world.at(12)):
        assert (
            buyer.post(manage, {"action": "accept", "invoice": invoice.number}).status_code == 302
        )
    with clock.at(world.at(50)):
        assert "Overdue" in buyer.get(manage).content.decode()
        late = buyer.post(
            manage,
            {
                "action": "pay",
                "invoice": invoice.number,
                f"pay-{invoice.number}-amount": "50000",
                f"pay-{invoice.number}-paid_on": world.date(50).isoformat(),
            },
        )
        assert late.status_code == 302
    invoice.refresh_from_db()
    assert (invoice.status, invoice.days_to_pay, invoice.paid_late) == (
        InvoiceStatus.PAID,
        39,
        True,
    )
    with clock.at(world.at(51)):
        page = supplier.get(mine).content.decode()
        assert "Paid late" in page
        public = Client().get(_url("contracts:detail", pk=contract.pk)).content.decode()
        assert "Paid late" in public and "F-100" not in public


def test_the_tender_page_and_the_buyers_page_show_contracts_and_payment_figures(
    world: ContractWorld,
) -> None:
    contract = world.active()
    world.met(contract, 1, 10)
    invoice = world.invoice(contract, 1, 11, "50000")
    world.accept(invoice, 12)
    world.pay(invoice, 29)
    anonymous = Client()
    with clock.at(world.at(30)):
        tender = anonymous.get(_url("tenders:detail", pk=world.award.tender.pk))
        text = tender.content.decode()
        assert tender.status_code == 200
        assert 'id="contracts"' in text and contract.title in text
        assert "Average days to pay" in text and "18.0 days" in text
        profile = anonymous.get(_url("organizations:detail", pk=world.buyer.pk)).content.decode()
        assert "How this buyer pays its suppliers" in profile and "18.0 days" in profile
    with translation.override("es"):
        spanish = anonymous.get(reverse("tenders:detail", kwargs={"pk": world.award.tender.pk}))
    assert "Contratos y pagos" in spanish.content.decode()


@pytest.mark.parametrize(
    ("language", "heading"),
    [
        ("en", "Deliveries"),
        ("es", "Entregas"),
        ("pt-br", "Entregas"),
        ("fr", "Livraisons"),
    ],
)
def test_the_contract_page_in_every_language(
    world: ContractWorld, language: str, heading: str
) -> None:
    contract = world.active()
    with translation.override(language):
        url = reverse("contracts:detail", kwargs={"pk": contract.pk})
    page = Client().get(url)
    assert page.status_code == 200
    assert f">{heading}</h2>" in page.content.decode()


def test_a_contracts_documents_are_public_once_it_is_signed(world: ContractWorld) -> None:
    contract = world.with_parts(world.draft())
    document = contract.documents.get()
    url = _url("contracts:document", pk=contract.pk, doc=document.pk)
    assert Client().get(url).status_code == 404
    response = _client(world.official.user).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
    with clock.at(world.at(2)):
        services.contract_sign(actor=world.official, contract=contract, signatory="Ana Rojas")
    assert Client().get(url).status_code == 200
    assert Client().get(_url("contracts:detail", pk=contract.pk)).status_code == 200


@pytest.mark.parametrize("state", ["signed", "active", "completed", "terminated", "cancelled"])
def test_every_page_shows_a_contract_in_every_state(world: ContractWorld, state: str) -> None:
    contract = world.signed() if state in {"signed", "cancelled"} else world.active()
    with clock.at(world.at(60)):
        if state == "completed":
            world.met(contract, 1, 50)
            world.met(contract, 2, 55)
            services.contract_complete(actor=world.official, contract=contract, note="Conforme.")
        elif state == "terminated":
            services.contract_terminate(actor=world.official, contract=contract, reason="Quiebra.")
        elif state == "cancelled":
            services.contract_cancel(actor=world.official, contract=contract, reason="Error.")
    contract.refresh_from_db()
    assert contract.status == state
    label = str(ContractStatus(state).label)
    for client, name in (
        (Client(), "contracts:detail"),
        (_client(world.official.user), "contracts:manage"),
        (_client(world.supplier_actor.user), "contracts:mine"),
    ):
        page = client.get(_url(name, pk=contract.pk))
        assert page.status_code == 200, name
        assert label in page.content.decode(), name
