"""The evaluation's part of a release: each completed lot's bids with their status, points and
reasons, and the lot's evaluation report as a tender document. Nothing before a lot's
evaluation is completed: the committee's work in progress is not public.

Registered with `pregon.publication.mapping` from `apps.py`, after the bids' mapping: its
`bids.details` entries have the ids the bids' mapping gives them (`<bid id>-<lot>`), so they
merge into them (`mapping.merge_section`) and replace their `pending` status.

Choices (also in docs/open-data.md):

* `bids.details[].status`: `valid` for a qualified bid, `disqualified` for a disqualified one
  (the bid extension's closed codelist has no `qualified`); `description` the reason of a
  disqualification, in the committee's words, or the rule's for an offer on a lot reserved for
  others (in the tender's language); `hasRank` and `rank` the place of a valid bid
  in the final ranking (after the adjustments).
* Fields of our own on a bid: `evaluationScores` (`price`, `quality[]` with `id`, `name`,
  `points`, `weight`, and `total`; weighted criteria only), `abnormallyLow` (`flagged`,
  `justification` and the committee's `decision`, for a price flagged abnormally low) and
  `rankAdjustments[]` (`id`, `rule`, `explanation` in the tender's language, `computedRank`;
  for a rule pack's adjustment also `kind` and the explanation in each of the platform's
  languages, `explanation_en`, `explanation_es`, `explanation_pt`, `explanation_fr`) for
  every adjustment of the country's rule pack that concerns the bid.
* `tender.documents[]`: per completed lot, `evaluation-report-<lot>`, documentType
  `evaluationReports`, linking to the public report of the lot, its description the ranking
  and every adjustment's explanation in words.

The awards (`award_sections`, registered after `evaluation_sections`): every decision on a lot,
cancelled ones included, from the moment it is made.

* `awards[]`: `id` `award-<pk>` (a contract's `awardID`), `title`, `description` (the buyer's
  reasons), `status` (`standstill` and `suspended` publish as `pending`; `active`, `cancelled`,
  `unsuccessful` as themselves), `date` (the decision), `value` and `suppliers` (each supplier
  a party with the role `supplier` and its scale), `relatedLots`, `relatedBids` (the ids of
  `bids.details`, `<bid id>-<lot>`); none of value, suppliers and bids for an unsuccessful lot.
* Fields of our own on an award: `standstillPeriod` (an OCDS Period: the decision to the end
  of the standstill) and `complaints[]` (`id`, `status` pending|upheld|dismissed|closed,
  `dateSubmitted`, `dateDecided`, `complainant` (an organization reference to the party),
  `grounds`, `resolution`).
* `awards[].documents[]`: `award-notice-<pk>` (`awardNotice`, the public page of the decision);
  per complaint `complaint-<pk>` (`complaints`, its grounds, then `complaint-<pk>-decision`
  with the resolution once decided) and `complaint-<pk>-document-<n>` for each document filed
  with it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from pregon.evaluation.choices import AwardStatus, ComplaintStatus, Compliance, Justification
from pregon.evaluation.models import Award, BidAssessment, Complaint, Evaluation
from pregon.evaluation.selectors import awards_of_process, evaluation_reports
from pregon.publication.mapping import (
    Parties,
    ReleaseRequest,
    Sections,
    absolute_url,
    ocds_datetime,
    ocds_number,
    ocds_value,
)
from pregon.tenders.choices import ContentLanguage
from pregon.tenders.models import Tender


def report_url(tender: Tender, lot_number: int) -> str:
    """The public address of a lot's evaluation report (in the active language)."""
    path = reverse("evaluation:report", kwargs={"pk": tender.pk})
    return absolute_url(f"{path}#lot-{lot_number}")


#: The languages each rule pack's explanation is published in, as `explanation_<code>`.
EXPLANATION_LANGUAGES = {"en": "en", "es": "es", "pt": "pt-br", "fr": "fr"}


