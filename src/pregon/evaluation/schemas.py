"""Schemas of the evaluation API: the public report of a tender's completed lots, a supplier's
own assessments, and the rights to cover the best offer it was offered, with the price it
covers one with (snake_case, like the rest of /api/v1).

The public report carries what the OCDS releases publish and nothing more: every bid's
compliance and the reason of a disqualification, its points and rank, the abnormally low flag
with the committee's decision, and the adjustments of the ranking. A bidder's justification and
the committee's request stay between them: only the bidder reads them (`OwnAssessmentOut`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.urls import reverse
from ninja import Field, Schema

from pregon.core import clock
from pregon.evaluation.choices import (
    AwardStatus,
    ComplaintStatus,
    Compliance,
    CoverStatus,
    EvaluationStatus,
    Justification,
)
from pregon.evaluation.models import (
    Award,
    BidAssessment,
    Complaint,
    ComplaintDocument,
    QualityScore,
    RightToCover,
)
from pregon.evaluation.ocds import AWARD_STATUS_CODES, awards_url, complaint_url, report_url
from pregon.evaluation.selectors import LotEvaluation
from pregon.organizations.models import Organization
from pregon.publication.mapping import absolute_url
from pregon.tenders.models import Tender


class QualityScoreOut(Schema):
    criterion: int = Field(description="The criterion's position among the tender's criteria.")
    name: str
    weight: int = Field(description="Its weight: the most points it gives.")
    points: Decimal

    @staticmethod
    def resolve_criterion(obj: QualityScore) -> int:
        return obj.criterion.position

    @staticmethod
    def resolve_name(obj: QualityScore) -> str:
        return obj.criterion.name


class BidderOut(Schema):
    id: str = Field(description="The bidder's party id in the tender's open data.")
    name: str

    @staticmethod
    def resolve_id(obj: BidAssessment) -> str:
        return obj.supplier.party_id

    @staticmethod
    def resolve_name(obj: BidAssessment) -> str:
        return obj.supplier.display_name


class AssessmentPublicOut(Schema):
    """One bid of a completed lot, as published."""

    bid: uuid.UUID
    bidder: BidderOut
    price: Decimal
    currency: str
    received_at: dt.datetime
    compliance: Compliance = Field(description="`qualified` or `disqualified`.")
    reason: str = Field(
        description="Why it was disqualified: the committee's words, or, for an offer on a lot "
        "reserved for others, the rule's (in the tender's language)."
    )
    rank: int | None = Field(description="Its place in the final ranking (qualified bids).")
    price_points: Decimal | None = Field(description="Weighted criteria only.")
    quality_scores: list[QualityScoreOut] = Field(description="Weighted criteria only.")
    total_points: Decimal | None = Field(description="Weighted criteria only.")
    abnormally_low: bool
    justification: Justification = Field(
        description="Where the justification of an abnormally low price ended."
    )
    justification_decision: str = Field(description="The committee's decision, in words.")

    @staticmethod
    def resolve_bid(obj: BidAssessment) -> uuid.UUID:
        return obj.bid_id

    @staticmethod
    def resolve_bidder(obj: BidAssessment) -> BidAssessment:
        return obj

    @staticmethod
    def resolve_quality_scores(obj: BidAssessment) -> list[QualityScore]:
        return list(obj.scores.all())


class AdjustmentOut(Schema):
    rule: str = Field(description="The country rule pack's rule.")
    explanation: str = Field(description="What it changed and why, in words.")
    bid: uuid.UUID | None = Field(description="The bid it concerns; null for the whole ranking.")


class LotReportOut(Schema):
    """A lot whose evaluation is completed."""

    lot: int = Field(description="The lot's number.")
    title: str
    completed_at: dt.datetime
    abnormally_low_percent: Decimal = Field(
        description="The rule in force: a price more than this % below the mean of the other "
        "compliant bids, or below the lot's estimated value, is abnormally low."
    )
    bids: list[AssessmentPublicOut] = Field(description="In ranking order, then the others.")
    adjustments: list[AdjustmentOut]
    report_url: str = Field(description="The lot's report on the public page.")


class EvaluationReportOut(Schema):
    """The public evaluation report of a tender: its completed lots only."""

    tender: int
    ocid: str
    award_criteria: str = Field(description="`priceOnly` or `ratedCriteria`.")
    lots: list[LotReportOut]


def report_of(tender: Tender, reports: list[LotEvaluation]) -> dict[str, object]:
    """The report as `EvaluationReportOut` reads it."""
    lots = []
    for report in reports:
        evaluation = report.evaluation
        assert evaluation is not None  # the report has completed lots only
        lots.append(
            {
                "lot": report.lot.number,
                "title": report.lot.title,
                "completed_at": evaluation.completed_at,
                "abnormally_low_percent": evaluation.abnormally_low_percent,
                "bids": report.ranked,
                "adjustments": [
                    {
                        "rule": adjustment["rule"],
                        "explanation": adjustment["explanation"],
                        "bid": adjustment.get("bid") or None,
                    }
                    for adjustment in evaluation.adjustments
                ],
                "report_url": report_url(tender, report.lot.number),
            }
        )
    return {
        "tender": tender.pk,
        "ocid": str(tender.ocid),
        "award_criteria": tender.award_criteria,
        "lots": lots,
    }


class OwnAssessmentOut(Schema):
    """One of your bids in a lot's evaluation, whatever the state of the evaluation."""

    id: int = Field(description="The assessment's id (the one the workspace page answers).")
    lot: int = Field(description="The lot's number.")
    evaluation_status: EvaluationStatus
    bid: uuid.UUID
    price: Decimal
    currency: str
    compliance: Compliance
    reason: str = Field(
        description="Why it was disqualified: the committee's words, or, for an offer on a lot "
        "reserved for others, the rule's (in the tender's language)."
    )
    rank: int | None
    price_points: Decimal | None
    quality_scores: list[QualityScoreOut]
    total_points: Decimal | None
    abnormally_low: bool
    justification: Justification
    justification_request: str = Field(description="What the committee asks you to justify.")
    justification_answer: str = Field(description="Your justification.")
    justification_decision: str = Field(description="The committee's decision, in words.")
    requested_at: dt.datetime | None
    answered_at: dt.datetime | None
    decided_at: dt.datetime | None

    @staticmethod
    def resolve_lot(obj: BidAssessment) -> int:
        return obj.evaluation.lot.number

    @staticmethod
    def resolve_evaluation_status(obj: BidAssessment) -> str:
        return obj.evaluation.status

    @staticmethod
    def resolve_bid(obj: BidAssessment) -> uuid.UUID:
        return obj.bid_id

    @staticmethod
    def resolve_quality_scores(obj: BidAssessment) -> list[QualityScore]:
        return list(obj.scores.all())


