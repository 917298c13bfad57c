"""The public pages of plans: the lines coming soon (filtered by classification code and the
buyer's region), a published plan, and one line. Light pages that need no script.

Views stay thin: they parse the filters and read through `selectors`; what follows a line (a
tender, from a layer above) comes from `followers.followers_of`. The buyers' own pages are in
the buyer workspace (`pregon.workspace.buyer.views.plans`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from pregon.core.errors import NotFound
from pregon.planning.choices import Quarter
from pregon.planning.followers import Follower, followers_of
from pregon.planning.forms import ComingSoonForm
from pregon.planning.models import Plan, PlanLine
from pregon.planning.selectors import (
    PlanFilters,
    plan_line_public_get,
    plan_lines_coming_soon,
    plan_public_get,
    plan_regions_public,
    plans_public,
)
from pregon.publication.selectors import releases_of_process

#: Lines per page of the "coming soon" list.
PER_PAGE = 25
#: Plans listed under the lines (the newest).
PLANS_SHOWN = 20


@dataclass(frozen=True)
class LineRow:
    """A line as the public pages list it, with what follows it (None: nothing yet)."""

    line: PlanLine
    follower: Follower | None


def line_rows(lines: Sequence[PlanLine]) -> list[LineRow]:
    """The lines with their followers (one query per kind of follower, for all of them)."""
    followers = followers_of(lines)
    return [LineRow(line=line, follower=followers.get(line.pk)) for line in lines]


def coming_soon(request: HttpRequest) -> HttpResponse:
    """Published lines nothing follows yet, the soonest quarter first, with the filters; then
    the published plans."""
    form = ComingSoonForm(request.GET or None, regions=plan_regions_public())
    filters = form.filters() if form.is_bound else PlanFilters()
    valid = not form.is_bound or form.is_valid()
    page = (
        Paginator(plan_lines_coming_soon(filters=filters), PER_PAGE).get_page(
            request.GET.get("page")
        )
        if valid
        else None
    )
    return render(
        request,
        "planning/public/coming_soon.html",
        {
            "form": form,
            "page": page,
            "filtered": bool(filters.code or filters.region),
            "plans": list(plans_public()[:PLANS_SHOWN]),
        },
    )


def _public_plan(pk: int) -> Plan:
    try:
        return plan_public_get(pk=pk)
    except NotFound as error:
        raise Http404(str(error.message)) from None


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A published plan: its public lines by quarter, each with what follows it."""
    plan = _public_plan(pk)
    rows = line_rows(plan.public_line_list)  # type: ignore[attr-defined]
    quarters = [
        {
            "quarter": quarter,
            "label": label,
            "rows": [row for row in rows if row.line.quarter == quarter],
        }
        for quarter, label in Quarter.choices
    ]
    return render(
        request,
        "planning/public/plan.html",
        {
            "plan": plan,
            "quarters": [group for group in quarters if group["rows"]],
            "line_count": len(rows),
        },
    )


def line_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One public line: what, when, how much, bought how, and what follows it; its open data."""
    try:
        line = plan_line_public_get(pk=pk)
    except NotFound as error:
        raise Http404(str(error.message)) from None
    [row] = line_rows([line])
    return render(
        request,
        "planning/public/line.html",
        {
            "line": line,
            "plan": line.plan,
            "line_row": row,
            "follower": row.follower,
            "releases": releases_of_process(ocid=line.ocid) if line.ocid else [],
        },
    )
