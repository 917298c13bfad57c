"""Sub-opportunities, the answers of suppliers, and the subcontracts of a contract with their
payments.

A supplier posts a `SubOpportunity` for part of the work of a tender it is bidding for (while the
tender is open for bids) or of a contract it holds (signed by the buyer, not ended); other
suppliers `Answer` it (one standing answer per organization; MSMEs only when it is reserved);
the poster chooses one. A `Subcontract` records, on the prime's contract, who does part of the
work, for how much, and the subcontractor's scale at that moment (a snapshot: the figures of
the contract do not move when the firm grows); its `SubcontractPayment`s record what the prime
paid. Subcontracts and payments are public and published in the contract's release.

The database checks what one row can: positive amounts and prices, one standing answer per
organization, a subcontract's payments (`paid_amount`) never above its value, one subcontract
per chosen answer, exactly one of a tender or a contract per sub-opportunity.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pregon.core import clock
from pregon.core.procurement import ClassificationScheme, Currency
from pregon.organizations.choices import Scale
from pregon.subcontracting.choices import (
    ANSWER_STANDING,
    MSME_SCALES,
    AnswerStatus,
    Reservation,
    SubOpportunityStatus,
)


class SubOpportunity(models.Model):
    """Part of the work of a tender or a contract, offered by its (future) prime contractor.

    Its life, as `choices.TRANSITIONS` writes it::

                 answer (others)
                    ┌──┐
                    │  ▼        close            pick (the poster)
        post ──▶ ┌────────┐ ─────────▶ ┌────────┐ ────────────▶ ┌─────────┐
                 │  open  │            │ closed │               │ awarded │
                 └───┬────┘ ──────────────────────────────────▶ └─────────┘
                     │ cancel           │ cancel      pick
                     ▼                  ▼
                 ┌──────────────────────────┐
                 │        cancelled         │
                 └──────────────────────────┘

    Answers are taken while it is open and its closing time is ahead (`closes_at`, read under
    the row lock); the poster may choose an answer before or after that time.
    """

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("posted by"),
        on_delete=models.PROTECT,
        related_name="sub_opportunities",
    )
    tender = models.ForeignKey(
        "tenders.Tender",
        verbose_name=_("tender"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sub_opportunities",
    )
    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("contract"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sub_opportunities",
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"))
    classification_scheme = models.CharField(
        _("classification scheme"),
        max_length=8,
        choices=ClassificationScheme.choices,
        blank=True,
    )
    classification_code = models.CharField(_("classification code"), max_length=16, blank=True)
    estimated_value = models.DecimalField(_("estimated value"), max_digits=18, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    closes_at = models.DateTimeField(_("answers accepted until"))
    reserved = models.CharField(
        _("who may answer"), max_length=8, choices=Reservation.choices, default=Reservation.OPEN
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=SubOpportunityStatus.choices,
        default=SubOpportunityStatus.OPEN,
        db_index=True,
    )
    posted_at = models.DateTimeField(_("posted"), default=clock.now)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    cancellation_reason = models.TextField(_("reason for cancellation"), blank=True)

    class Meta:
        verbose_name = _("sub-opportunity")
        verbose_name_plural = _("sub-opportunities")
        ordering = ["-posted_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=SubOpportunityStatus.values),
                name="subopportunity_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(reserved__in=Reservation.values), name="subopportunity_reserved_valid"
            ),
            # Exactly one of a tender or a contract.
            models.CheckConstraint(
                condition=Q(tender__isnull=False, contract__isnull=True)
                | Q(tender__isnull=True, contract__isnull=False),
                name="subopportunity_tender_or_contract",
            ),
            models.CheckConstraint(
                condition=Q(estimated_value__gt=0), name="subopportunity_value_positive"
            ),
            models.CheckConstraint(condition=~Q(title=""), name="subopportunity_has_title"),
            models.CheckConstraint(
                condition=Q(classification_scheme="", classification_code="")
                | (~Q(classification_scheme="") & ~Q(classification_code="")),
                name="subopportunity_classification_pair",
            ),
            models.CheckConstraint(
                condition=Q(status=SubOpportunityStatus.OPEN, ended_at__isnull=True)
                | (~Q(status=SubOpportunityStatus.OPEN) & Q(ended_at__isnull=False)),
                name="subopportunity_ended_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status=SubOpportunityStatus.CANCELLED) | ~Q(cancellation_reason=""),
                name="subopportunity_cancellation_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return _("Sub-opportunity %(number)s: %(title)s") % {"number": self.pk, "title": self.title}

    def get_absolute_url(self) -> str:
        return reverse("subcontracting:detail", kwargs={"pk": self.pk})

    @property
    def is_reserved(self) -> bool:
        """Whether only MSMEs may answer it."""
        return self.reserved == Reservation.MSME

    def accepts_answers(self, now: dt.datetime | None = None) -> bool:
        """Whether it is open and its closing time is ahead (`now`, else the clock)."""
        moment = now if now is not None else clock.now()
        return self.status == SubOpportunityStatus.OPEN and self.closes_at > moment


class Answer(models.Model):
    """A supplier's offer to do a sub-opportunity's work: its price and a note.

    One standing answer per organization (submitted, chosen or not chosen); a withdrawn answer
    may be followed by a new one while the sub-opportunity takes answers.
    """

    opportunity = models.ForeignKey(
        SubOpportunity,
        verbose_name=_("sub-opportunity"),
        on_delete=models.PROTECT,
        related_name="answers",
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        related_name="sub_answers",
    )
    price = models.DecimalField(_("price"), max_digits=18, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    note = models.TextField(_("note"), blank=True)
    # The answering organization's scale when it answered, shown to the poster.
    scale = models.CharField(_("scale"), max_length=16, choices=Scale.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=AnswerStatus.choices, default=AnswerStatus.SUBMITTED
    )
    submitted_at = models.DateTimeField(_("submitted"), default=clock.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("answer to a sub-opportunity")
        verbose_name_plural = _("answers to sub-opportunities")
        ordering = ["opportunity", "price", "submitted_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=AnswerStatus.values), name="subanswer_status_valid"
            ),
            models.CheckConstraint(condition=Q(price__gt=0), name="subanswer_price_positive"),
            models.UniqueConstraint(
                fields=["opportunity", "organization"],
                condition=Q(status__in=sorted(ANSWER_STANDING)),
                name="subanswer_one_standing_per_organization",
            ),
            # At most one chosen answer per sub-opportunity.
            models.UniqueConstraint(
                fields=["opportunity"],
                condition=Q(status=AnswerStatus.CHOSEN),
                name="subanswer_one_chosen",
            ),
            models.CheckConstraint(
                condition=Q(status=AnswerStatus.SUBMITTED, decided_at__isnull=True)
                | (~Q(status=AnswerStatus.SUBMITTED) & Q(decided_at__isnull=False)),
                name="subanswer_decided_has_date",
            ),
        ]

    def __str__(self) -> str:
        return _("Answer %(number)s") % {"number": self.pk}

    @property
    def is_msme(self) -> bool:
        return self.scale in MSME_SCALES


class Subcontract(models.Model):
    """Part of a contract's work done by another supplier, for a value, recorded by the prime
    (the contract's supplier).

    `scale` is the subcontractor's scale when it was recorded: the share paid to MSMEs reads
    it, so a firm that grows later does not change what a past contract reports.
    """

    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("contract"),
        on_delete=models.PROTECT,
        related_name="subcontracts",
    )
    # The contract's supplier, copied so that a prime's subcontracts read without a join.
    prime = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("prime contractor"),
        on_delete=models.PROTECT,
        related_name="subcontracts_given",
    )
    subcontractor = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("subcontractor"),
        on_delete=models.PROTECT,
        related_name="subcontracts_held",
    )
    number = models.PositiveIntegerField(_("number"))
    answer = models.OneToOneField(
        Answer,
        verbose_name=_("chosen answer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subcontract",
    )
    description = models.TextField(_("work subcontracted"))
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    scale = models.CharField(_("scale of the subcontractor"), max_length=16, choices=Scale.choices)
    paid_amount = models.DecimalField(_("paid"), max_digits=18, decimal_places=2, default=0)
    recorded_at = models.DateTimeField(_("recorded"), default=clock.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("subcontract")
        verbose_name_plural = _("subcontracts")
        ordering = ["contract", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "number"], name="subcontract_number_unique"
            ),
            models.CheckConstraint(condition=Q(value__gt=0), name="subcontract_value_positive"),
            models.CheckConstraint(
                condition=Q(paid_amount__gte=0) & Q(paid_amount__lte=F("value")),
                name="subcontract_paid_within_value",
            ),
            models.CheckConstraint(
                condition=~Q(subcontractor=F("prime")), name="subcontract_not_to_itself"
            ),
            models.CheckConstraint(
                condition=Q(scale__in=Scale.values), name="subcontract_scale_valid"
            ),
            models.CheckConstraint(
                condition=~Q(description=""), name="subcontract_has_description"
            ),
        ]

    def __str__(self) -> str:
        return _("Subcontract %(number)s") % {"number": self.number}

    @property
    def ocds_id(self) -> str:
        """Its id among the contract's `subcontracts` in published data."""
        return f"subcontract-{self.number}"

    @property
    def is_msme(self) -> bool:
        """Whether the subcontractor was an MSME when the subcontract was recorded."""
        return self.scale in MSME_SCALES

    @property
    def left_to_pay(self) -> Decimal:
        return self.value - self.paid_amount


class SubcontractPayment(models.Model):
    """A payment the prime made to a subcontractor, on the date it gives."""

    subcontract = models.ForeignKey(
        Subcontract,
        verbose_name=_("subcontract"),
        on_delete=models.PROTECT,
        related_name="payments",
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
        verbose_name = _("payment to a subcontractor")
        verbose_name_plural = _("payments to subcontractors")
        ordering = ["subcontract", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["subcontract", "number"], name="subcontract_payment_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="subcontract_payment_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return _("Payment %(number)s") % {"number": self.number}
