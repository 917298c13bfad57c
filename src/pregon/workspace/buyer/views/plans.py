"""The buyer's procurement plans: the list, a new plan, a plan's page, its lines added, changed
and removed while draft, the plan published, a published line changed or withdrawn, and the
tender drafted from a line.

Each view finds the plan through `planning.selectors.plan_for_buyer` (another organization's
plan answers 404, so its drafts stay secret), lets only the buyer's officials change anything
(other members read, and get 403 on a change), parses a form and calls ONE service of
`pregon.planning.services` (or, for the tender drafted from a line, the tenders' service). A
refused action comes back on its page with the reason and its status, and nothing changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from pregon.accounts.http import user_of
from pregon.accounts.permissions import roles_in
from pregon.core.errors import DomainError, NotFound
from pregon.core.pages import time_zone_note
from pregon.core.transitions import transitions_from
from pregon.organizations.acting import actor_from_request
from pregon.planning import selectors, services
from pregon.planning.choices import LINE_TRANSITIONS, PLAN_TRANSITIONS, PlanLineStatus
from pregon.planning.forms import PlanForm, PlanLineForm, WithdrawForm
from pregon.planning.models import Plan, PlanLine
from pregon.tenders.services import tender_draft_from_plan_line
from pregon.workspace.buyer.views.common import (
    WRITE_ROLES,
    buyer_workspace,
    in_buyer_time_zone,
    refuse_unless_reading,
    render_refused,
    tender_url,
    workspace_context,
)
from pregon.workspace.common import nav_context


@dataclass(kw_only=True)
class PlanAccess:
    """A plan of one of the person's buyers, and what the person may do with it."""

    plan: Plan
    roles: set[str]

    @property
    def can_edit(self) -> bool:
        return bool(self.roles & WRITE_ROLES)

    @property
    def transitions(self) -> set[str]:
        """The plan's moves the person may start now (none for read-only roles)."""
        if not self.can_edit:
            return set()
        return set(transitions_from(self.plan.status, PLAN_TRANSITIONS))

    def line_transitions(self, line: PlanLine) -> set[str]:
        """A line's moves the person may start now (`unfollow` is the tenders' own)."""
        if not self.can_edit:
            return set()
        return set(transitions_from(line.status, LINE_TRANSITIONS)) - {"unfollow", "publish"}


def access_plan(request: HttpRequest, pk: int) -> PlanAccess:
    """A plan of one of the person's buyers, its buyer's zone active; any other plan is 404."""
    user = user_of(request)
    try:
        plan = selectors.plan_for_buyer(user=user, pk=pk)
    except NotFound as error:
        raise Http404(str(error.message)) from None
    # Only inside a view decorated with in_buyer_time_zone, which ends the activation.
    timezone.activate(plan.buyer.effective_time_zone)
    return PlanAccess(plan=plan, roles=roles_in(user, plan.buyer))


def access_plan_to_edit(request: HttpRequest, pk: int) -> PlanAccess:
    """The plan, for a person who may change it; read-only roles get a 403 page."""
    access = access_plan(request, pk)
    if not access.can_edit:
        raise DjangoPermissionDenied
    return access


def line_of(access: PlanAccess, line_pk: int) -> PlanLine:
    """A line of the plan, or 404."""
    for line in access.plan.lines.all():
        if line.pk == line_pk:
            return line
    raise Http404


def line_move_unavailable(
    request: HttpRequest, access: PlanAccess, line: PlanLine, move: str
) -> HttpResponse | None:
    """Back to the plan, saying why, when the page of a move the line's state does not allow
    is asked for (a POST still reaches the service, which refuses it with its reason)."""
    if request.method == "POST" or move in access.line_transitions(line):
        return None
    messages.warning(
        request,
        _("Line %(number)s is %(status)s: this action is not available.")
        % {"number": line.number, "status": line.get_status_display().lower()},
    )
    return redirect(plan_url(access.plan, "lines"))


def plan_url(plan: Plan, anchor: str = "") -> str:
    """The plan's workspace page, at `anchor` if given."""
    url = reverse("workspace:plan", kwargs={"pk": plan.pk})
    return f"{url}#{anchor}" if anchor else url


def plan_context(request: HttpRequest, access: PlanAccess, **extra: Any) -> dict[str, Any]:
    """What every page about one plan shows, with `extra` added."""
    return {
        "plan": access.plan,
        "access": access,
        "time_zone": time_zone_note(),
        "nav": "plans",
        **nav_context(request, can_edit=access.can_edit),
        **extra,
    }


