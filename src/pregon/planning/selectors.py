"""Reading plans: what the public may see ("coming soon" lines, published plans), and what a
buyer's workspace lists. Drafts are never public: a draft plan or line answers NotFound."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from pregon.accounts.choices import BUYER_READ_ROLES
from pregon.accounts.models import User
from pregon.accounts.permissions import roles_in
from pregon.core.classifications import descendants_prefix
from pregon.core.errors import NotFound
from pregon.organizations.models import Organization
from pregon.planning.choices import PlanLineStatus, PlanStatus
from pregon.planning.models import Plan, PlanLine

#: The states of a line the public sees (a draft line is the buyer's own).
PUBLIC_LINE_STATUSES = (
    PlanLineStatus.PUBLISHED,
    PlanLineStatus.FOLLOWED,
    PlanLineStatus.WITHDRAWN,
)


@dataclass(kw_only=True)
class PlanFilters:
    """The public filters of plans and lines; every field is optional.

    `code` finds lines classified under it or under any code below it ("45" or "45000000-7":
    construction work; "4521" or "45210000-2": building work and what is below it), in
    `scheme` when given; `region` is the buyer's region (its address).
    """

    code: str = ""
    scheme: str = ""
    region: str = ""
    buyer: int | None = None
    year: int | None = None


def _public_lines() -> QuerySet[PlanLine]:
    return PlanLine.objects.filter(
        plan__status=PlanStatus.PUBLISHED,
        status__in=PUBLIC_LINE_STATUSES,
        published_at__isnull=False,
    )


def _filtered_lines(queryset: QuerySet[PlanLine], filters: PlanFilters) -> QuerySet[PlanLine]:
    if filters.code:
        prefix = descendants_prefix(filters.code)
        if prefix:
            queryset = queryset.filter(classification_code__startswith=prefix)
    if filters.scheme:
        queryset = queryset.filter(classification_scheme=filters.scheme)
    if filters.region:
        queryset = queryset.filter(plan__buyer__region__iexact=filters.region.strip())
    if filters.buyer:
        queryset = queryset.filter(plan__buyer_id=filters.buyer)
    if filters.year:
        queryset = queryset.filter(plan__year=filters.year)
    return queryset


def plan_lines_coming_soon(*, filters: PlanFilters | None = None) -> QuerySet[PlanLine]:
    """Published lines that nothing follows yet ("coming soon"), matching the filters: the
    soonest quarter first, then by buyer and line number."""
    queryset = _public_lines().filter(status=PlanLineStatus.PUBLISHED)
    return (
        _filtered_lines(queryset, filters or PlanFilters())
        .select_related("plan", "plan__buyer")
        .order_by("plan__year", "quarter", "plan__buyer__legal_name", "plan_id", "number")
    )


def plan_lines_public(*, filters: PlanFilters | None = None) -> QuerySet[PlanLine]:
    """Every public line (published, followed or withdrawn) matching the filters, in the same
    order as the "coming soon" ones."""
    return (
        _filtered_lines(_public_lines(), filters or PlanFilters())
        .select_related("plan", "plan__buyer")
        .order_by("plan__year", "quarter", "plan__buyer__legal_name", "plan_id", "number")
    )


def plans_public(*, filters: PlanFilters | None = None) -> QuerySet[Plan]:
    """Published plans, newest year first; with a code or a region, those with a public line
    that matches. Each carries `public_lines` (how many lines the public sees) and
    `coming_soon` (how many nothing follows yet)."""
    filters = filters or PlanFilters()
    queryset = Plan.objects.filter(status=PlanStatus.PUBLISHED).select_related("buyer")
    if filters.buyer:
        queryset = queryset.filter(buyer_id=filters.buyer)
    if filters.year:
        queryset = queryset.filter(year=filters.year)
    if filters.code or filters.scheme or filters.region:
        matching = _filtered_lines(_public_lines(), filters)
        queryset = queryset.filter(pk__in=matching.values("plan_id"))
    return queryset.annotate(
        public_lines=Count("lines", filter=Q(lines__status__in=PUBLIC_LINE_STATUSES)),
        coming_soon=Count("lines", filter=Q(lines__status=PlanLineStatus.PUBLISHED)),
    ).order_by("-year", "buyer__legal_name", "pk")


def plan_public_counted_get(*, pk: int) -> Plan:
    """A published plan with its counts of lines (as `plans_public` gives them), or NotFound."""
    plan = plans_public().filter(pk=pk).first()
    if plan is None:
        raise NotFound(_("There is no published procurement plan with this number."))
    return plan


def plan_public_get(*, pk: int) -> Plan:
    """A published plan with its public lines (`public_line_list`), or NotFound."""
    plan = (
        Plan.objects.filter(status=PlanStatus.PUBLISHED, pk=pk)
        .select_related("buyer")
        .prefetch_related(
            Prefetch(
                "lines",
                queryset=_public_lines().order_by("number"),
                to_attr="public_line_list",
            )
        )
        .first()
    )
    if plan is None:
        raise NotFound(_("There is no published procurement plan with this number."))
    return plan


def plan_line_public_get(*, pk: int) -> PlanLine:
    """A public line of a published plan, or NotFound (draft lines included)."""
    line = _public_lines().select_related("plan", "plan__buyer").filter(pk=pk).first()
    if line is None:
        raise NotFound(_("There is no published plan line with this number."))
    return line


def plans_of_buyer_public(*, buyer: Organization) -> QuerySet[Plan]:
    """A buyer's published plans, newest year first (its organization page links them)."""
    return plans_public(filters=PlanFilters(buyer=buyer.pk))


def plan_regions_public() -> list[str]:
    """The regions of the buyers with a line coming soon, for the public filter."""
    regions = (
        _public_lines()
        .filter(status=PlanLineStatus.PUBLISHED)
        .exclude(plan__buyer__region="")
        .values_list("plan__buyer__region", flat=True)
        .distinct()
    )
    return sorted(set(regions), key=str.casefold)


# ---------------------------------------------------------------------------------------------
# the buyer's workspace


def plans_of_buyer(*, buyer: Organization) -> QuerySet[Plan]:
    """Every plan of a buyer, newest year first, with its lines counted by state."""
    return (
        Plan.objects.filter(buyer=buyer)
        .annotate(
            line_count=Count("lines"),
            draft_lines=Count("lines", filter=Q(lines__status=PlanLineStatus.DRAFT)),
        )
        .order_by("-year", "-pk")
    )


def plan_for_buyer(*, user: User, pk: int) -> Plan:
    """A plan of one of the person's buyer organizations (drafts included) with its lines, or
    NotFound: another organization's plan answers NotFound, so its drafts stay secret."""
    plan = (
        Plan.objects.select_related("buyer")
        .prefetch_related(Prefetch("lines", queryset=PlanLine.objects.order_by("number")))
        .filter(pk=pk)
        .first()
    )
    if plan is None or not (roles_in(user, plan.buyer) & BUYER_READ_ROLES):
        raise NotFound(_("There is no procurement plan with this number in your organization."))
    return plan
