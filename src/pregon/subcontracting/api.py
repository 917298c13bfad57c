"""The subcontracting API: the sub-opportunities (public), and a supplier's answer to one
(with an API key holding `bids:submit`, the scope of offers, or a signed-in session).

Posting, choosing and recording subcontracts happen on the suppliers' pages; the subcontracts
themselves are published in the contract's OCDS release (docs/subcontracting.md).
"""

from django.http import HttpRequest
from ninja import Query, Router
from ninja.responses import Status

from pregon.core.api_pagination import paginated
from pregon.organizations.api_auth import acting, actor_of, public
from pregon.organizations.choices import ApiScope
from pregon.subcontracting import services
from pregon.subcontracting.models import Answer, SubOpportunity
from pregon.subcontracting.schemas import (
    SubAnswerIn,
    SubAnswerOut,
    SubOpportunityFilterQuery,
    SubOpportunityOut,
)
from pregon.subcontracting.selectors import sub_opportunities_open, sub_opportunity_public_get
from pregon.tenders.selectors import tender_public_get

router = Router(tags=["subcontracting"])


@router.get(
    "/sub-opportunities",
    response=list[SubOpportunityOut],
    url_name="sub_opportunity_list",
    summary="List the sub-opportunities taking answers",
    **public(errors=(404, 422)),
)
@paginated
def sub_opportunity_list(request: HttpRequest, filters: Query[SubOpportunityFilterQuery]) -> object:
    """Work that bidders and contract holders offer to other firms, taking answers now,
    closing soonest first; filtered by classification code, reservation and tender."""
    tender = tender_public_get(pk=filters.tender) if filters.tender else None
    return sub_opportunities_open(
        code=filters.code,
        reserved=filters.reserved.value if filters.reserved else "",
        tender=tender,
    )


@router.get(
    "/sub-opportunities/{int:opportunity_id}",
    response=SubOpportunityOut,
    url_name="sub_opportunity_detail",
    summary="Read a sub-opportunity",
    **public(errors=(404,)),
)
def sub_opportunity_detail(request: HttpRequest, opportunity_id: int) -> SubOpportunity:
    """One sub-opportunity, whatever its state; how many answers stand, never who answered."""
    return sub_opportunity_public_get(pk=opportunity_id)


@router.post(
    "/sub-opportunities/{int:opportunity_id}/answers",
    response={201: SubAnswerOut},
    url_name="sub_opportunity_answer",
    summary="Answer a sub-opportunity",
    **acting(ApiScope.BIDS_SUBMIT, errors=(404, 409, 422)),
)
def sub_opportunity_answer(
    request: HttpRequest, opportunity_id: int, payload: SubAnswerIn
) -> Status[Answer]:
    """Your organization's price and note for the work. Refused (403) to the poster itself
    and, when it is reserved, to a firm that is not an MSME; (409) after its closing time and
    when your organization already has a standing answer (withdraw it on the page first)."""
    actor = actor_of(request)
    opportunity = sub_opportunity_public_get(pk=opportunity_id)
    answer = services.answer_submit(
        actor=actor,
        opportunity=opportunity,
        data=services.AnswerData(price=payload.price, note=payload.note),
    )
    return Status(201, answer)
