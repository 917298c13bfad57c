"""Contracts signed from awards, their amendments, deliveries (milestones), invoices and payments.

One `Contract` per active award (a new one only once the previous is cancelled or terminated);
its `ContractDocument`s, `ContractAmendment`s (each keeping the values before and after) and
`Milestone`s; the supplier's `Invoice`s, each against a milestone, and the buyer's `Payment`s of
them. Every change goes through a service (`services/`), on locked rows, with its audit row;
every public change publishes an OCDS release in the same transaction.

Amounts the database can check on one row are checked there: a contract's accepted invoices
(`accepted_amount`) never exceed its value, an invoice's payments (`paid_amount`) never exceed
its amount.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pregon.contracts.choices import (
    CONTRACT_IN_FORCE_ONCE,
    CONTRACT_PUBLIC,
    CONTRACT_STANDING,
    ContractDocumentType,
    ContractStatus,
    InvoiceStatus,
    MilestoneStatus,
)
from pregon.core import clock

_SIGNED_BY_BUYER = sorted(CONTRACT_PUBLIC)
_SIGNED_BY_BOTH = sorted(CONTRACT_IN_FORCE_ONCE)
_ENDED = [ContractStatus.COMPLETED, ContractStatus.TERMINATED, ContractStatus.CANCELLED]


class Contract(models.Model):
    """The contract of one awarded lot, between its buyer and the awarded supplier.

    Its life, as `choices.TRANSITIONS` writes it::

                  edit, add_milestone        add_milestone
                     ┌──┐                       ┌──┐
                     │  ▼                       │  ▼
        draft ──▶ ┌─────────┐ sign (buyer) ┌────────┐ confirm (supplier) ┌────────┐
                  │ pending ├─────────────▶│ signed ├───────────────────▶│ active │
                  └────┬────┘              └───┬────┘                    └───┬────┘
                       │ cancel                │ cancel       amend, add_milestone, meet,
                       ▼                       ▼              invoice, settle (loops)
                  ┌──────────────────────────────┐           complete │     │ terminate
                  │          cancelled           │                    ▼     ▼
                  └──────────────────────────────┘        ┌───────────┐ ┌────────────┐
                                                          │ completed │ │ terminated │
                                                          └───────────┘ └────────────┘

    The value and currency come from the award; the value changes only by an amendment. A draft
    is the buyer's alone; the buyer's signature publishes the contract (OCDS `pending`), the
    supplier's confirmation puts it in force (`active`, `dateSigned`). Invoices are decided and
    paid (`settle`) also after the contract has ended.
    """

    # Both empty for a purchase order issued from a quick quote (ADR 0020): its procedure is
    # found through `processes.contract_process`.
    tender = models.ForeignKey(
        "tenders.Tender",
        verbose_name=_("tender"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    award = models.ForeignKey(
        "evaluation.Award",
        verbose_name=_("award"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    # The tender's buyer and the award's supplier, copied so that reads by organization (a
    # buyer's payment figures, a supplier's contracts) need no join through the award.
    buyer = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("buyer"),
        on_delete=models.PROTECT,
        related_name="contracts_bought",
    )
    supplier = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("supplier"),
        on_delete=models.PROTECT,
        related_name="contracts_supplied",
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    period_start = models.DateField(_("start of the period"))
    period_end = models.DateField(_("end of the period"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ContractStatus.choices,
        default=ContractStatus.PENDING,
    )
    # The total of the accepted invoices (paid or not): never more than the value.
    accepted_amount = models.DecimalField(
        _("invoices accepted"), max_digits=18, decimal_places=2, default=0
    )
    buyer_signatory = models.CharField(_("signed for the buyer by"), max_length=200, blank=True)
    buyer_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("buyer's signature given by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    buyer_signed_at = models.DateTimeField(_("signed by the buyer"), null=True, blank=True)
    supplier_signatory = models.CharField(
        _("signed for the supplier by"), max_length=200, blank=True
    )
    supplier_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("supplier's signature given by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    supplier_signed_at = models.DateTimeField(_("confirmed by the supplier"), null=True, blank=True)
    # When the supplier's people were e-mailed that the signed contract awaits them (once).
    confirmation_requested_at = models.DateTimeField(
        _("confirmation requested"), null=True, blank=True
    )
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    # Why a contract was terminated or cancelled; for a completed one, an optional note.
    end_reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("drafted"), default=clock.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafted by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["tender", "created_at", "pk"]
        indexes = [models.Index(fields=["buyer", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ContractStatus.values), name="contract_status_valid"
            ),
            models.UniqueConstraint(
                fields=["award"],
                condition=Q(status__in=sorted(CONTRACT_STANDING)),
                name="contract_one_standing_per_award",
            ),
            # A tender's contract names its award; a purchase order names neither.
            models.CheckConstraint(
                condition=(Q(tender__isnull=False) & Q(award__isnull=False))
                | (Q(tender__isnull=True) & Q(award__isnull=True)),
                name="contract_tender_and_award_together",
            ),
            models.CheckConstraint(condition=Q(value__gt=0), name="contract_value_positive"),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="contract_period_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(accepted_amount__gte=0) & Q(accepted_amount__lte=F("value")),
                name="contract_accepted_within_value",
            ),
            models.CheckConstraint(condition=~Q(title=""), name="contract_has_title"),
            # The buyer's signature: on every contract it signed, on no draft.
            models.CheckConstraint(
                condition=(
                    Q(status__in=_SIGNED_BY_BUYER)
                    & Q(buyer_signed_at__isnull=False)
                    & ~Q(buyer_signatory="")
                )
                | (Q(status=ContractStatus.PENDING) & Q(buyer_signed_at__isnull=True))
                | Q(status=ContractStatus.CANCELLED),
                name="contract_buyer_signature",
            ),
            # The supplier's: on every contract that came into force, on no other.
            models.CheckConstraint(
                condition=(
                    Q(status__in=_SIGNED_BY_BOTH)
                    & Q(supplier_signed_at__isnull=False)
                    & ~Q(supplier_signatory="")
                    & Q(supplier_signed_at__gte=F("buyer_signed_at"))
                )
                | (~Q(status__in=_SIGNED_BY_BOTH) & Q(supplier_signed_at__isnull=True)),
                name="contract_supplier_signature",
            ),
            models.CheckConstraint(
                condition=(Q(status__in=_ENDED) & Q(ended_at__isnull=False))
                | (~Q(status__in=_ENDED) & Q(ended_at__isnull=True)),
                name="contract_ended_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[ContractStatus.TERMINATED, ContractStatus.CANCELLED])
                | ~Q(end_reason=""),
                name="contract_termination_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return _("Contract %(number)s: %(title)s") % {"number": self.pk, "title": self.title}

    def get_absolute_url(self) -> str:
        return reverse("contracts:detail", kwargs={"pk": self.pk})

    @property
    def is_public(self) -> bool:
        """Whether the contract is published: the buyer signed it (a draft never is, nor a
        draft cancelled before it was signed)."""
        return self.buyer_signed_at is not None

    @property
    def ocds_id(self) -> str:
        """The contract's id in published data (`contracts[].id`)."""
        return f"contract-{self.pk}"

    @property
    def available_amount(self) -> Decimal:
        """What the supplier may still invoice: the value less the accepted invoices."""
        return self.value - self.accepted_amount


