"""Output schemas of the evaluation API: the public report of a tender's completed lots, and a
supplier's own assessments (snake_case, like the rest of /api/v1).

The public report carries what the OCDS releases publish and nothing more: every bid's
compliance and the reason of a disqualification, its points and rank, the abnormally low flag
with the committee's decision, and the adjustments of the ranking. A bidder's justification and
the committee's request stay between them: only the bidder reads them (`OwnAssessmentOut`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from ninja import Field, Schema

from pregon.evaluation.choices import Compliance, EvaluationStatus, Justification
from pregon.evaluation.models import BidAssessment, QualityScore
from pregon.evaluation.ocds import report_url
from pregon.evaluation.selectors import LotEvaluation
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
    reason: str = Field(description="Why it was disqualified, in the committee's words.")
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
    reason: str = Field(description="Why it was disqualified, in the committee's words.")
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
