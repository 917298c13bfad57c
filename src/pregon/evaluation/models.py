"""The evaluation of a tender's bids, lot by lot, by its committee after the opening.

One `Evaluation` per lot; one `BidAssessment` per opened bid that offers a price for that lot;
one `QualityScore` per assessment and quality criterion when the tender is awarded on weighted
criteria. Every change goes through a service (`services/`), on locked rows, with its audit row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from pregon.core import clock
from pregon.evaluation.choices import (
    Compliance,
    EvaluationStatus,
    Justification,
)


class Evaluation(models.Model):
    """The committee's evaluation of one lot's bids.

    Its life, as `choices.TRANSITIONS` writes it::

                 request_justification                 resume (every justification decided)
        ┌─────────────┐ ─────────────────▶ ┌─────────────────────────┐ ─────────┐
        │ in_progress │                    │ justification_requested │          │
        └──────┬──────┘ ◀──────────────────┴─────────────────────────┘ ◀────────┘
               │ complete (every bid checked, scored, every low price decided)
               ▼
        ┌───────────┐
        │ completed │  the ranking, the adjustments and the report are fixed and published
        └───────────┘

    `assess` (compliance, quality points) is allowed in the first two states; `answer` and
    `decide` (a justification) only while justifications are awaited.
    """

    tender = models.ForeignKey(
        "tenders.Tender",
        verbose_name=_("tender"),
        on_delete=models.PROTECT,
        related_name="evaluations",
    )
    lot = models.OneToOneField(
        "tenders.Lot", verbose_name=_("lot"), on_delete=models.PROTECT, related_name="evaluation"
    )
    status = models.CharField(
        _("status"),
        max_length=24,
        choices=EvaluationStatus.choices,
        default=EvaluationStatus.IN_PROGRESS,
    )
    # The rule in force when it started (PREGON_ABNORMALLY_LOW_PERCENT), kept for the report.
    abnormally_low_percent = models.DecimalField(
        _("abnormally low: percent below"), max_digits=5, decimal_places=2
    )
    started_at = models.DateTimeField(_("started"), default=clock.now)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    # The final ranking, after the adjustments: [{"bid": bid id, "rank": 1, ...}].
    ranking = models.JSONField(_("ranking"), null=True, blank=True)
    # The adjustments the country rule pack made: [{"rule", "explanation", "bid"}].
    adjustments = models.JSONField(_("adjustments of the ranking"), default=list, blank=True)

    class Meta:
        verbose_name = _("evaluation of a lot")
        verbose_name_plural = _("evaluations of lots")
        ordering = ["tender", "lot__number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=EvaluationStatus.values), name="evaluation_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(abnormally_low_percent__gte=0) & Q(abnormally_low_percent__lte=100),
                name="evaluation_abnormally_low_percent_range",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status=EvaluationStatus.COMPLETED)
                    & Q(completed_at__isnull=False)
                    & Q(ranking__isnull=False)
                )
                | (
                    ~Q(status=EvaluationStatus.COMPLETED)
                    & Q(completed_at__isnull=True)
                    & Q(ranking__isnull=True)
                ),
                name="evaluation_completed_has_ranking",
            ),
        ]

    def __str__(self) -> str:
        return _("Evaluation of lot %(lot)s of tender %(tender)s") % {
            "lot": self.lot.number,
            "tender": self.tender_id,
        }

    @property
    def completed(self) -> bool:
        return self.status == EvaluationStatus.COMPLETED


class BidAssessment(models.Model):
    """One bid for one lot, as the committee assessed it.

    The price is the one the opening decrypted for the lot. Compliance is checked by the
    committee (a disqualification always says why, in words); the price points, the total and
    the rank are computed by the platform (`scoring`) after every change; the abnormally low
    flag too, by the rule of `PREGON_ABNORMALLY_LOW_PERCENT`. A flagged qualified bid must have
    its justification requested from the bidder, answered, and accepted, or rejected (which
    disqualifies it), before the lot's evaluation completes.
    """

    evaluation = models.ForeignKey(
        Evaluation,
        verbose_name=_("evaluation"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    bid = models.ForeignKey(
        "bids.Bid", verbose_name=_("bid"), on_delete=models.PROTECT, related_name="assessments"
    )
    supplier = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("supplier"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    price = models.DecimalField(_("price"), max_digits=18, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    received_at = models.DateTimeField(_("received"))
    compliance = models.CharField(
        _("compliance"), max_length=16, choices=Compliance.choices, default=Compliance.PENDING
    )
    reason = models.TextField(_("reason for the disqualification"), blank=True)
    price_points = models.DecimalField(
        _("price points"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    total_points = models.DecimalField(
        _("total points"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    abnormally_low = models.BooleanField(_("abnormally low price"), default=False)
    justification = models.CharField(
        _("justification"),
        max_length=16,
        choices=Justification.choices,
        default=Justification.NONE,
    )
    justification_request = models.TextField(_("what the committee asks"), blank=True)
    justification_answer = models.TextField(_("the bidder's justification"), blank=True)
    justification_decision = models.TextField(_("the committee's decision"), blank=True)
    requested_at = models.DateTimeField(_("justification requested"), null=True, blank=True)
    answered_at = models.DateTimeField(_("justification answered"), null=True, blank=True)
    decided_at = models.DateTimeField(_("justification decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("assessment of a bid")
        verbose_name_plural = _("assessments of bids")
        ordering = ["evaluation", "received_at", "bid"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "bid"], name="bid_assessment_once_per_lot"
            ),
            models.CheckConstraint(
                condition=Q(compliance__in=Compliance.values),
                name="bid_assessment_compliance_valid",
            ),
            models.CheckConstraint(
                condition=Q(justification__in=Justification.values),
                name="bid_assessment_justification_valid",
            ),
            models.CheckConstraint(condition=Q(price__gt=0), name="bid_assessment_price_positive"),
            # A disqualification always says why; a reason belongs to a disqualification only.
            models.CheckConstraint(
                condition=(Q(compliance=Compliance.DISQUALIFIED) & ~Q(reason=""))
                | (~Q(compliance=Compliance.DISQUALIFIED) & Q(reason="")),
                name="bid_assessment_disqualified_has_reason",
            ),
            # Points and ranks are for qualified bids only.
            models.CheckConstraint(
                condition=Q(compliance=Compliance.QUALIFIED)
                | (
                    Q(price_points__isnull=True)
                    & Q(total_points__isnull=True)
                    & Q(rank__isnull=True)
                ),
                name="bid_assessment_points_only_when_qualified",
            ),
            models.CheckConstraint(
                condition=Q(price_points__isnull=True)
                | (Q(price_points__gte=0) & Q(price_points__lte=100)),
                name="bid_assessment_price_points_range",
            ),
            models.CheckConstraint(
                condition=Q(total_points__isnull=True)
                | (Q(total_points__gte=0) & Q(total_points__lte=100)),
                name="bid_assessment_total_points_range",
            ),
            models.CheckConstraint(
                condition=Q(rank__isnull=True) | Q(rank__gte=1), name="bid_assessment_rank_positive"
            ),
            # A justification is requested only of a flagged price, with the request written.
            models.CheckConstraint(
                condition=Q(justification=Justification.NONE)
                | (
                    Q(abnormally_low=True)
                    & ~Q(justification_request="")
                    & Q(requested_at__isnull=False)
                ),
                name="bid_assessment_justification_requested",
            ),
            models.CheckConstraint(
                condition=~Q(
                    justification__in=[
                        Justification.ANSWERED,
                        Justification.ACCEPTED,
                    ]
                )
                | (~Q(justification_answer="") & Q(answered_at__isnull=False)),
                name="bid_assessment_justification_answered",
            ),
            models.CheckConstraint(
                condition=~Q(justification__in=[Justification.ACCEPTED, Justification.REJECTED])
                | (~Q(justification_decision="") & Q(decided_at__isnull=False)),
                name="bid_assessment_justification_decided",
            ),
            # A rejected justification disqualifies the bid.
            models.CheckConstraint(
                condition=~Q(justification=Justification.REJECTED)
                | Q(compliance=Compliance.DISQUALIFIED),
                name="bid_assessment_rejected_is_disqualified",
            ),
        ]

    def __str__(self) -> str:
        return _("Assessment of bid %(bid)s") % {"bid": str(self.bid_id)[:8]}


class QualityScore(models.Model):
    """The points the committee gave a bid on one quality criterion: 0 to the criterion's
    weight (copied here from the criterion, so that the database checks the range)."""

    assessment = models.ForeignKey(
        BidAssessment,
        verbose_name=_("assessment"),
        on_delete=models.CASCADE,
        related_name="scores",
    )
    criterion = models.ForeignKey(
        "tenders.AwardCriterion",
        verbose_name=_("criterion"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    weight = models.PositiveSmallIntegerField(_("weight (points)"))
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("quality score")
        verbose_name_plural = _("quality scores")
        ordering = ["assessment", "criterion__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion"], name="quality_score_once_per_criterion"
            ),
            models.CheckConstraint(
                condition=Q(points__gte=0) & Q(points__lte=F("weight")),
                name="quality_score_within_weight",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.points}"