def contract_document_path(instance: ContractDocument, filename: str) -> str:
    # The stored name is the content hash: names supplied by people never reach the disk.
    return f"contracts/{instance.contract_id}/{instance.sha256}"


class ContractDocument(models.Model):
    """A document of a contract (the signed text, an annex...): public once the buyer signs."""

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.PROTECT, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=300)
    document_type = models.CharField(_("type"), max_length=32, choices=ContractDocumentType.choices)
    file = models.FileField(_("file"), upload_to=contract_document_path, max_length=200)
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("format"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    amendment = models.ForeignKey(
        "ContractAmendment",
        verbose_name=_("added by amendment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=clock.now)

    class Meta:
        verbose_name = _("contract document")
        verbose_name_plural = _("contract documents")
        ordering = ["contract", "uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(document_type__in=ContractDocumentType.values),
                name="contract_document_type_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("contracts:document", kwargs={"pk": self.contract_id, "doc": self.pk})


class ContractAmendment(models.Model):
    """A change to a contract in force, with its reason and the values before and after.

    Each changed value keeps both (None on both sides: not changed), so the history of a
    contract's value, end date and description is read from its amendments in order.
    """

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.PROTECT, related_name="amendments"
    )
    number = models.PositiveIntegerField(_("number"))
    reason = models.TextField(_("reason"))
    previous_value = models.DecimalField(
        _("value before"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    new_value = models.DecimalField(
        _("value after"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    previous_period_end = models.DateField(_("end of the period before"), null=True, blank=True)
    new_period_end = models.DateField(_("end of the period after"), null=True, blank=True)
    # None: the description did not change; "" is a description changed to nothing.
    previous_description = models.TextField(  # noqa: DJ001
        _("description before"), null=True, blank=True
    )
    new_description = models.TextField(_("description after"), null=True, blank=True)  # noqa: DJ001
    created_at = models.DateTimeField(_("date"), default=clock.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("contract amendment")
        verbose_name_plural = _("contract amendments")
        ordering = ["contract", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "number"], name="contract_amendment_number_unique"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="contract_amendment_has_reason"),
            models.CheckConstraint(
                condition=(Q(previous_value__isnull=True) & Q(new_value__isnull=True))
                | (Q(previous_value__isnull=False) & Q(new_value__gt=0)),
                name="contract_amendment_value_pair",
            ),
            models.CheckConstraint(
                condition=Q(previous_period_end__isnull=True, new_period_end__isnull=True)
                | Q(previous_period_end__isnull=False, new_period_end__isnull=False),
                name="contract_amendment_period_pair",
            ),
            models.CheckConstraint(
                condition=Q(previous_description__isnull=True, new_description__isnull=True)
                | Q(previous_description__isnull=False, new_description__isnull=False),
                name="contract_amendment_description_pair",
            ),
            models.CheckConstraint(
                condition=Q(new_value__isnull=False)
                | Q(new_period_end__isnull=False)
                | Q(new_description__isnull=False),
                name="contract_amendment_changes_something",
            ),
        ]

    def __str__(self) -> str:
        return _("Amendment %(number)s") % {"number": self.number}

    @property
    def changes_value(self) -> bool:
        return self.new_value is not None

    @property
    def changes_period(self) -> bool:
        return self.new_period_end is not None

    @property
    def changes_description(self) -> bool:
        return self.new_description is not None


class Milestone(models.Model):
    """A delivery the contract expects by a date; the buyer records the date it was met."""

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.PROTECT, related_name="milestones"
    )
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=MilestoneStatus.choices,
        default=MilestoneStatus.SCHEDULED,
    )
    date_met = models.DateField(_("date met"), null=True, blank=True)
    met_recorded_at = models.DateTimeField(_("recorded as met"), null=True, blank=True)
    created_at = models.DateTimeField(_("added"), default=clock.now)

    class Meta:
        verbose_name = _("contract delivery")
        verbose_name_plural = _("contract deliveries")
        ordering = ["contract", "number"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="milestone_number_unique"),
            models.CheckConstraint(
                condition=Q(status__in=MilestoneStatus.values), name="milestone_status_valid"
            ),
            models.CheckConstraint(condition=~Q(title=""), name="milestone_has_title"),
            models.CheckConstraint(
                condition=Q(
                    status=MilestoneStatus.MET,
                    date_met__isnull=False,
                    met_recorded_at__isnull=False,
                )
                | Q(
                    status=MilestoneStatus.SCHEDULED,
                    date_met__isnull=True,
                    met_recorded_at__isnull=True,
                ),
                name="milestone_met_has_date",
            ),
        ]

    def __str__(self) -> str:
        return _("Delivery %(number)s: %(title)s") % {"number": self.number, "title": self.title}


def invoice_document_path(instance: Invoice, filename: str) -> str:
    return f"contracts/{instance.contract_id}/invoices/{instance.sha256}"


class Invoice(models.Model):
    """A supplier's invoice against one delivery of its contract.

    The buyer accepts it (its amount then counts against the contract's value) or rejects it
    with the reason, and records its payments. It is due `due_days` calendar days after the day
    the buyer received it (`received_on`, in the buyer's zone), on `due_on`, by the rule
    `due_rule` of its tender's rule pack (or the platform's setting); it is paid late when
    the payment that completes it is dated after `due_on`. `days_to_pay` (from `received_on`
    to that payment's date) is stored once it is paid, for the buyer's figures.
    """

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.PROTECT, related_name="invoices"
    )
    milestone = models.ForeignKey(
        Milestone,
        verbose_name=_("contract delivery"),
        on_delete=models.PROTECT,
        related_name="invoices",
    )
    number = models.PositiveIntegerField(_("number"))
    reference = models.CharField(_("supplier's invoice number"), max_length=64)
    amount = models.DecimalField(_("amount"), max_digits=18, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    issued_on = models.DateField(_("invoice date"))
    received_on = models.DateField(_("received"))
    submitted_at = models.DateTimeField(_("submitted"), default=clock.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    due_days = models.PositiveSmallIntegerField(_("days to pay"))
    due_on = models.DateField(_("due date"))
    # The rule that set `due_days` (``CODE@VERSION:key`` of the tender's rule pack), or "" for
    # the platform's PREGON_INVOICE_DUE_DAYS (`terms.invoice_due_term`).
    due_rule = models.CharField(_("rule of the payment term"), max_length=200, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=InvoiceStatus.choices,
        default=InvoiceStatus.SUBMITTED,
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    rejection_reason = models.TextField(_("reason for the rejection"), blank=True)
    paid_amount = models.DecimalField(_("paid"), max_digits=18, decimal_places=2, default=0)
    paid_on = models.DateField(_("paid in full on"), null=True, blank=True)
    days_to_pay = models.PositiveIntegerField(_("days taken to pay"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to=invoice_document_path, max_length=200)
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("format"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["contract", "number"]
        indexes = [models.Index(fields=["status", "due_on"])]
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="invoice_number_unique"),
            models.CheckConstraint(
                condition=Q(status__in=InvoiceStatus.values), name="invoice_status_valid"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="invoice_amount_positive"),
            models.CheckConstraint(condition=~Q(reference=""), name="invoice_has_reference"),
            models.CheckConstraint(
                condition=Q(issued_on__lte=F("received_on")),
                name="invoice_issued_before_received",
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=F("received_on")), name="invoice_due_after_received"
            ),
            models.CheckConstraint(
                condition=Q(paid_amount__gte=0) & Q(paid_amount__lte=F("amount")),
                name="invoice_paid_within_amount",
            ),
            # Submitted: not decided; rejected: decided with the reason; accepted or paid:
            # decided without one.
            models.CheckConstraint(
                condition=Q(
                    status=InvoiceStatus.SUBMITTED, decided_at__isnull=True, rejection_reason=""
                )
                | (
                    Q(status=InvoiceStatus.REJECTED, decided_at__isnull=False)
                    & ~Q(rejection_reason="")
                )
                | Q(
                    status__in=[InvoiceStatus.ACCEPTED, InvoiceStatus.PAID],
                    decided_at__isnull=False,
                    rejection_reason="",
                ),
                name="invoice_decision_consistent",
            ),
            # Money is paid on accepted invoices only; paid means paid in full, with the date.
            models.CheckConstraint(
                condition=Q(
                    status=InvoiceStatus.PAID,
                    paid_amount=F("amount"),
                    paid_on__isnull=False,
                    days_to_pay__isnull=False,
                )
                | Q(status=InvoiceStatus.ACCEPTED, paid_on__isnull=True, days_to_pay__isnull=True)
                | Q(
                    status__in=[InvoiceStatus.SUBMITTED, InvoiceStatus.REJECTED],
                    paid_amount=0,
                    paid_on__isnull=True,
                    days_to_pay__isnull=True,
                ),
                name="invoice_payment_consistent",
            ),
            models.CheckConstraint(
                condition=Q(paid_on__isnull=True) | Q(paid_on__gte=F("received_on")),
                name="invoice_paid_after_received",
            ),
        ]

    def __str__(self) -> str:
        return _("Invoice %(number)s (%(reference)s)") % {
            "number": self.number,
            "reference": self.reference,
        }

    @property
    def paid_late(self) -> bool:
        """Whether it was paid in full after its due date."""
        return self.paid_on is not None and self.paid_on > self.due_on

    @property
    def left_to_pay(self) -> Decimal:
        """What is still to be paid of an accepted invoice."""
        return self.amount - self.paid_amount


class Payment(models.Model):
    """A payment the buyer made of (part of) an accepted invoice, on the date it gives."""

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.PROTECT, related_name="payments"
    )
    invoice = models.ForeignKey(
        Invoice, verbose_name=_("invoice"), on_delete=models.PROTECT, related_name="payments"
    )
    number = models.PositiveIntegerField(_("number"))
    amount = models.DecimalField(_("amount"), max_digits=18, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    paid_on = models.DateField(_("date paid"))
    recorded_at = models.DateTimeField(_("recorded"), default=clock.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["contract", "number"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="payment_number_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
        ]

    def __str__(self) -> str:
        return _("Payment %(number)s") % {"number": self.number}
