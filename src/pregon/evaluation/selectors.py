"""Reading evaluations, and who may read what.

- The committee (`evaluation_member_get`, `evaluation_board`): the members of the tender's
  opening committee, signed in as themselves and holding the committee role in its buyer, see
  every assessment of every lot, from the opening on.
- A bidder (`evaluation_bidder_check`, `assessments_of_supplier`): the people of a supplier (or
  its API key) see their own assessments only, and answer the justifications asked of them.
- Everyone (`evaluation_reports`): the completed evaluations, as published. Before a lot's
  evaluation is completed nobody else sees any of it.
- The invited bidder (`covers_of_supplier`, `cover_of_supplier`): the rights to cover the best
  offer its bids were offered, whatever their state.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from pregon.accounts.choices import BUYER_WRITE_ROLES, COMMITTEE_ROLES, SUPPLIER_ROLES
from pregon.accounts.permissions import is_oversight_auditor, require_role
from pregon.bids.models import Bid
from pregon.core.actor import Actor
from pregon.core.errors import NotFound, PermissionDenied
from pregon.evaluation.adjustments import stored_explanation
from pregon.evaluation.choices import (
    AWARD_STANDING,
    COMPLAINTS_DECIDED_BY_OVERSIGHT,
    AwardStatus,
    ComplaintStatus,
    Compliance,
    EvaluationStatus,
)
from pregon.evaluation.models import (
    Award,
    AwardNotice,
    BidAssessment,
    Complaint,
    ComplaintDocument,
    Evaluation,
    QualityScore,
    RightToCover,
)
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
        """The explanations of the adjustments in the active language, by bid id ("" for the
        whole ranking)."""
        found: dict[str, list[str]] = {}
        for adjustment in self.evaluation.adjustments if self.evaluation else []:
            found.setdefault(adjustment.get("bid", ""), []).append(
                stored_explanation(adjustment, get_language())
            )
        return found

    @property
    def explained(self) -> list[dict[str, str]]:
        """Every adjustment of the ranking, its rule and its explanation in the active
        language (the language of the page being rendered)."""
        return [
            {"rule": str(a.get("rule", "")), "explanation": stored_explanation(a, get_language())}
            for a in (self.evaluation.adjustments if self.evaluation else [])
        ]

    @property
    def cover(self) -> RightToCover | None:
        """The lot's latest right to cover (None when none was offered)."""
        if self.evaluation is None:
            return None
        return self.evaluation.covers.order_by("-offered_at", "-pk").first()


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
        .prefetch_related(_scores_prefetch(), "covers")
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


def covers_of_supplier(*, actor: Actor, supplier: Organization) -> QuerySet[RightToCover]:
    """The rights to cover the best offer offered to the supplier's bids, newest first, in
    every state (open, covered, let pass, lapsed)."""
    require_role(actor, supplier, SUPPLIER_ROLES)
    return (
        RightToCover.objects.filter(assessment__supplier=supplier)
        .select_related("evaluation__tender", "evaluation__lot", "assessment")
        .order_by("-offered_at", "-pk")
    )


def cover_of_supplier(*, actor: Actor, supplier: Organization, pk: int) -> RightToCover:
    """One right to cover offered to the supplier's bid; one offered to another organization is
    refused (403), one that does not exist answers 404."""
    cover = (
        RightToCover.objects.select_related("evaluation__tender", "evaluation__lot", "assessment")
        .filter(pk=pk)
        .first()
    )
    if cover is None:
        raise NotFound(_("There is no such right to cover."))
    if cover.assessment.supplier_id != supplier.pk:
        raise PermissionDenied(
            _("This right to cover was offered to another organization; only it may answer."),
            code="not_invited",
        )
    require_role(actor, supplier, SUPPLIER_ROLES)
    return cover


# ---------------------------------------------------------------------------------------------
# awards, notices and complaints
#
# - The buyer (`award_buyer_get`): the buyer officials of the tender's buyer, in person, decide
#   each lot once its evaluation is completed.
# - Who decides complaints (`complaint_decider_check`): the buyer's officials, or with
#   `PREGON_COMPLAINTS_DECIDED_BY = "oversight"` the auditors of an oversight body.
# - A bidder of the lot (`award_bidder_check`): the people of a supplier whose bid was assessed
#   in the lot read their notices and complain during the standstill.
# - Everyone (`awards_of_tender`, `award_for_lot`): every decision, its complaints and their
#   resolutions are public as soon as they are made.


