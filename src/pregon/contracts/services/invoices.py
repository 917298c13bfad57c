"""Invoices and payments of a contract.

The supplier submits an invoice against a delivery of its contract in force, once that
delivery is met (`invoice_submit`): its number, amount, date and the invoice itself (a document,
bounded and type-checked). The invoice is received that day, in the buyer's calendar, and due
the days of `terms.invoice_due_term` later (its tender's rule pack for the supplier's size, else
the platform's setting; the rule is kept with it). The buyer accepts it (`invoice_accept`: its
amount counts against the contract's value, which the accepted invoices never exceed) or
rejects it with the reason (`invoice_reject`), and records its payments, each with its date
(`payment_record`), never more than what is left to pay; the payment that completes it fixes
the days it took to pay and whether that was late. Each payment is published
(`implementation`: a transaction from the buyer to the supplier). Invoices are decided and paid
also after the contract has ended.

Every function runs in one transaction, on the locked tender, contract and invoice, with its
audit row; a refusal changes nothing.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from pregon.contracts.choices import (
    INVOICE_TRANSITIONS,
    TRANSITIONS,
    InvoiceStatus,
    MilestoneStatus,
)
from pregon.contracts.models import Contract, Invoice, Milestone, Payment
from pregon.contracts.processes import contract_process
from pregon.contracts.services.common import (
    clean_amount,
    clean_date,
    clean_text,
    contract_lock,
    next_number,
    require_buyer,
    require_supplier,
)
from pregon.contracts.services.data import InvoiceData, PaymentData
from pregon.contracts.terms import invoice_due_on, invoice_due_term, today_of
from pregon.core import clock
from pregon.core.actor import Actor
from pregon.core.audit import audit_record
from pregon.core.errors import InvalidTransition, ValidationFailed
from pregon.core.transitions import transition
from pregon.core.uploads import check_upload
from pregon.publication.choices import ReleaseTag
from pregon.publication.services import publication_record


def _invoice_lock(invoice: Invoice) -> tuple[Contract, Invoice]:
    locked = contract_lock(invoice.contract)
    mine = Invoice.objects.select_for_update().get(pk=invoice.pk, contract=locked)
    return locked, mine


def invoice_submit(*, actor: Actor, contract: Contract, data: InvoiceData) -> Invoice:
    """The supplier's invoice against a met delivery of its contract in force.

    Refused for a delivery of another contract or not yet met, an invoice dated after today,
    and an amount over what the contract leaves to invoice (its value less the invoices
    accepted or awaiting the buyer)."""
    require_supplier(actor, contract)
    reference = clean_text(
        data.reference,
        "reference",
        missing=_("Give your invoice's number."),
        model=Invoice,
    )
    amount = clean_amount(data.amount, "amount")
    issued_on = clean_date(data.issued_on, "issued_on", missing=_("Give the invoice's date."))
    if not isinstance(data.milestone, Milestone) or data.milestone.contract_id != contract.pk:
        raise ValidationFailed(_("Choose one of this contract's deliveries."), field="milestone")
    checked = check_upload(data.upload)
    with transaction.atomic():
        locked = contract_lock(contract)
        transition(locked, "invoice", TRANSITIONS)
        milestone = Milestone.objects.get(pk=data.milestone.pk, contract=locked)
        if milestone.status != MilestoneStatus.MET:
            raise InvalidTransition(
                _(
                    "This delivery is not recorded as met yet; invoice it once the buyer has "
                    "received it."
                ),
                code="milestone_not_met",
            )
        received_on = today_of(locked.buyer)
        if issued_on > received_on:
            raise ValidationFailed(
                _("The invoice cannot be dated after today (%(today)s).")
                % {"today": received_on.isoformat()},
                field="issued_on",
            )
        waiting = Invoice.objects.filter(contract=locked, status=InvoiceStatus.SUBMITTED).aggregate(
            total=Sum("amount")
        )["total"] or Decimal(0)
        left = locked.value - locked.accepted_amount - waiting
        if amount > left:
            raise ValidationFailed(
                _(
                    "This amount is more than the contract leaves to invoice: %(left)s "
                    "%(currency)s (its value, less the invoices accepted or awaiting a decision)."
                )
                % {"left": max(left, Decimal(0)), "currency": locked.currency},
                field="amount",
            )
        term = invoice_due_term(contract=locked)
        invoice = Invoice(
            contract=locked,
            milestone=milestone,
            number=next_number(Invoice, locked),
            reference=reference,
            amount=amount,
            currency=locked.currency,
            issued_on=issued_on,
            received_on=received_on,
            submitted_at=clock.now(),
            submitted_by=actor.user,
            due_days=term.days,
            due_on=invoice_due_on(received_on=received_on, due_days=term.days),
            due_rule=term.rule,
            filename=checked.filename[-200:],
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
        )
        invoice.file.save(checked.sha256, checked.file, save=False)
        invoice.save()
        audit_record(
            actor=actor,
            action="invoice.submit",
            target=invoice,
            summary={
                "contract": locked.pk,
                "invoice": invoice.number,
                "milestone": milestone.number,
                "amount": amount,
                "due_on": invoice.due_on,
                "due_rule": term.rule,
                "sha256": checked.sha256,
            },
        )
    return invoice


def invoice_accept(*, actor: Actor, invoice: Invoice) -> Invoice:
    """The buyer accepts a submitted invoice: its amount counts against the contract's value
    (refused if the accepted invoices would then exceed it)."""
    require_buyer(actor, invoice.contract)
    with transaction.atomic():
        locked, mine = _invoice_lock(invoice)
        transition(locked, "settle", TRANSITIONS)
        transition(mine, "accept", INVOICE_TRANSITIONS)
        if locked.accepted_amount + mine.amount > locked.value:
            raise ValidationFailed(
                _(
                    "Accepting this invoice would take the accepted invoices over the "
                    "contract's value (%(value)s %(currency)s); reject it, or amend the value "
                    "first."
                )
                % {"value": locked.value, "currency": locked.currency},
                code="over_contract_value",
            )
        locked.accepted_amount += mine.amount
        locked.save(update_fields=["accepted_amount"])
        mine.decided_at, mine.decided_by = clock.now(), actor.user
        mine.save(update_fields=["status", "decided_at", "decided_by"])
        audit_record(
            actor=actor,
            action="invoice.accept",
            target=mine,
            summary={"contract": locked.pk, "invoice": mine.number, "amount": mine.amount},
        )
    return mine


def invoice_reject(*, actor: Actor, invoice: Invoice, reason: str) -> Invoice:
    """The buyer rejects a submitted invoice, saying why (the supplier may submit a corrected
    one)."""
    require_buyer(actor, invoice.contract)
    text = clean_text(reason, "reason", missing=_("Say why the invoice is rejected."))
    with transaction.atomic():
        locked, mine = _invoice_lock(invoice)
        transition(locked, "settle", TRANSITIONS)
        transition(mine, "reject", INVOICE_TRANSITIONS)
        mine.decided_at, mine.decided_by = clock.now(), actor.user
        mine.rejection_reason = text
        mine.save(update_fields=["status", "decided_at", "decided_by", "rejection_reason"])
        audit_record(
            actor=actor,
            action="invoice.reject",
            target=mine,
            summary={"contract": locked.pk, "invoice": mine.number, "reason": text},
        )
    return mine


def payment_record(*, actor: Actor, invoice: Invoice, data: PaymentData) -> Payment:
    """The buyer records a payment of an accepted invoice, made on `data.paid_on` (not after
    today in its calendar, nor before the invoice was received), of at most what is left to
    pay. The payment that completes the invoice marks it paid, with the days it took and
    whether it was late. Published (`implementation`)."""
    require_buyer(actor, invoice.contract)
    amount = clean_amount(data.amount, "amount")
    paid_on = clean_date(data.paid_on, "paid_on", missing=_("Give the date of the payment."))
    with transaction.atomic():
        locked, mine = _invoice_lock(invoice)
        transition(locked, "settle", TRANSITIONS)
        transition(mine, "pay", INVOICE_TRANSITIONS)
        if paid_on > today_of(locked.buyer):
            raise ValidationFailed(
                _("A payment cannot be recorded in the future."), field="paid_on"
            )
        if paid_on < mine.received_on:
            raise ValidationFailed(
                _("A payment cannot be dated before the invoice was received (%(date)s).")
                % {"date": mine.received_on.isoformat()},
                field="paid_on",
            )
        left = mine.amount - mine.paid_amount
        if amount > left:
            raise ValidationFailed(
                _("This is more than is left to pay of the invoice: %(left)s %(currency)s.")
                % {"left": left, "currency": mine.currency},
                field="amount",
            )
        payment = Payment.objects.create(
            contract=locked,
            invoice=mine,
            number=next_number(Payment, locked),
            amount=amount,
            currency=mine.currency,
            paid_on=paid_on,
            recorded_at=clock.now(),
            recorded_by=actor.user,
        )
        mine.paid_amount += amount
        fields = ["paid_amount"]
        if mine.paid_amount == mine.amount:
            transition(mine, "settle", INVOICE_TRANSITIONS)
            # Payments may be recorded out of order: the invoice is paid on the latest date.
            last = max(Payment.objects.filter(invoice=mine).values_list("paid_on", flat=True))
            mine.paid_on = last
            mine.days_to_pay = (last - mine.received_on).days
            fields += ["status", "paid_on", "days_to_pay"]
        mine.save(update_fields=fields)
        audit_record(
            actor=actor,
            action="payment.record",
            target=mine,
            summary={
                "contract": locked.pk,
                "invoice": mine.number,
                "amount": amount,
                "paid_on": paid_on,
                "late": paid_on > mine.due_on,
            },
        )
        publication_record(ocid=contract_process(locked).ocid, tag=ReleaseTag.IMPLEMENTATION)
    return payment
