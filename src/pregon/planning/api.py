"""The plans' API (read only): published procurement plans and their lines, with the tender or
quick quote that follows a line. Public, like the `planning` releases it mirrors; drafts answer
404. Buyers write their plans on their pages."""

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router

from pregon.core.api_pagination import paginated
from pregon.organizations.api_auth import public
from pregon.planning.followers import followers_of
from pregon.planning.models import Plan, PlanLine
from pregon.planning.schemas import PlanLineDetailOut, PlanLineOut, PlanLinesIn, PlanOut, PlansIn
from pregon.planning.selectors import (
    PlanFilters,
    plan_line_public_get,
    plan_lines_coming_soon,
    plan_lines_public,
    plan_public_counted_get,
    plans_public,
)

router = Router(tags=["plans"])


@router.get(
    "/plans",
    response=list[PlanOut],
    url_name="plans",
    summary="List the published procurement plans",
    **public(errors=(422,)),
)
@paginated
def plans(request: HttpRequest, filters: Query[PlansIn]) -> QuerySet[Plan]:
    """Published plans, newest year first, with how many lines the public sees and how many of
    them are still coming soon."""
    return plans_public(filters=PlanFilters(buyer=filters.buyer, year=filters.year))


@router.get(
    "/plans/{int:plan_id}",
    response=PlanOut,
    url_name="plan",
    summary="Read a published procurement plan",
    **public(errors=(404,)),
)
def plan(request: HttpRequest, plan_id: int) -> Plan:
    """A published plan; its lines are at `/plan-lines?buyer=…&year=…`."""
    return plan_public_counted_get(pk=plan_id)


@router.get(
    "/plan-lines",
    response=list[PlanLineOut],
    url_name="plan_lines",
    summary="List the public lines of procurement plans",
    **public(errors=(422,)),
)
@paginated
def plan_lines(request: HttpRequest, filters: Query[PlanLinesIn]) -> QuerySet[PlanLine]:
    """The public lines (published, followed or withdrawn), or with `coming_soon` only those
    nothing follows yet, the soonest quarter first; filtered by classification code (and the
    codes below it), scheme, the buyer's region, buyer and year."""
    selected = PlanFilters(
        code=filters.code.strip(),
        scheme=filters.scheme or "",
        region=filters.region,
        buyer=filters.buyer,
        year=filters.year,
    )
    if filters.coming_soon:
        return plan_lines_coming_soon(filters=selected)
    return plan_lines_public(filters=selected)


@router.get(
    "/plan-lines/{int:line_id}",
    response=PlanLineDetailOut,
    url_name="plan_line",
    summary="Read a public plan line",
    **public(errors=(404,)),
)
def plan_line(request: HttpRequest, line_id: int) -> PlanLine:
    """A public line, with the tender or quick quote that follows it once that is public."""
    line = plan_line_public_get(pk=line_id)
    follower = followers_of([line]).get(line.pk)
    line.follower = follower if follower is not None and follower.is_public else None  # type: ignore[attr-defined]
    return line