def _in_person(actor: Actor) -> None:
    if actor.api_key is not None:
        raise PermissionDenied(
            _("Officials decide signed in as themselves, never with an API key."),
            code="person_required",
        )
    if actor.user is None or not actor.user.is_active:
        raise PermissionDenied(_("Sign in to do this."))


def award_buyer_check(*, actor: Actor, tender: Tender) -> None:
    """Refuse anyone but a buyer official of the tender's buyer, acting in person."""
    _in_person(actor)
    require_role(actor, tender.buyer, BUYER_WRITE_ROLES)


def complaints_decided_by_oversight() -> bool:
    """Whether complaints are decided by an oversight body rather than by the buyer."""
    return bool(settings.PREGON_COMPLAINTS_DECIDED_BY == COMPLAINTS_DECIDED_BY_OVERSIGHT)


def complaint_decider_check(*, actor: Actor, tender: Tender) -> None:
    """Refuse anyone who may not decide the complaints about the tender's awards: its buyer's
    officials, or (`PREGON_COMPLAINTS_DECIDED_BY = "oversight"`) the auditors of an oversight
    body, in person either way."""
    _in_person(actor)
    if not complaints_decided_by_oversight():
        require_role(actor, tender.buyer, BUYER_WRITE_ROLES)
        return
    if not is_oversight_auditor(actor.user):
        raise PermissionDenied(
            _("On this platform complaints are decided by the oversight body."),
            code="oversight_decides",
        )


def may_decide_complaints(*, actor: Actor, tender: Tender) -> bool:
    """Whether `actor` may decide the complaints about the tender's awards (for the pages)."""
    try:
        complaint_decider_check(actor=actor, tender=tender)
    except PermissionDenied:
        return False
    return True


def lot_bidders(*, lot: Lot) -> list[Organization]:
    """The suppliers whose bids were assessed in the lot's evaluation, once each."""
    return list(
        Organization.objects.filter(
            pk__in=BidAssessment.objects.filter(evaluation__lot=lot).values("supplier_id")
        ).order_by("legal_name", "pk")
    )


def award_bidder_check(*, actor: Actor, award: Award, supplier: Organization) -> None:
    """Refuse unless the actor acts for `supplier` and `supplier` bid on the award's lot."""
    require_role(actor, supplier, SUPPLIER_ROLES)
    if not BidAssessment.objects.filter(
        evaluation__lot_id=award.lot_id, supplier=supplier
    ).exists():
        raise PermissionDenied(
            _("Only the bidders of this lot may complain about its award."), code="not_a_bidder"
        )


def _awards() -> QuerySet[Award]:
    return Award.objects.select_related("lot", "supplier", "bid", "tender").prefetch_related(
        Prefetch(
            "complaints",
            queryset=Complaint.objects.select_related("complainant")
            .prefetch_related("documents")
            .order_by("submitted_at", "pk"),
        )
    )


def award_for_lot(*, lot: Lot) -> Award | None:
    """The lot's standing award (any status but cancelled), or None while undecided."""
    return _awards().filter(lot=lot, status__in=AWARD_STANDING).first()


def award_get(*, tender: Tender, pk: int) -> Award:
    """One award of the tender (public: every decision is)."""
    award = _awards().filter(tender=tender, pk=pk).first()
    if award is None:
        raise NotFound(_("There is no such award in this tender."))
    return award


def awards_of_tender(*, tender: Tender) -> list[Award]:
    """Every decision on the tender's lots, cancelled ones included, by lot and date, with
    their complaints and documents (all public)."""
    return list(_awards().filter(tender=tender).order_by("lot__number", "decided_at", "pk"))


def awards_of_process(*, ocid: str) -> list[Award]:
    """Every award of the process `ocid` (for the OCDS mapping)."""
    return list(_awards().filter(tender__ocid=ocid).order_by("lot__number", "decided_at", "pk"))


def complaint_get(*, tender: Tender, pk: int) -> Complaint:
    """One complaint about an award of the tender (public)."""
    complaint = (
        Complaint.objects.select_related("award__lot", "award__tender", "complainant")
        .prefetch_related("documents")
        .filter(award__tender=tender, pk=pk)
        .first()
    )
    if complaint is None:
        raise NotFound(_("There is no such complaint in this tender."))
    return complaint


