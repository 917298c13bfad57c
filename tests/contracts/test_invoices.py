"""Invoices and payments through their services: every move allowed and refused (nothing
changed on refusal), the amounts that never add up past the contract's value or the invoice's
amount, due dates from the tender's rule pack (the setting where it sets none: test_terms.py),
and a buyer's days to pay and late payments worked out by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import orjson
import pytest
from django.db import IntegrityError, transaction

from pregon.contracts import services
from pregon.contracts.choices import InvoiceStatus
from pregon.contracts.models import Contract, Invoice, Payment
from pregon.contracts.selectors import buyer_payment_figures
from pregon.core import clock
from pregon.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from pregon.core.models import AuditEvent
from pregon.organizations.models import Organization
from pregon.publication.models import Release
from tests import factories
from tests.contracts.world import SANTIAGO, ContractWorld, contract_world, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(buyer: Organization, settings: Any) -> ContractWorld:
    return contract_world(buyer, settings)


@pytest.fixture
def delivered(world: ContractWorld) -> Contract:
    """A contract in force (118,000 CLP) whose two deliveries were met on days 10 and 40."""
    contract = world.active()
    world.met(contract, 1, 10)
    world.met(contract, 2, 40)
    return contract


def _invoice_data(
    world: ContractWorld, contract: Contract, *, number: int = 1, amount: str = "1000", **more: Any
) -> services.InvoiceData:
    fields: dict[str, Any] = {
        "milestone": contract.milestones.get(number=number),
        "reference": "F-1",
        "amount": Decimal(amount),
        "issued_on": world.date(11),
        "upload": pdf("factura.pdf"),
    } | more
    return services.InvoiceData(**fields)


def _latest(world: ContractWorld) -> dict[str, Any]:
    release = Release.objects.filter(ocid=world.award.tender.ocid).order_by("-seq").first()
    assert release is not None
    return orjson.loads(release.data)


# ---------------------------------------------------------------------------------------------
# submitting


def test_an_invoice_is_received_today_and_due_in_its_rule_packs_days(
    world: ContractWorld, delivered: Contract
) -> None:
    # Chile's pack: 30 days. The setting, and a term kept when it changes: test_terms.py.
    invoice = world.invoice(delivered, 1, 11, "50000")

    assert invoice.status == InvoiceStatus.SUBMITTED
    assert (invoice.received_on, invoice.due_days, invoice.due_on, invoice.due_rule) == (
        world.date(11),
        30,
        world.date(41),
        "CL@2026.1:payment.30_days",
    )
    assert invoice.currency == "CLP"
    assert AuditEvent.objects.filter(action="invoice.submit", object_id=str(invoice.pk)).exists()


def test_an_invoice_is_not_published(world: ContractWorld, delivered: Contract) -> None:
    releases = Release.objects.count()
    invoice = world.invoice(delivered, 1, 11)
    world.accept(invoice, 12)
    assert Release.objects.count() == releases


def test_submitting_is_refused_for_an_unmet_delivery_or_a_contract_not_in_force(
    world: ContractWorld, refused: Any
) -> None:
    signed = world.signed()
    with clock.at(world.at(11)):
        refused(
            InvalidTransition,
            "contract_not_in_force",
            services.invoice_submit,
            actor=world.supplier_actor,
            contract=signed,
            data=_invoice_data(world, signed),
        )
    with clock.at(world.at(3)):
        contract = services.contract_confirm(
            actor=world.supplier_actor, contract=signed, signatory="Luis Soto"
        )
    with clock.at(world.at(11)):
        refused(
            InvalidTransition,
            "milestone_not_met",
            services.invoice_submit,
            actor=world.supplier_actor,
            contract=contract,
            data=_invoice_data(world, contract),
        )


def test_bad_invoices_are_refused_with_the_field(
    world: ContractWorld, delivered: Contract, refused: Any
) -> None:
    cases = [
        ({"amount": "0"}, "amount"),
        ({"amount": "-1"}, "amount"),
        ({"amount": "10.001"}, "amount"),
        ({"amount": "118000.01"}, "amount"),
        ({"reference": " "}, "reference"),
        ({"reference": "x" * 65}, "reference"),
        ({"issued_on": world.date(12)}, "issued_on"),
    ]
    with clock.at(world.at(11)):
        for changes, field in cases:
            amount = str(changes.pop("amount", "1000"))
            error = refused(
                ValidationFailed,
                "validation_failed",
                services.invoice_submit,
                actor=world.supplier_actor,
                contract=delivered,
                data=_invoice_data(world, delivered, amount=amount, **changes),
            )
            assert error.field == field, changes
        other = world.with_parts(world.draft(12, award=world.other_award(12)), 12)
        error = refused(
            ValidationFailed,
            "validation_failed",
            services.invoice_submit,
            actor=world.supplier_actor,
            contract=delivered,
            data=_invoice_data(world, delivered, milestone=other.milestones.get(number=1)),
        )
        assert error.field == "milestone"
        refused(
            ValidationFailed,
            "file_type_not_allowed",
            services.invoice_submit,
            actor=world.supplier_actor,
            contract=delivered,
            data=_invoice_data(world, delivered, upload=pdf("factura.exe")),
        )


def test_only_the_contracts_supplier_invoices(
    world: ContractWorld, delivered: Contract, refused: Any
) -> None:
    other = factories.SupplierFactory()
    with clock.at(world.at(11)):
        for actor in (
            world.official,
            factories.actor_for(factories.member(other, "supplier_user"), other),
        ):
            refused(
                PermissionDenied,
                "permission_denied",
                services.invoice_submit,
                actor=actor,
                contract=delivered,
                data=_invoice_data(world, delivered),
            )


def test_the_invoices_awaiting_a_decision_count_against_the_value(
    world: ContractWorld, delivered: Contract, refused: Any
) -> None:
    world.accept(world.invoice(delivered, 1, 11, "50000"), 12)
    world.invoice(delivered, 2, 41, "60000")
    # Left: 118,000 - 50,000 accepted - 60,000 awaiting = 8,000.
    with clock.at(world.at(45)):
        error = refused(
            ValidationFailed,
            "validation_failed",
            services.invoice_submit,
            actor=world.supplier_actor,
            contract=delivered,
            data=_invoice_data(world, delivered, number=2, amount="8000.01"),
        )
    assert "8000" in str(error.message)
    assert world.invoice(delivered, 2, 45, "8000").amount == Decimal("8000")


# ---------------------------------------------------------------------------------------------
# deciding


def test_accepting_counts_the_amount_against_the_value(
    world: ContractWorld, delivered: Contract, refused: Any
) -> None:
    invoice = world.invoice(delivered, 1, 11, "50000")
    world.accept(invoice, 12)
    delivered.refresh_from_db()
    invoice.refresh_from_db()
    assert delivered.accepted_amount == Decimal("50000")
    assert invoice.status == InvoiceStatus.ACCEPTED
    refused(
        InvalidTransition,
        "invoice_already_decided",
        services.invoice_accept,
        actor=world.official,
        invoice=invoice,
    )
    refused(
        InvalidTransition,
        "invoice_already_decided",
        services.invoice_reject,
        actor=world.official,
        invoice=invoice,
        reason="Tarde.",
    )
    # The value is never amended below the accepted invoices.
    with clock.at(world.at(13)):
        refused(
            ValidationFailed,
            "validation_failed",
            services.contract_amend,
            actor=world.official,
            contract=delivered,
            data=services.AmendmentData(reason="Rebaja.", value=Decimal("49999.99")),
        )


def test_an_invoice_over_an_amended_value_is_not_accepted(
    world: ContractWorld, delivered: Contract, refused: Any
) -> None:
    world.accept(world.invoice(delivered, 1, 11, "50000"), 12)
    pending = world.invoice(delivered, 2, 41, "60000")
    with clock.at(world.at(42)):
        services.contract_amend(
            actor=world.official,
            contract=delivered,
            data=services.AmendmentData(reason="Reducción del alcance.", value=Decimal("100000")),
        )
    with clock.at(world.at(43)):
        refused(
            ValidationFailed,
            "over_contract_value",
            services.invoice_accept,
            actor=world.official,
            invoice=pending,
        )
        services.invoice_reject(
            actor=world.official, invoice=pending, reason="Excede el valor modificado."
        )
    pending.refresh_from_db()
    assert (pending.status, pending.rejection_reason) == (
        InvoiceStatus.REJECTED,
        "Excede el valor modificado.",
    )


def test_a_rejection_needs_its_reason_and_only_the_buyer_decides(
    world: ContractWorld, delivered: Contract, refused: Any
) -> None:
    invoice = world.invoice(delivered, 1, 11)
    refused(
        ValidationFailed,
        "validation_failed",
        services.invoice_reject,
        actor=world.official,
        invoice=invoice,
        reason=" ",
    )
    auditor = factories.actor_for(factories.member(world.buyer, "auditor"), world.buyer)
    for actor in (world.supplier_actor, auditor):
        refused(
            PermissionDenied,
            "permission_denied",
            services.invoice_accept,
            actor=actor,
            invoice=invoice,
        )
        refused(
            PermissionDenied,
            "permission_denied",
            services.payment_record,
            actor=actor,
            invoice=invoice,
            data=services.PaymentData(amount=Decimal(1), paid_on=world.date(11)),
        )


# ---------------------------------------------------------------------------------------------
# paying


def test_payments_up_to_the_invoice_then_paid_with_its_days(
    world: ContractWorld, delivered: Contract, refused: Any
) -> None:
    invoice = world.invoice(delivered, 1, 11, "50000")
    data = services.PaymentData(amount=Decimal("1"), paid_on=world.date(12))
    with clock.at(world.at(12)):
        refused(
            InvalidTransition,
            "invoice_not_payable",
            services.payment_record,
            actor=world.official,
            invoice=invoice,
            data=data,
        )
    world.accept(invoice, 12)
    with clock.at(world.at(20)):
        for paid_on, amount in (
            (world.date(21), "100"),  # in the future
            (world.date(10), "100"),  # before the invoice was received
            (world.date(20), "50000.01"),  # more than the invoice
            (world.date(20), "0"),
        ):
            error = refused(
                ValidationFailed,
                "validation_failed",
                services.payment_record,
                actor=world.official,
                invoice=invoice,
                data=services.PaymentData(amount=Decimal(amount), paid_on=paid_on),
            )
            assert error.field in {"paid_on", "amount"}
    world.pay(invoice, 20, "20000")
    invoice.refresh_from_db()
    assert (invoice.status, invoice.paid_amount, invoice.paid_on) == (
        InvoiceStatus.ACCEPTED,
        Decimal("20000"),
        None,
    )
    with clock.at(world.at(30)):
        refused(
            ValidationFailed,
            "validation_failed",
            services.payment_record,
            actor=world.official,
            invoice=invoice,
            data=services.PaymentData(amount=Decimal("30000.01"), paid_on=world.date(30)),
        )
    world.pay(invoice, 30, "30000")
    invoice.refresh_from_db()
    assert (invoice.status, invoice.paid_on, invoice.days_to_pay, invoice.paid_late) == (
        InvoiceStatus.PAID,
        world.date(30),
        19,
        False,
    )
    with clock.at(world.at(31)):
        refused(
            InvalidTransition,
            "invoice_not_payable",
            services.payment_record,
            actor=world.official,
            invoice=invoice,
            data=services.PaymentData(amount=Decimal("1"), paid_on=world.date(31)),
        )


def test_each_payment_is_published_as_a_transaction_from_buyer_to_supplier(
    world: ContractWorld, delivered: Contract
) -> None:
    invoice = world.invoice(delivered, 2, 41, "60000")
    world.accept(invoice, 42)
    world.pay(invoice, 60, "20000")
    world.pay(invoice, 87, "40000")

    release = _latest(world)
    assert release["tag"] == ["implementation"]
    transactions = release["contracts"][0]["implementation"]["transactions"]
    buyer, supplier = world.buyer.party_id, world.supplier.party_id
    assert [
        (t["id"], t["value"], t["payer"]["id"], t["payee"]["id"], t["paidLate"])
        for t in transactions
    ] == [
        ("1", {"amount": 20000, "currency": "CLP"}, buyer, supplier, False),
        ("2", {"amount": 40000, "currency": "CLP"}, buyer, supplier, True),
    ]
    assert transactions[1]["date"][:10] == world.date(87).isoformat()
    assert transactions[1]["invoice"]["id"] == "1"
    # Due by the last second of day 71 in Santiago, published in UTC.
    due = dt.datetime.combine(world.date(71), dt.time(23, 59, 59), tzinfo=SANTIAGO)
    assert transactions[1]["invoice"]["dueDate"] == due.astimezone(dt.UTC).strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )
    roles = {party["id"]: set(party["roles"]) for party in release["parties"]}
    assert {"supplier", "payee"} <= roles[supplier]
    assert {"buyer", "payer"} <= roles[buyer]


def test_invoices_are_decided_and_paid_after_the_contract_ended(
    world: ContractWorld, delivered: Contract
) -> None:
    invoice = world.invoice(delivered, 2, 41, "60000")
    with clock.at(world.at(42)):
        services.contract_complete(actor=world.official, contract=delivered)
    world.accept(invoice, 43)
    world.pay(invoice, 50)
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID


# ---------------------------------------------------------------------------------------------
# a buyer's figures


def test_days_to_pay_and_late_payments_as_worked_out_by_hand(
    world: ContractWorld, delivered: Contract
) -> None:
    """Invoice 1: received day 11, due day 41, paid in full day 29: 18 days, on time.
    Invoice 2: received day 41, due day 71, paid 20,000 on day 60 and 40,000 on day 87:
    46 days, late. Invoice 3: received day 45, due day 75, accepted, never paid. Invoice 4:
    rejected (it counts for nothing). On day 90: average (18 + 46) ÷ 2 = 32.0 days, 1 paid
    late, invoice 3 overdue (from day 76)."""
    first = world.invoice(delivered, 1, 11, "50000")
    world.accept(first, 12)
    world.pay(first, 29)
    second = world.invoice(delivered, 2, 41, "60000")
    world.accept(second, 42)
    rejected = world.invoice(delivered, 2, 43, "100")
    with clock.at(world.at(44)):
        services.invoice_reject(actor=world.official, invoice=rejected, reason="Duplicada.")
    third = world.invoice(delivered, 2, 45, "8000")
    world.accept(third, 46)
    world.pay(second, 60, "20000")
    with clock.at(world.at(75)):
        before = buyer_payment_figures(buyer=world.buyer)
    world.pay(second, 87, "40000")
    with clock.at(world.at(90)):
        figures = buyer_payment_figures(buyer=world.buyer)

    # On day 75: invoice 2 (due day 71) is partly paid, so overdue; invoice 3 is due that day.
    assert (before.paid, before.average_days, before.late, before.overdue) == (
        1,
        Decimal("18.0"),
        0,
        1,
    )
    assert (figures.paid, figures.average_days, figures.late, figures.overdue) == (
        2,
        Decimal("32.0"),
        1,
        1,
    )
    assert [
        (i.number, i.days_to_pay, i.paid_late)
        for i in Invoice.objects.filter(contract=delivered).order_by("number")
    ] == [(1, 18, False), (2, 46, True), (3, None, False), (4, None, False)]


def test_figures_round_the_average_and_count_only_this_buyers_invoices(
    world: ContractWorld, delivered: Contract
) -> None:
    """Days 18, 19 and 20 make 19.0; days 18 and 19 make 18.5 (half up to one decimal)."""
    first = world.invoice(delivered, 1, 11, "1000")
    world.accept(first, 11)
    world.pay(first, 29)  # 18 days
    second = world.invoice(delivered, 1, 12, "1000")
    world.accept(second, 12)
    world.pay(second, 31)  # 19 days
    with clock.at(world.at(32)):
        assert buyer_payment_figures(buyer=world.buyer).average_days == Decimal("18.5")
        assert buyer_payment_figures(buyer=factories.BuyerFactory()).paid == 0
    third = world.invoice(delivered, 1, 13, "1000")
    world.accept(third, 13)
    world.pay(third, 33)  # 20 days
    with clock.at(world.at(34)):
        figures = buyer_payment_figures(buyer=world.buyer)
    assert (figures.paid, figures.average_days, figures.late, figures.on_time) == (
        3,
        Decimal("19.0"),
        0,
        3,
    )


def test_the_figures_are_one_query(
    world: ContractWorld, delivered: Contract, django_assert_num_queries: Any
) -> None:
    world.accept(world.invoice(delivered, 1, 11, "1000"), 11)
    buyer = Organization.objects.get(pk=world.buyer.pk)
    with django_assert_num_queries(1):
        buyer_payment_figures(buyer=buyer)


def test_the_database_keeps_payments_within_the_invoice(
    world: ContractWorld, delivered: Contract
) -> None:
    invoice = world.invoice(delivered, 1, 11, "50000")
    for changes in (
        {"paid_amount": Decimal("50000.01")},
        {"status": "paid"},  # paid means paid in full, with the date
        {"status": "rejected"},  # a rejection says why
        {"issued_on": world.date(12)},
        {"due_on": world.date(10)},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Invoice.objects.filter(pk=invoice.pk).update(**changes)
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(
            contract=delivered,
            invoice=invoice,
            number=1,
            amount=Decimal(0),
            currency="CLP",
            paid_on=world.date(12),
        )