# ---------------------------------------------------------------------------------------------
# awards


class OrganizationRefOut(Schema):
    id: str = Field(description="The organization's party id in the tender's open data.")
    name: str


def _organization(organization: Organization | None) -> dict[str, str] | None:
    if organization is None:
        return None
    return {"id": organization.party_id, "name": organization.display_name}


class ComplaintDocumentOut(Schema):
    filename: str
    content_type: str
    size: int
    sha256: str
    url: str = Field(description="Where to download it.")

    @staticmethod
    def resolve_url(obj: ComplaintDocument) -> str:
        complaint = obj.complaint
        return absolute_url(
            reverse(
                "evaluation:complaint_document",
                kwargs={
                    "pk": complaint.award.tender_id,
                    "complaint": complaint.pk,
                    "document": obj.pk,
                },
            )
        )


class ComplaintOut(Schema):
    """A complaint about an award, and the decision on it (all public)."""

    id: int
    status: ComplaintStatus = Field(
        description="`pending`, `upheld`, `dismissed`, or `closed` (without a decision: "
        "another complaint about the award was upheld)."
    )
    complainant: OrganizationRefOut
    submitted_at: dt.datetime
    grounds: str
    documents: list[ComplaintDocumentOut]
    decided_at: dt.datetime | None
    resolution: str = Field(description="The reasons of the decision, in words.")
    url: str = Field(description="The complaint's public page.")

    @staticmethod
    def resolve_complainant(obj: Complaint) -> dict[str, str] | None:
        return _organization(obj.complainant)

    @staticmethod
    def resolve_documents(obj: Complaint) -> list[ComplaintDocument]:
        return list(obj.documents.all())

    @staticmethod
    def resolve_url(obj: Complaint) -> str:
        return complaint_url(obj.award.tender, obj)