def complaint_document_get(*, tender: Tender, complaint: int, pk: int) -> ComplaintDocument:
    """One document of a complaint about an award of the tender (public)."""
    document = ComplaintDocument.objects.filter(
        complaint__award__tender=tender, complaint_id=complaint, pk=pk
    ).first()
    if document is None:
        raise NotFound(_("There is no such document."))
    return document


@dataclass(frozen=True, kw_only=True)
class AwardExplained:
    """A decision with the completed evaluation of its lot it was made on (`report`, whose
    `explained` gives the adjustments of the ranking in the page's language); None for a
    cancelled decision, whose lot was sent back to the committee."""

    award: Award
    report: LotEvaluation | None


def awards_explained(*, awards: list[Award]) -> list[AwardExplained]:
    """Each of `awards` (of one tender) with the adjustments of the ranking it was decided on,
    as the evaluation report explains them (the report's assessments are not loaded)."""
    standing = [a for a in awards if a.status != AwardStatus.CANCELLED]
    evaluations = {
        e.lot_id: e
        for e in Evaluation.objects.filter(
            lot_id__in=[a.lot_id for a in standing], status=EvaluationStatus.COMPLETED
        )
    }
    return [
        AwardExplained(
            award=award,
            report=LotEvaluation(lot=award.lot, evaluation=evaluations[award.lot_id])
            if award.status != AwardStatus.CANCELLED and award.lot_id in evaluations
            else None,
        )
        for award in awards
    ]


def notice_disqualification(*, notice: AwardNotice) -> BidAssessment | None:
    """The notice's bidder's own offer in the lot when it was disqualified (its reason, or the
    rule's, is then told in the notice); None otherwise, and while the lot's evaluation is
    reopened."""
    return (
        BidAssessment.objects.filter(
            evaluation__lot_id=notice.award.lot_id,
            evaluation__status=EvaluationStatus.COMPLETED,
            supplier_id=notice.organization_id,
            compliance=Compliance.DISQUALIFIED,
        )
        .order_by("received_at", "bid_id")
        .first()
    )


def notices_of_supplier(*, actor: Actor, supplier: Organization) -> list[AwardNotice]:
    """The award notices sent to the supplier, newest first, each with its award."""
    require_role(actor, supplier, SUPPLIER_ROLES)
    return list(
        AwardNotice.objects.filter(organization=supplier)
        .select_related("award__lot", "award__tender", "award__supplier")
        .order_by("-created_at", "-pk")
    )


def lots_awardable(*, tender: Tender) -> list[LotDecision]:
    """Every lot of the tender with its evaluation and its standing award (for the buyer)."""
    evaluations = {e.lot_id: e for e in Evaluation.objects.filter(tender=tender)}
    standing = {a.lot_id: a for a in _awards().filter(tender=tender, status__in=AWARD_STANDING)}
    return [
        LotDecision(
            lot=lot,
            evaluation=evaluations.get(lot.pk),
            award=standing.get(lot.pk),
            first=BidAssessment.objects.filter(evaluation__lot=lot, rank=1)
            .select_related("supplier")
            .first()
            if lot.pk in evaluations and evaluations[lot.pk].completed
            else None,
        )
        for lot in tender.lots.order_by("number")
    ]


@dataclass(kw_only=True)
class LotDecision:
    """One lot as the buyer decides it: its evaluation, the bid ranked first, its award."""

    lot: Lot
    evaluation: Evaluation | None
    award: Award | None
    first: BidAssessment | None


@dataclass(frozen=True, kw_only=True)
class ComplaintFigures:
    """How many complaints a buyer's awards received, and how many were upheld."""

    filed: int
    upheld: int


def complaint_figures_of_buyer(*, buyer: Organization) -> ComplaintFigures:
    """The complaints about the buyer's awards, and the upheld ones (for its public page)."""
    counts = Complaint.objects.filter(award__tender__buyer=buyer).aggregate(
        filed=Count("pk"), upheld=Count("pk", filter=Q(status=ComplaintStatus.UPHELD))
    )
    return ComplaintFigures(filed=counts["filed"] or 0, upheld=counts["upheld"] or 0)
