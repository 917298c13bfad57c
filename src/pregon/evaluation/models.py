"""The evaluation of a tender's bids, lot by lot, by its committee after the opening, and the
award decision that follows it.

One `Evaluation` per lot; one `BidAssessment` per opened bid that offers a price for that lot;
one `QualityScore` per assessment and quality criterion when the tender is awarded on weighted
criteria. Then one standing `Award` per lot (a cancelled one is replaced by a new decision), an
`AwardNotice` per bidder of the lot, and the `Complaint`s bidders file during the standstill,
with their `ComplaintDocument`s. Every change goes through a service (`services/`), on locked
rows, with its audit row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from pregon.core import clock
from pregon.evaluation.adjustments import stored_explanation
from pregon.evaluation.choices import (
    AWARD_STANDING,
    AwardNoticeKind,
    AwardStatus,
    ComplaintStatus,
    Compliance,
    CoverStatus,
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
               │                          offer_cover (the rule pack's fictitious tie)
               │   ───────────────────────────────────────▶ ┌───────────────┐
               ▼                                            │ cover_offered │
        ┌───────────┐ ◀──────────────────────────────────── └───────────────┘
        │ completed │  cover_answered (covered, let pass, or the deadline passed)
        └───────────┘  the ranking, the adjustments and the report are fixed and published

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

    An offer on a lot reserved for others (`tenders.rule_packs.lot_open_to`) is `ineligible`:
    the platform disqualifies it when the lot's evaluation starts (`services.eligibility`),
    with the rule's reason in each of the platform's languages (`reasons`; `reason` holds the
    tender's), and the committee cannot qualify it.
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
    ineligible = models.BooleanField(_("refused: the lot is reserved for others"), default=False)
    # The reason of a refusal by the rules, by language code ("en", "es", "pt-br", "fr"); the
    # committee's own reasons are kept in its words only, in `reason`.
    reasons = models.JSONField(_("reason in each language"), default=dict, blank=True)
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
            # An offer refused by the rules is disqualified, and says why.
            models.CheckConstraint(
                condition=Q(ineligible=False) | Q(compliance=Compliance.DISQUALIFIED),
                name="bid_assessment_ineligible_is_disqualified",
            ),
        ]

    def __str__(self) -> str:
        return _("Assessment of bid %(bid)s") % {"bid": str(self.bid_id)[:8]}

    @property
    def reason_shown(self) -> str:
        """The reason of the disqualification for the reader: a refusal by the rules in the
        active language, the committee's reason in its own words."""
        return stored_explanation(
            {"explanations": self.reasons, "explanation": self.reason}, get_language()
        )


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