def plan_page_context(request: HttpRequest, access: PlanAccess, **extra: Any) -> dict[str, Any]:
    """The plan's page: its lines, each with the moves the person may start on it."""
    lines = [(line, access.line_transitions(line)) for line in access.plan.lines.all()]
    return plan_context(request, access, lines=lines, **extra)


# ---------------------------------------------------------------------------------------------
# plans


@login_required
@in_buyer_time_zone
def plans(request: HttpRequest) -> HttpResponse:
    """The plans of the buyer the person acts for, newest year first."""
    workspace = buyer_workspace(request)
    if refused := refuse_unless_reading(request):
        return refused
    context = workspace_context(request, workspace)
    context.update(
        nav="plans",
        plans=list(selectors.plans_of_buyer(buyer=workspace.organization)),
        can_edit=workspace.has_any(WRITE_ROLES),
    )
    return render(request, "workspace/buyer/plans/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@in_buyer_time_zone
def plan_create(request: HttpRequest) -> HttpResponse:
    """Start the draft plan of a year for the buyer the person acts for."""
    workspace = buyer_workspace(request)
    if not workspace.has_any(WRITE_ROLES):
        raise DjangoPermissionDenied
    form = PlanForm(request.POST or None)
    context = {**workspace_context(request, workspace), "form": form, "nav": "plans"}
    if request.method != "POST":
        return render(request, "workspace/buyer/plans/plan_form.html", context)
    if not form.is_valid():
        return render_refused(request, "workspace/buyer/plans/plan_form.html", context)
    try:
        plan = services.plan_create(
            actor=actor_from_request(request, workspace.organization),
            buyer=workspace.organization,
            data=form.to_data(),
        )
    except DomainError as error:
        return render_refused(
            request, "workspace/buyer/plans/plan_form.html", context, form=form, error=error
        )
    messages.success(request, _("The draft plan is saved. Now add its lines."))
    return redirect(plan_url(plan, "lines"))


@login_required
@in_buyer_time_zone
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A plan with its lines and the actions their states allow."""
    access = access_plan(request, pk)
    if refused := refuse_unless_reading(request):
        return refused
    return render(request, "workspace/buyer/plans/plan.html", plan_page_context(request, access))


@login_required
@require_http_methods(["GET", "POST"])
@in_buyer_time_zone
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a draft plan's own fields."""
    access = access_plan_to_edit(request, pk)
    plan = access.plan
    if request.method != "POST" and "edit" not in access.transitions:
        messages.warning(request, _("Only a draft plan can be edited."))
        return redirect(plan_url(plan))
    form = PlanForm(request.POST or None, initial=PlanForm.initial_from(plan))
    context = plan_context(request, access, form=form)
    if request.method != "POST":
        return render(request, "workspace/buyer/plans/plan_form.html", context)
    if not form.is_valid():
        return render_refused(request, "workspace/buyer/plans/plan_form.html", context)
    try:
        services.plan_update(
            actor=actor_from_request(request, plan.buyer), plan=plan, data=form.to_data()
        )
    except DomainError as error:
        return render_refused(
            request, "workspace/buyer/plans/plan_form.html", context, form=form, error=error
        )
    messages.success(request, _("The draft plan is saved."))
    return redirect(plan_url(plan))


@login_required
@require_http_methods(["GET", "POST"])
@in_buyer_time_zone
def plan_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Say what publishing does; publish the plan's draft lines on confirmation."""
    access = access_plan_to_edit(request, pk)
    plan = access.plan
    drafts = [line for line in plan.lines.all() if line.status == PlanLineStatus.DRAFT]
    context = plan_context(request, access, drafts=drafts)
    if request.method != "POST":
        return render(request, "workspace/buyer/plans/publish.html", context)
    try:
        published = services.plan_publish(actor=actor_from_request(request, plan.buyer), plan=plan)
    except DomainError as error:
        return render_refused(request, "workspace/buyer/plans/publish.html", context, error=error)
    messages.success(
        request,
        ngettext(
            "%(count)s line is published. Suppliers see it as coming soon.",
            "%(count)s lines are published. Suppliers see them as coming soon.",
            len(published),
        )
        % {"count": len(published)},
    )
    return redirect(plan_url(plan, "lines"))


# ---------------------------------------------------------------------------------------------
# lines


@login_required
@require_http_methods(["GET", "POST"])
@in_buyer_time_zone
def line_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a draft line to the plan."""
    access = access_plan_to_edit(request, pk)
    plan = access.plan
    form = PlanLineForm(request.POST or None)
    context = plan_context(request, access, form=form, line=None)
    if request.method != "POST":
        return render(request, "workspace/buyer/plans/line_form.html", context)
    if not form.is_valid():
        return render_refused(request, "workspace/buyer/plans/line_form.html", context)
    try:
        line = services.plan_line_add(
            actor=actor_from_request(request, plan.buyer), plan=plan, data=form.to_data()
        )
    except DomainError as error:
        return render_refused(
            request, "workspace/buyer/plans/line_form.html", context, form=form, error=error
        )
    messages.success(request, _("Line %(number)s is saved.") % {"number": line.number})
    return redirect(plan_url(plan, "lines"))


@login_required
@require_http_methods(["GET", "POST"])
@in_buyer_time_zone
def line_edit(request: HttpRequest, pk: int, line_pk: int) -> HttpResponse:
    """Change a line: a draft one quietly, a published one as a public planning update."""
    access = access_plan_to_edit(request, pk)
    line = line_of(access, line_pk)
    if unavailable := line_move_unavailable(request, access, line, "edit"):
        return unavailable
    form = PlanLineForm(request.POST or None, initial=PlanLineForm.initial_from(line))
    context = plan_context(request, access, form=form, line=line)
    if request.method != "POST":
        return render(request, "workspace/buyer/plans/line_form.html", context)
    if not form.is_valid():
        return render_refused(request, "workspace/buyer/plans/line_form.html", context)
    try:
        changed = services.plan_line_update(
            actor=actor_from_request(request, access.plan.buyer), line=line, data=form.to_data()
        )
    except DomainError as error:
        return render_refused(
            request, "workspace/buyer/plans/line_form.html", context, form=form, error=error
        )
    if changed.is_public:
        messages.success(request, _("The change to the line is published."))
    else:
        messages.success(request, _("Line %(number)s is saved.") % {"number": line.number})
    return redirect(plan_url(access.plan, "lines"))


@login_required
@require_http_methods(["GET", "POST"])
@in_buyer_time_zone
def line_delete(request: HttpRequest, pk: int, line_pk: int) -> HttpResponse:
    """Ask, then remove a draft line."""
    access = access_plan_to_edit(request, pk)
    line = line_of(access, line_pk)
    if unavailable := line_move_unavailable(request, access, line, "remove"):
        return unavailable
    context = plan_context(request, access, line=line)
    if request.method != "POST":
        return render(request, "workspace/buyer/plans/line_delete.html", context)
    try:
        services.plan_line_delete(actor=actor_from_request(request, access.plan.buyer), line=line)
    except DomainError as error:
        return render_refused(
            request, "workspace/buyer/plans/line_delete.html", context, error=error
        )
    messages.success(request, _("The draft line is removed."))
    return redirect(plan_url(access.plan, "lines"))


@login_required
@require_http_methods(["GET", "POST"])
@in_buyer_time_zone
def line_withdraw(request: HttpRequest, pk: int, line_pk: int) -> HttpResponse:
    """Ask for the public reason, then withdraw a published line."""
    access = access_plan_to_edit(request, pk)
    line = line_of(access, line_pk)
    if unavailable := line_move_unavailable(request, access, line, "withdraw"):
        return unavailable
    form = WithdrawForm(request.POST or None)
    context = plan_context(request, access, line=line, form=form)
    if request.method != "POST":
        return render(request, "workspace/buyer/plans/line_withdraw.html", context)
    if not form.is_valid():
        return render_refused(request, "workspace/buyer/plans/line_withdraw.html", context)
    try:
        services.plan_line_withdraw(
            actor=actor_from_request(request, access.plan.buyer),
            line=line,
            reason=form.cleaned_data["reason"],
        )
    except DomainError as error:
        return render_refused(
            request, "workspace/buyer/plans/line_withdraw.html", context, form=form, error=error
        )
    messages.success(request, _("The line is withdrawn. It stays public with your reason."))
    return redirect(plan_url(access.plan, "lines"))


@login_required
@require_http_methods(["GET", "POST"])
@in_buyer_time_zone
def line_tender(request: HttpRequest, pk: int, line_pk: int) -> HttpResponse:
    """Say what drafting a tender from the line does; draft it on confirmation and go to it."""
    access = access_plan_to_edit(request, pk)
    line = line_of(access, line_pk)
    if unavailable := line_move_unavailable(request, access, line, "follow"):
        return unavailable
    context = plan_context(request, access, line=line)
    if request.method != "POST":
        return render(request, "workspace/buyer/plans/line_tender.html", context)
    try:
        tender = tender_draft_from_plan_line(
            actor=actor_from_request(request, access.plan.buyer), line=line
        )
    except DomainError as error:
        return render_refused(
            request, "workspace/buyer/plans/line_tender.html", context, error=error
        )
    messages.success(
        request,
        _(
            "The draft tender is saved from the plan line. Check its dates and lots, then publish it."
        ),
    )
    return redirect(tender_url(tender))
