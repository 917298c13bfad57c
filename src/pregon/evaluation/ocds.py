"""The evaluation's part of a release: each completed lot's bids with their status, points and
reasons, and the lot's evaluation report as a tender document. Nothing before a lot's
evaluation is completed: the committee's work in progress is not public.

Registered with `pregon.publication.mapping` from `apps.py`, after the bids' mapping: its
`bids.details` entries have the ids the bids' mapping gives them (`<bid id>-<lot>`), so they
merge into them (`mapping.merge_section`) and replace their `pending` status.

Choices (also in docs/open-data.md):

* `bids.details[].status`: `valid` for a qualified bid, `disqualified` for a disqualified one
  (the bid extension's closed codelist has no `qualified`); `description` the reason of a
  disqualification, in the committee's words; `hasRank` and `rank` the place of a valid bid
  in the final ranking (after the adjustments).
* Fields of our own on a bid: `evaluationScores` (`price`, `quality[]` with `id`, `name`,
  `points`, `weight`, and `total`; weighted criteria only), `abnormallyLow` (`flagged`,
  `justification` and the committee's `decision`, for a price flagged abnormally low) and
  `rankAdjustments[]` (`id`, `rule`, `explanation`, `computedRank`) when the country's rule
  pack moved it.
* `tender.documents[]`: per completed lot, `evaluation-report-<lot>`, documentType
  `evaluationReports`, linking to the public report of the lot, its description the ranking
  and every adjustment's explanation in words.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from pregon.evaluation.choices import Compliance, Justification
from pregon.evaluation.models import BidAssessment, Evaluation
from pregon.evaluation.selectors import evaluation_reports
from pregon.publication.mapping import (
    ReleaseRequest,
    Sections,
    absolute_url,
    ocds_datetime,
    ocds_number,
)
from pregon.tenders.choices import ContentLanguage
from pregon.tenders.models import Tender


def report_url(tender: Tender, lot_number: int) -> str:
    """The public address of a lot's evaluation report (in the active language)."""
    path = reverse("evaluation:report", kwargs={"pk": tender.pk})
    return absolute_url(f"{path}#lot-{lot_number}")


def _bid_entry(evaluation: Evaluation, assessment: BidAssessment) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": f"{assessment.bid_id}-{evaluation.lot.number}"}
    if assessment.compliance == Compliance.QUALIFIED:
        entry["status"] = "valid"
        entry["hasRank"] = True
        entry["rank"] = assessment.rank
    else:
        entry["status"] = "disqualified"
        entry["description"] = assessment.reason
    scores = list(assessment.scores.all())
    if assessment.compliance == Compliance.QUALIFIED and assessment.price_points is not None:
        entry["evaluationScores"] = {
            "price": ocds_number(assessment.price_points),
            "quality": [
                {
                    "id": str(score.criterion.position),
                    "name": score.criterion.name,
                    "points": ocds_number(score.points),
                    "weight": score.weight,
                }
                for score in scores
            ],
            "total": ocds_number(assessment.total_points or Decimal(0)),
        }
    if assessment.abnormally_low:
        low: dict[str, Any] = {"flagged": True, "justification": assessment.justification}
        if assessment.justification in (Justification.ACCEPTED, Justification.REJECTED):
            low["decision"] = assessment.justification_decision
        entry["abnormallyLow"] = low
    computed = {
        row["bid"]: row.get("computedRank") for row in evaluation.ranking or [] if "bid" in row
    }
    adjustments = [
        {
            "id": str(number),
            "rule": adjustment["rule"],
            "explanation": adjustment["explanation"],
            "computedRank": computed.get(adjustment["bid"]),
        }
        for number, adjustment in enumerate(evaluation.adjustments, start=1)
        if adjustment.get("bid") == str(assessment.bid_id)
    ]
    if adjustments:
        entry["rankAdjustments"] = adjustments
    return entry


def report_summary(evaluation: Evaluation, assessments: list[BidAssessment]) -> str:
    """The lot's evaluation in a few sentences, in the active language (the document's
    description): how many bids, how many valid, and every adjustment's explanation."""
    valid = sum(a.compliance == Compliance.QUALIFIED for a in assessments)
    parts = [
        _("Lot %(lot)s: %(bids)s bids evaluated, %(valid)s valid, %(disqualified)s disqualified.")
        % {
            "lot": evaluation.lot.number,
            "bids": len(assessments),
            "valid": valid,
            "disqualified": len(assessments) - valid,
        }
    ]
    for adjustment in evaluation.adjustments:
        parts.append(
            _("Adjustment of the ranking (%(rule)s): %(explanation)s")
            % {"rule": adjustment["rule"], "explanation": adjustment["explanation"]}
        )
    if not evaluation.adjustments:
        parts.append(_("No rule adjusted the ranking."))
    return " ".join(parts)


def evaluation_sections(request: ReleaseRequest) -> Sections | None:
    """The evaluation's sections of the process `request.ocid`: None until a lot's evaluation
    is completed."""
    tender = Tender.objects.filter(ocid=request.ocid).first()
    if tender is None:
        return None
    reports = evaluation_reports(tender=tender)
    if not reports:
        return None
    language = "pt-br" if tender.language == ContentLanguage.PT else tender.language
    details: list[dict[str, Any]] = []
    documents: list[dict[str, Any]] = []
    with translation.override(language):
        for report in reports:
            evaluation = report.evaluation
            assert evaluation is not None and evaluation.completed_at is not None
            details += [_bid_entry(evaluation, a) for a in report.assessments]
            documents.append(
                {
                    "id": f"evaluation-report-{evaluation.lot.number}",
                    "documentType": "evaluationReports",
                    "title": _("Evaluation report, lot %(lot)s") % {"lot": evaluation.lot.number},
                    "description": report_summary(evaluation, report.assessments),
                    "url": report_url(tender, evaluation.lot.number),
                    "datePublished": ocds_datetime(evaluation.completed_at),
                    "format": "text/html",
                    "language": tender.language,
                    "relatedLots": [str(evaluation.lot.number)],
                }
            )
    return Sections(body={"tender": {"documents": documents}, "bids": {"details": details}})