class RightToCover(models.Model):
    """A rule pack's right to cover the best offer (Brazil's fictitious tie, LC 123/2006
    art. 44): the best-placed tied bid is invited to offer less than the best offer, by a
    deadline.

    Its life, as `choices.COVER_TRANSITIONS` writes it::

        offer_cover ──▶ ┌─────────┐ improve (a price below the best offer) ┌──────────┐
                        │ offered │ ─────────────────────────────────────▶ │ improved │
                        └────┬────┘                                        └──────────┘
                pass (bidder)│  lapse (the deadline passed, by the platform)
                    ┌────────┴─────────┐
                    ▼                  ▼
               ┌────────┐         ┌────────┐
               │ passed │         │ lapsed │
               └────────┘         └────────┘

    Any answer completes the lot's evaluation (`services.cover`). The covering price is not
    sealed: it is a declared improvement, recorded in the clear and published. At most one
    right to cover awaits its answer in a lot.
    """

    evaluation = models.ForeignKey(
        Evaluation,
        verbose_name=_("evaluation"),
        on_delete=models.PROTECT,
        related_name="covers",
    )
    assessment = models.ForeignKey(
        BidAssessment,
        verbose_name=_("invited bid"),
        on_delete=models.PROTECT,
        related_name="covers",
    )
    best = models.ForeignKey(
        BidAssessment,
        verbose_name=_("best offer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    best_price = models.DecimalField(_("best offer's price"), max_digits=18, decimal_places=2)
    pack = models.CharField(_("rule pack"), max_length=64)
    rule = models.CharField(_("rule"), max_length=64)
    status = models.CharField(
        _("status"), max_length=16, choices=CoverStatus.choices, default=CoverStatus.OFFERED
    )
    offered_at = models.DateTimeField(_("offered"))
    deadline = models.DateTimeField(_("deadline"))
    price = models.DecimalField(
        _("covering price"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        verbose_name = _("right to cover")
        verbose_name_plural = _("rights to cover")
        ordering = ["evaluation", "offered_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=CoverStatus.values), name="right_to_cover_status_valid"
            ),
            models.UniqueConstraint(
                fields=["evaluation"],
                condition=Q(status=CoverStatus.OFFERED),
                name="right_to_cover_one_open_per_lot",
            ),
            models.CheckConstraint(
                condition=Q(deadline__gt=F("offered_at")), name="right_to_cover_deadline_after"
            ),
            models.CheckConstraint(
                condition=Q(best_price__gt=0), name="right_to_cover_best_price_positive"
            ),
            models.CheckConstraint(
                condition=~Q(assessment=F("best")), name="right_to_cover_not_the_best_bid"
            ),
            # Only a covering answer has a price, and it is below the best offer.
            models.CheckConstraint(
                condition=(
                    Q(status=CoverStatus.IMPROVED) & Q(price__gt=0) & Q(price__lt=F("best_price"))
                )
                | (~Q(status=CoverStatus.IMPROVED) & Q(price__isnull=True)),
                name="right_to_cover_price_below_best",
            ),
            # An answer has its moment; an open invitation has none.
            models.CheckConstraint(
                condition=(Q(status=CoverStatus.OFFERED) & Q(answered_at__isnull=True))
                | (~Q(status=CoverStatus.OFFERED) & Q(answered_at__isnull=False)),
                name="right_to_cover_answered_has_date",
            ),
            # The bidder answers by the deadline; only the platform records a lapse after it.
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True)
                | Q(status=CoverStatus.LAPSED)
                | Q(answered_at__lte=F("deadline")),
                name="right_to_cover_answered_in_time",
            ),
            models.CheckConstraint(
                condition=~Q(status=CoverStatus.LAPSED) | Q(answered_at__gte=F("deadline")),
                name="right_to_cover_lapsed_after_deadline",
            ),
        ]

    def __str__(self) -> str:
        return _("Right to cover in lot %(lot)s") % {"lot": self.evaluation.lot.number}

    @property
    def open(self) -> bool:
        return self.status == CoverStatus.OFFERED


class Award(models.Model):
    """The buyer's decision on one lot, once its evaluation is completed.

    Its life, as `choices.AWARD_TRANSITIONS` writes it::

        award_decide ──▶ ┌────────────┐  end_standstill (time passed)   ┌────────┐
                         │ standstill │ ──────────────────────────────▶ │ active │ the contract
                         └─────┬──────┘ ◀───┐                      ┌──▶ └────────┘ may be signed
                      complain │            │ resume (every        │
                               ▼            │ complaint dismissed; │ resume (standstill over)
                         ┌───────────┐ ─────┘ standstill running)  │
                         │ suspended │ ────────────────────────────┘
                         └─────┬─────┘
                               │ cancel (a complaint upheld: the lot's evaluation reopens)
                               ▼
                         ┌───────────┐
                         │ cancelled │  a new decision follows the new evaluation
                         └───────────┘

        award_decide (no valid bid) ──▶ ┌──────────────┐
                                        │ unsuccessful │  final, with the reason
                                        └──────────────┘

    An awarded lot names the bid ranked first, its supplier and its price for the lot; an
    unsuccessful one names none of them and says why. At most one award per lot stands (every
    status but `cancelled`).
    """

    tender = models.ForeignKey(
        "tenders.Tender", verbose_name=_("tender"), on_delete=models.PROTECT, related_name="awards"
    )
    lot = models.ForeignKey(
        "tenders.Lot", verbose_name=_("lot"), on_delete=models.PROTECT, related_name="awards"
    )
    status = models.CharField(_("status"), max_length=16, choices=AwardStatus.choices)
    bid = models.ForeignKey(
        "bids.Bid",
        verbose_name=_("awarded bid"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="awards",
    )
    supplier = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("supplier"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="awards_won",
    )
    value_amount = models.DecimalField(
        _("value"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    # Why this bid (or why no bid): the buyer's justification, published.
    reason = models.TextField(_("reason"))
    decided_at = models.DateTimeField(_("decided"), default=clock.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    standstill_ends_at = models.DateTimeField(_("standstill ends"), null=True, blank=True)
    activated_at = models.DateTimeField(_("became final"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["tender", "lot__number", "decided_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=AwardStatus.values), name="award_status_valid"
            ),
            models.UniqueConstraint(
                fields=["lot"],
                condition=Q(status__in=sorted(AWARD_STANDING)),
                name="award_one_standing_per_lot",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="award_has_reason"),
            # An unsuccessful lot names no bid, supplier, value or standstill; any other award
            # names all of them, with a positive value.
            models.CheckConstraint(
                condition=(
                    Q(status=AwardStatus.UNSUCCESSFUL)
                    & Q(bid__isnull=True)
                    & Q(supplier__isnull=True)
                    & Q(value_amount__isnull=True)
                    & Q(currency="")
                    & Q(standstill_ends_at__isnull=True)
                )
                | (
                    ~Q(status=AwardStatus.UNSUCCESSFUL)
                    & Q(bid__isnull=False)
                    & Q(supplier__isnull=False)
                    & Q(value_amount__gt=0)
                    & ~Q(currency="")
                    & Q(standstill_ends_at__isnull=False)
                ),
                name="award_unsuccessful_names_nobody",
            ),
            models.CheckConstraint(
                condition=Q(standstill_ends_at__isnull=True)
                | Q(standstill_ends_at__gte=F("decided_at")),
                name="award_standstill_after_decision",
            ),
            models.CheckConstraint(
                condition=(Q(status=AwardStatus.ACTIVE) & Q(activated_at__isnull=False))
                | (~Q(status=AwardStatus.ACTIVE) & Q(activated_at__isnull=True)),
                name="award_active_has_date",
            ),
            models.CheckConstraint(
                condition=(Q(status=AwardStatus.CANCELLED) & Q(cancelled_at__isnull=False))
                | (~Q(status=AwardStatus.CANCELLED) & Q(cancelled_at__isnull=True)),
                name="award_cancelled_has_date",
            ),
        ]

    def __str__(self) -> str:
        return _("Award of lot %(lot)s of tender %(tender)s") % {
            "lot": self.lot.number,
            "tender": self.tender_id,
        }

    @property
    def ocds_id(self) -> str:
        """The award's id in published data (`awards[].id`; a contract's `awardID`)."""
        return f"award-{self.pk}"

    @property
    def is_awarded(self) -> bool:
        """Whether a bid was awarded (every status but `unsuccessful`)."""
        return self.status != AwardStatus.UNSUCCESSFUL


class AwardNotice(models.Model):
    """What one bidder of the lot is told of a decision: in its workspace, and by e-mail to its
    people, each in their own language. Written in the decision's transaction; the e-mail task
    (`tasks.send_award_notice`) sets `emailed_at` once it has sent it."""

    award = models.ForeignKey(
        Award, verbose_name=_("award"), on_delete=models.PROTECT, related_name="notices"
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("bidder"),
        on_delete=models.PROTECT,
        related_name="award_notices",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=AwardNoticeKind.choices)
    created_at = models.DateTimeField(_("sent"), default=clock.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        verbose_name = _("award notice")
        verbose_name_plural = _("award notices")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["award", "organization", "kind"], name="award_notice_once_per_kind"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=AwardNoticeKind.values), name="award_notice_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return _("Notice of the award of lot %(lot)s") % {"lot": self.award.lot.number}


class Complaint(models.Model):
    """A bidder's complaint about an award, filed during its standstill.

    Its life, as `choices.COMPLAINT_TRANSITIONS` writes it::

        complaint_file ──▶ ┌─────────┐ uphold (the award is cancelled) ┌────────┐
                           │ pending │ ──────────────────────────────▶ │ upheld │
                           └────┬────┘                                 └────────┘
                    dismiss     │    close (another complaint was upheld)
                 ┌──────────────┴──────────────┐
                 ▼                             ▼
           ┌───────────┐                 ┌────────┐
           │ dismissed │                 │ closed │
           └───────────┘                 └────────┘

    While one is pending the award is suspended. The grounds, the documents and the resolution
    are public.
    """

    award = models.ForeignKey(
        Award, verbose_name=_("award"), on_delete=models.PROTECT, related_name="complaints"
    )
    complainant = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("complainant"),
        on_delete=models.PROTECT,
        related_name="complaints_filed",
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    grounds = models.TextField(_("grounds"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ComplaintStatus.choices,
        default=ComplaintStatus.PENDING,
    )
    submitted_at = models.DateTimeField(_("filed"), default=clock.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolution = models.TextField(_("resolution"), blank=True)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["award", "submitted_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ComplaintStatus.values), name="complaint_status_valid"
            ),
            models.CheckConstraint(condition=~Q(grounds=""), name="complaint_has_grounds"),
            # A decided complaint has its date and its reasons; a pending one neither.
            models.CheckConstraint(
                condition=(
                    Q(status=ComplaintStatus.PENDING)
                    & Q(decided_at__isnull=True)
                    & Q(resolution="")
                )
                | (
                    ~Q(status=ComplaintStatus.PENDING)
                    & Q(decided_at__isnull=False)
                    & ~Q(resolution="")
                ),
                name="complaint_decided_has_resolution",
            ),
            models.CheckConstraint(
                condition=Q(decided_at__isnull=True) | Q(decided_at__gte=F("submitted_at")),
                name="complaint_decided_after_filed",
            ),
        ]

    def __str__(self) -> str:
        return _("Complaint %(number)s") % {"number": self.pk}

    @property
    def ocds_id(self) -> str:
        """The complaint's id in published data (`awards[].complaints[].id`)."""
        return f"complaint-{self.pk}"


def complaint_document_path(instance: ComplaintDocument, filename: str) -> str:
    # Stored under its content hash, never under a name a user typed.
    return f"complaints/{instance.sha256[:2]}/{instance.sha256}"


class ComplaintDocument(models.Model):
    """A document a bidder attached to its complaint (checked by `pregon.core.uploads`)."""

    complaint = models.ForeignKey(
        Complaint, verbose_name=_("complaint"), on_delete=models.PROTECT, related_name="documents"
    )
    file = models.FileField(_("file"), upload_to=complaint_document_path, max_length=200)
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("format"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded"), default=clock.now)

    class Meta:
        verbose_name = _("document of a complaint")
        verbose_name_plural = _("documents of complaints")
        ordering = ["complaint", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(size__gt=0), name="complaint_document_not_empty"),
        ]

    def __str__(self) -> str:
        return self.filename
