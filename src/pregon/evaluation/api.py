"""The evaluation's API: a tender's public evaluation report and award decisions, the
assessments of a supplier's own bid, and the supplier's answer to a right to cover the best
offer.

The report is public and holds the completed lots only, as published: before a lot's
evaluation is completed, nothing of it is. A supplier reads its own bid's assessments, whatever
the state of the evaluation, with an API key holding `bids:submit` or signed in; another
supplier's bid answers 404, as one that does not exist. With the same key or session it reads
the rights to cover offered to its bids and covers the best offer or lets it pass, through the
services its page calls (`services.cover`); another organization's right to cover is refused
(403). The committee works on its page, in person.
"""

# No `from __future__ import annotations` here: ninja reads the path parameter's type (a UUID)
# through the wrapper `paginated` puts around the view, outside this module's names.
import uuid

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router

from pregon.bids.selectors import bid_of_supplier
from pregon.core.api_pagination import paginated
from pregon.evaluation import services
from pregon.evaluation.models import Award, BidAssessment, RightToCover
from pregon.evaluation.schemas import (
    AwardOut,
    CoverIn,
    CoverOut,
    EvaluationReportOut,
    OwnAssessmentOut,
    report_of,
)
from pregon.evaluation.selectors import (
    assessments_of_bid,
    awards_of_tender,
    cover_of_supplier,
    covers_of_supplier,
    evaluation_reports,
)
from pregon.organizations.api_auth import acting, acting_for, actor_of, public
from pregon.organizations.choices import ApiScope
from pregon.tenders.selectors import tender_public_get

router = Router()


@router.get(
    "/tenders/{int:tender_id}/evaluation",
    response=EvaluationReportOut,
    url_name="evaluation_report",
    summary="Read a tender's evaluation report",
    tags=["tenders"],
    **public(errors=(404,)),
)
def evaluation_report(request: HttpRequest, tender_id: int) -> dict[str, object]:
    """The lots of a published tender whose evaluation is completed: every bid's compliance
    (with the reason of a disqualification), points, rank, abnormally low flag and the
    committee's decision on it, and the explained adjustments of the ranking. A lot still being
    evaluated is not listed; drafts answer 404."""
    tender = tender_public_get(pk=tender_id)
    return report_of(tender, evaluation_reports(tender=tender))


@router.get(
    "/tenders/{int:tender_id}/awards",
    response=list[AwardOut],
    url_name="tender_awards",
    summary="Read a tender's award decisions and complaints",
    tags=["tenders"],
    **public(errors=(404, 422)),
)
@paginated
def tender_awards(request: HttpRequest, tender_id: int) -> list[Award]:
    """Every decision on the lots of a published tender, by lot and date, cancelled ones
    included: the awarded supplier, bid and value (none for an unsuccessful lot), the buyer's
    reasons, the standstill period, and every complaint with its grounds, documents and the
    decision on it. Empty until a lot is decided; drafts answer 404."""
    tender = tender_public_get(pk=tender_id)
    return awards_of_tender(tender=tender)


@router.get(
    "/bids/{uuid:bid_id}/assessments",
    response=list[OwnAssessmentOut],
    url_name="bid_assessments",
    summary="Read the evaluation of one of your bids",
    tags=["bids"],
    **acting(ApiScope.BIDS_SUBMIT, write=False, errors=(404, 422)),
)
@paginated
def bid_assessments(request: HttpRequest, bid_id: uuid.UUID) -> list[BidAssessment]:
    """The assessments of one of your bids, lot by lot, from the moment the committee starts a
    lot's evaluation: compliance (and the reason of a disqualification), points, rank, and the
    justification of an abnormally low price the committee asks of you (answer it on the page
    "Your bids in the evaluation"). Empty while no lot of it is being evaluated. Another
    organization's bid answers 404, as one that does not exist."""
    actor = actor_of(request)
    bid = bid_of_supplier(organization=acting_for(actor), pk=bid_id)
    return assessments_of_bid(actor=actor, bid=bid)


# ---------------------------------------------------------------------------------------------
# the right to cover the best offer


@router.get(
    "/covers",
    response=list[CoverOut],
    url_name="covers",
    summary="List the rights to cover the best offer offered to you",
    tags=["bids"],
    **acting(ApiScope.BIDS_SUBMIT, write=False, errors=(422,)),
)
@paginated
def covers(request: HttpRequest) -> QuerySet[RightToCover]:
    """The rights to cover the best offer that the country's rules offered your bids (Brazil's
    fictitious tie), newest first, in every state: the tender and lot, the best offer to beat,
    your own price, the deadline, and whether you may still answer (`open`). The committee's
    invitation is also e-mailed to your people."""
    actor = actor_of(request)
    return covers_of_supplier(actor=actor, supplier=acting_for(actor))


@router.post(
    "/covers/{int:cover_id}/actions/cover",
    response=CoverOut,
    url_name="cover_improve",
    summary="Cover the best offer with a lower price",
    tags=["bids"],
    **acting(ApiScope.BIDS_SUBMIT, errors=(404, 409, 422)),
)
def cover_improve(request: HttpRequest, cover_id: int, payload: CoverIn) -> RightToCover:
    """Cover the best offer with `price`, strictly below it, before the deadline: your bid comes
    first and the lot's evaluation is completed and published. The price is not sealed: it is
    recorded and published as it is. A price that does not cover the best offer answers 422;
    a right already answered, or whose deadline has passed, 409; another organization's, 403."""
    actor = actor_of(request)
    supplier = acting_for(actor)
    cover = cover_of_supplier(actor=actor, supplier=supplier, pk=cover_id)
    services.cover_improve(
        actor=actor, evaluation=cover.evaluation, price=payload.price, cover=cover
    )
    return cover_of_supplier(actor=actor, supplier=supplier, pk=cover_id)


@router.post(
    "/covers/{int:cover_id}/actions/pass",
    response=CoverOut,
    url_name="cover_pass",
    summary="Let the right to cover the best offer pass",
    tags=["bids"],
    **acting(ApiScope.BIDS_SUBMIT, errors=(404, 409)),
)
def cover_pass(request: HttpRequest, cover_id: int) -> RightToCover:
    """Let the right to cover pass, before the deadline: the ranking stands and the lot's
    evaluation is completed and published. A right already answered, or whose deadline has
    passed, answers 409; another organization's, 403."""
    actor = actor_of(request)
    supplier = acting_for(actor)
    cover = cover_of_supplier(actor=actor, supplier=supplier, pk=cover_id)
    services.cover_pass(actor=actor, evaluation=cover.evaluation, cover=cover)
    return cover_of_supplier(actor=actor, supplier=supplier, pk=cover_id)