def _adjustment_entry(
    number: int, adjustment: dict[str, Any], computed_rank: int | None
) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": str(number),
        "rule": adjustment["rule"],
        "explanation": adjustment["explanation"],
        "computedRank": computed_rank,
    }
    if adjustment.get("kind"):
        entry["kind"] = adjustment["kind"]
    texts = adjustment.get("explanations") or {}
    for code, language in EXPLANATION_LANGUAGES.items():
        if language in texts:
            entry[f"explanation_{code}"] = texts[language]
    return entry


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
    bid = str(assessment.bid_id)
    adjustments = [
        _adjustment_entry(number, adjustment, computed.get(bid))
        for number, adjustment in enumerate(evaluation.adjustments, start=1)
        if adjustment.get("bid") == bid or bid in adjustment.get("bids", [])
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


# ---------------------------------------------------------------------------------------------
# awards

#: Our award statuses in the OCDS awardStatus codelist.
AWARD_STATUS_CODES: dict[str, str] = {
    AwardStatus.STANDSTILL: "pending",
    AwardStatus.SUSPENDED: "pending",
    AwardStatus.ACTIVE: "active",
    AwardStatus.CANCELLED: "cancelled",
    AwardStatus.UNSUCCESSFUL: "unsuccessful",
}


def awards_url(tender: Tender, award: Award) -> str:
    """The public address of a decision, on the tender's awards page (in the active language)."""
    path = reverse("evaluation:awards", kwargs={"pk": tender.pk})
    return absolute_url(f"{path}#award-{award.pk}")


def complaint_url(tender: Tender, complaint: Complaint) -> str:
    """The public page of a complaint (in the active language)."""
    return absolute_url(
        reverse("evaluation:complaint", kwargs={"pk": tender.pk, "complaint": complaint.pk})
    )


def _complaint_documents(
    tender: Tender, award: Award, complaint: Complaint
) -> list[dict[str, Any]]:
    url = complaint_url(tender, complaint)
    lot = [str(award.lot.number)]
    documents: list[dict[str, Any]] = [
        {
            "id": complaint.ocds_id,
            "documentType": "complaints",
            "title": _("Complaint by %(bidder)s") % {"bidder": complaint.complainant.display_name},
            "description": complaint.grounds,
            "url": url,
            "datePublished": ocds_datetime(complaint.submitted_at),
            "format": "text/html",
            "relatedLots": lot,
        }
    ]
    for number, document in enumerate(complaint.documents.all(), start=1):
        documents.append(
            {
                "id": f"{complaint.ocds_id}-document-{number}",
                "documentType": "complaints",
                "title": document.filename,
                "url": absolute_url(
                    reverse(
                        "evaluation:complaint_document",
                        kwargs={
                            "pk": tender.pk,
                            "complaint": complaint.pk,
                            "document": document.pk,
                        },
                    )
                ),
                "datePublished": ocds_datetime(document.uploaded_at),
                "format": document.content_type,
                "relatedLots": lot,
            }
        )
    if complaint.status != ComplaintStatus.PENDING and complaint.decided_at is not None:
        documents.append(
            {
                "id": f"{complaint.ocds_id}-decision",
                "documentType": "complaints",
                "title": _("Decision on the complaint by %(bidder)s: %(status)s")
                % {
                    "bidder": complaint.complainant.display_name,
                    "status": complaint.get_status_display().lower(),
                },
                "description": complaint.resolution,
                "url": f"{url}#decision",
                "datePublished": ocds_datetime(complaint.decided_at),
                "format": "text/html",
                "relatedLots": lot,
            }
        )
    return documents


def _complaint_entry(complaint: Complaint, parties: Parties) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": complaint.ocds_id,
        "status": complaint.status,
        "dateSubmitted": ocds_datetime(complaint.submitted_at),
        "complainant": parties.add(complaint.complainant),
        "grounds": complaint.grounds,
    }
    if complaint.decided_at is not None:
        entry["dateDecided"] = ocds_datetime(complaint.decided_at)
        entry["resolution"] = complaint.resolution
    return entry


def award_entry(tender: Tender, award: Award, parties: Parties) -> dict[str, Any]:
    """One decision as an OCDS award (see the module's docstring)."""
    lot = str(award.lot.number)
    entry: dict[str, Any] = {
        "id": award.ocds_id,
        "title": _("Award of lot %(lot)s") % {"lot": lot},
        "description": award.reason,
        "status": AWARD_STATUS_CODES[award.status],
        "date": ocds_datetime(award.decided_at),
        "relatedLots": [lot],
    }
    if award.is_awarded:
        assert award.supplier is not None and award.value_amount is not None
        entry["value"] = ocds_value(award.value_amount, award.currency)
        entry["suppliers"] = [parties.add(award.supplier, "supplier")]
        entry["relatedBids"] = [f"{award.bid_id}-{lot}"]
        assert award.standstill_ends_at is not None
        entry["standstillPeriod"] = {
            "startDate": ocds_datetime(award.decided_at),
            "endDate": ocds_datetime(award.standstill_ends_at),
        }
    documents = [
        {
            "id": f"award-notice-{award.pk}",
            "documentType": "awardNotice",
            "title": entry["title"],
            "description": award.reason,
            "url": awards_url(tender, award),
            "datePublished": ocds_datetime(award.decided_at),
            "format": "text/html",
            "language": tender.language,
            "relatedLots": [lot],
        }
    ]
    complaints = list(award.complaints.all())
    for complaint in complaints:
        documents += _complaint_documents(tender, award, complaint)
    entry["documents"] = documents
    if complaints:
        entry["complaints"] = [_complaint_entry(c, parties) for c in complaints]
    return entry


def award_sections(request: ReleaseRequest) -> Sections | None:
    """The awards of the process `request.ocid`: None until a lot is decided."""
    awards = awards_of_process(ocid=request.ocid)
    if not awards:
        return None
    tender = awards[0].tender
    language = "pt-br" if tender.language == ContentLanguage.PT else tender.language
    with translation.override(language):
        entries = [award_entry(tender, award, request.parties) for award in awards]
    return Sections(body={"awards": entries})