class AwardOut(Schema):
    """The decision on one lot (cancelled ones included), with its complaints."""

    id: int
    ocds_id: str = Field(description="The award's id in the open data (`awards[].id`).")
    lot: int = Field(description="The lot's number.")
    status: AwardStatus = Field(
        description="`standstill` (decided, complaints possible), `suspended` (a complaint is "
        "pending), `active` (final: the contract may be signed), `cancelled` (a complaint was "
        "upheld; the lot is evaluated again) or `unsuccessful` (no valid bid)."
    )
    ocds_status: str = Field(description="The status in the OCDS awardStatus codelist.")
    supplier: OrganizationRefOut | None = Field(description="Null for an unsuccessful lot.")
    bid: uuid.UUID | None
    value_amount: Decimal | None
    currency: str
    reason: str = Field(description="The buyer's reasons (or why no bid is awarded).")
    decided_at: dt.datetime
    standstill_ends_at: dt.datetime | None
    activated_at: dt.datetime | None = Field(description="When it became final.")
    cancelled_at: dt.datetime | None
    complaints: list[ComplaintOut]
    url: str = Field(description="The decision on the tender's public awards page.")

    @staticmethod
    def resolve_lot(obj: Award) -> int:
        return obj.lot.number

    @staticmethod
    def resolve_ocds_status(obj: Award) -> str:
        return AWARD_STATUS_CODES[obj.status]

    @staticmethod
    def resolve_supplier(obj: Award) -> dict[str, str] | None:
        return _organization(obj.supplier)

    @staticmethod
    def resolve_bid(obj: Award) -> uuid.UUID | None:
        return obj.bid_id

    @staticmethod
    def resolve_complaints(obj: Award) -> list[Complaint]:
        return list(obj.complaints.all())

    @staticmethod
    def resolve_url(obj: Award) -> str:
        return awards_url(obj.tender, obj)


# ---------------------------------------------------------------------------------------------
# the right to cover the best offer


class CoverOut(Schema):
    """A right to cover the best offer offered to one of your bids (Brazil's fictitious tie,
    LC 123/2006 art. 44), in any state."""

    id: int
    tender: int = Field(description="The tender's id.")
    ocid: str
    lot: int = Field(description="The lot's number.")
    bid: uuid.UUID = Field(description="Your bid.")
    price: Decimal = Field(description="Your bid's price for the lot, as opened.")
    best_price: Decimal = Field(
        description="The best offer, to beat: cover it with a price strictly below it."
    )
    currency: str
    rule: str = Field(description="The rule pack's rule that offers it (`CODE@VERSION:rule`).")
    status: CoverStatus = Field(
        description="`offered` (awaiting your answer), `improved` (you covered it), `passed` "
        "(you let it pass) or `lapsed` (the deadline passed without an answer)."
    )
    open: bool = Field(description="Whether you may still answer: offered and before the deadline.")
    offered_at: dt.datetime
    deadline: dt.datetime = Field(description="The last moment to answer (the platform's clock).")
    covering_price: Decimal | None = Field(description="The lower price you covered it with.")
    answered_at: dt.datetime | None

    @staticmethod
    def resolve_tender(obj: RightToCover) -> int:
        return obj.evaluation.tender_id

    @staticmethod
    def resolve_ocid(obj: RightToCover) -> str:
        return str(obj.evaluation.tender.ocid)

    @staticmethod
    def resolve_lot(obj: RightToCover) -> int:
        return obj.evaluation.lot.number

    @staticmethod
    def resolve_bid(obj: RightToCover) -> uuid.UUID:
        return obj.assessment.bid_id

    @staticmethod
    def resolve_price(obj: RightToCover) -> Decimal:
        return obj.assessment.price

    @staticmethod
    def resolve_currency(obj: RightToCover) -> str:
        return obj.assessment.currency

    @staticmethod
    def resolve_rule(obj: RightToCover) -> str:
        return f"{obj.pack}:{obj.rule}"

    @staticmethod
    def resolve_open(obj: RightToCover) -> bool:
        return obj.open and clock.now() <= obj.deadline

    @staticmethod
    def resolve_covering_price(obj: RightToCover) -> Decimal | None:
        return obj.price


class CoverIn(Schema):
    """The price that covers the best offer."""

    price: Decimal = Field(
        gt=0,
        max_digits=18,
        decimal_places=2,
        description="Your new price for the lot, strictly below the best offer (`best_price`), "
        "two decimals at most. It is not sealed: it is recorded and published as it is.",
    )
