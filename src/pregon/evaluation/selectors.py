"""Reading evaluations, and who may read what.

- The committee (`evaluation_member_get`, `evaluation_board`): the members of the tender's
  opening committee, signed in as themselves and holding the committee role in its buyer, see
  every assessment of every lot, from the opening on.
- A bidder (`evaluation_bidder_check`, `assessments_of_supplier`): the people of a supplier (or
  its API key) see their own assessments only, and answer the justifications asked of them.
- Everyone (`evaluation_reports`): the completed evaluations, as published. Before a lot's
  evaluation is completed nobody else sees any of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from pregon.accounts.choices import COMMITTEE_ROLES, SUPPLIER_ROLES
from pregon.accounts.permissions import require_role
from pregon.bids.models import Bid
from pregon.core.actor import Actor
from pregon.core.errors import NotFound, PermissionDenied
from pregon.evaluation.choices import EvaluationStatus
from pregon.evaluation.models import BidAssessment, Evaluation, QualityScore
from pregon.organizations.models import Organization
from pregon.tenders.choices import AwardCriteria, CriterionKind
from pregon.tenders.models import AwardCriterion, CommitteeMember, Lot, Tender


def evaluation_member_get(*, actor: Actor, tender: Tender) -> CommitteeMember:
    """The actor's seat on the tender's committee; refused for anyone else. Members act in
    person (never with an API key); signing in with multi-factor authentication is enforced
    for every official before any page is reached (`accounts.middleware`)."""
    if actor.api_key is not None:
        raise PermissionDenied(
            _("Committee members evaluate signed in as themselves, never with an API key."),
            code="person_required",
        )
    if actor.user is None or not actor.user.is_active:
        raise PermissionDenied(_("Sign in to do this."))
    require_role(actor, tender.buyer, COMMITTEE_ROLES)
    member = CommitteeMember.objects.filter(tender=tender, user=actor.user).first()
    if member is None:
        raise PermissionDenied(
            _("Only the members of this tender's committee evaluate its bids."),
            code="not_on_committee",
        )
    return member


def evaluation_bidder_check(*, actor: Actor, assessment: BidAssessment) -> None:
    """Refuse unless the actor acts for the supplier whose bid `assessment` is."""
    require_role(actor, assessment.supplier, SUPPLIER_ROLES)


def _scores_prefetch() -> Prefetch:
    return Prefetch(
        "scores",
        queryset=QualityScore.objects.select_related("criterion").order_by("criterion__position"),
    )


def _assessments(evaluation: Evaluation) -> list[BidAssessment]:
    return list(
        evaluation.assessments.select_related("supplier", "bid")
        .prefetch_related(_scores_prefetch())
        .order_by("received_at", "bid_id")
    )


@dataclass(kw_only=True)
class LotEvaluation:
    """One lot, its evaluation (None before it starts) and its assessments, ranked first."""

    lot: Lot
    evaluation: Evaluation | None
    assessments: list[BidAssessment] = field(default_factory=list)

    @property
    def ranked(self) -> list[BidAssessment]:
        """The assessments in ranking order: ranked bids first, then the others as received."""
        return sorted(
            self.assessments,
            key=lambda a: (a.rank is None, a.rank or 0, a.received_at, str(a.bid_id)),
        )

    @property
    def adjusted(self) -> dict[str, list[str]]:
        """The explanations of the adjustments, by bid id ("" for the whole ranking)."""
        found: dict[str, list[str]] = {}
        for adjustment in self.evaluation.adjustments if self.evaluation else []:
            found.setdefault(adjustment.get("bid", ""), []).append(adjustment["explanation"])
        return found


def quality_criteria(tender: Tender) -> list[AwardCriterion]:
    """The tender's quality criteria, in order (none for lowest price)."""
    if tender.award_criteria != AwardCriteria.RATED_CRITERIA:
        return []
    return list(tender.criteria.filter(kind=CriterionKind.QUALITY).order_by("position"))


def evaluation_board(*, actor: Actor, tender: Tender) -> list[LotEvaluation]:
    """Every lot of the tender with its evaluation and every assessment, for the committee."""
    evaluation_member_get(actor=actor, tender=tender)
    evaluations = {e.lot_id: e for e in Evaluation.objects.filter(tender=tender)}
    return [
        LotEvaluation(
            lot=lot,
            evaluation=evaluations.get(lot.pk),
            assessments=_assessments(evaluations[lot.pk]) if lot.pk in evaluations else [],
        )
        for lot in tender.lots.order_by("number")
    ]


def assessment_for_committee(*, actor: Actor, tender: Tender, pk: int) -> BidAssessment:
    """One assessment of the tender, for a member of its committee."""
    evaluation_member_get(actor=actor, tender=tender)
    assessment = (
        BidAssessment.objects.select_related("evaluation__tender", "evaluation__lot")
        .filter(pk=pk, evaluation__tender=tender)
        .first()
    )
    if assessment is None:
        raise NotFound(_("There is no such assessment in this tender."))
    return assessment


def assessments_of_supplier(
    *, actor: Actor, tender: Tender, supplier: Organization
) -> list[BidAssessment]:
    """The supplier's own assessments in the tender, whatever the state of the evaluation."""
    require_role(actor, supplier, SUPPLIER_ROLES)
    return list(
        BidAssessment.objects.filter(evaluation__tender=tender, supplier=supplier)
        .select_related("evaluation__lot", "bid")
        .prefetch_related(_scores_prefetch())
        .order_by("evaluation__lot__number")
    )


def assessments_of_bid(*, actor: Actor, bid: Bid) -> list[BidAssessment]:
    """The assessments of one of the actor's organization's bids (one per lot evaluated)."""
    require_role(actor, bid.supplier, SUPPLIER_ROLES)
    return list(
        BidAssessment.objects.filter(bid=bid)
        .select_related("evaluation__lot", "bid")
        .prefetch_related(_scores_prefetch())
        .order_by("evaluation__lot__number")
    )


def assessment_of_supplier(
    *, actor: Actor, tender: Tender, supplier: Organization, pk: int
) -> BidAssessment:
    """One of the supplier's own assessments; another's answers 404, as if it did not exist."""
    for assessment in assessments_of_supplier(actor=actor, tender=tender, supplier=supplier):
        if assessment.pk == pk:
            return assessment
    raise NotFound(_("There is no such assessment of your bids."))


def evaluation_reports(*, tender: Tender) -> list[LotEvaluation]:
    """The lots of the tender whose evaluation is completed, as published (for everyone)."""
    return [
        LotEvaluation(
            lot=evaluation.lot, evaluation=evaluation, assessments=_assessments(evaluation)
        )
        for evaluation in Evaluation.objects.filter(
            tender=tender, status=EvaluationStatus.COMPLETED
        )
        .select_related("lot")
        .order_by("lot__number")
    ]
