"""The buyer's tenders: the workspace home, the organization switcher, a new draft, one
tender's page, and the editing of a draft."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pregon.core.errors import DomainError
from pregon.organizations.acting import actor_from_request
from pregon.tenders import selectors, services
from pregon.tenders.choices import TenderStatus
from pregon.workspace.buyer.forms import (
    BaseCriteriaFormSet,
    TenderForm,
    as_unbound,
    criteria_as_typed,
    criteria_formset,
    criteria_in_use,
)
from pregon.workspace.buyer.views.common import (
    BUYER_KINDS,
    READ_ROLES,
    WRITE_ROLES,
    access_tender,
    access_tender_to_edit,
    buyer_workspace,
    in_buyer_time_zone,
    refuse_unless_reading,
    render_refused,
    tender_context,
    tender_page_context,
    tender_url,
    workspace_context,
)
from pregon.workspace.common import switch_view

switch = in_buyer_time_zone(
    switch_view(kinds=BUYER_KINDS, roles=READ_ROLES, fallback="workspace:home")
)


@login_required
@in_buyer_time_zone
def home(request: HttpRequest) -> HttpResponse:
    """The buyer's tenders by status, with the number of questions waiting for an answer."""
    workspace = buyer_workspace(request)
    if refused := refuse_unless_reading(request):
        return refused
    tenders = list(selectors.tenders_of_buyer(buyer=workspace.organization))
    groups = [
        {
            "status": status,
            "label": label,
            "tenders": [tender for tender in tenders if tender.status == status],
        }
        for status, label in TenderStatus.choices
    ]
    context = workspace_context(request, workspace)
    context.update(
        groups=groups,
        total=len(tenders),
        can_edit=workspace.has_any(WRITE_ROLES),
        unanswered=sum(tender.unanswered for tender in tenders),  # type: ignore[attr-defined]
    )
    return render(request, "workspace/buyer/home.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@in_buyer_time_zone
def tender_create(request: HttpRequest) -> HttpResponse:
    """Start a draft for the buyer the person acts for."""
    workspace = buyer_workspace(request)
    if not workspace.has_any(WRITE_ROLES):
        raise DjangoPermissionDenied
    form = TenderForm(request.POST or None)
    criteria, adding = criteria_formset(request.POST or None, None)
    context = {
        **workspace_context(request, workspace),
        "form": form,
        "criteria": criteria,
        "creating": True,
        "nav": "create",
    }
    if adding:
        context["form"] = as_unbound(form, TenderForm)
        return render(request, "workspace/buyer/tender_form.html", context)
    if request.method != "POST":
        return render(request, "workspace/buyer/tender_form.html", context)
    in_use = criteria_in_use(request.POST)
    if not in_use:
        # Lowest price: the rows are ignored, and shown again as typed.
        context["criteria"] = criteria = criteria_as_typed(request.POST)
    if not (form.is_valid() and (not in_use or criteria.is_valid())):
        return render_refused(request, "workspace/buyer/tender_form.html", context)
    try:
        tender = services.tender_create(
            actor=actor_from_request(request, workspace.organization),
            buyer=workspace.organization,
            data=form.to_data(criteria=criteria.to_data() if in_use else []),
        )
    except DomainError as error:
        return refused_with_criteria(
            request,
            "workspace/buyer/tender_form.html",
            context,
            form=form,
            criteria=criteria,
            error=error,
        )
    messages.success(request, _("The draft is saved. Now add its lots and items."))
    return redirect(tender_url(tender, "lots"))


@login_required
@in_buyer_time_zone
def tender_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything about one tender, with the actions its state allows."""
    access = access_tender(request, pk)
    if refused := refuse_unless_reading(request):
        return refused
    return render(request, "workspace/buyer/tender.html", tender_page_context(request, access))


@login_required
@require_http_methods(["GET", "POST"])
@in_buyer_time_zone
def tender_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a draft's fields."""
    access = access_tender_to_edit(request, pk)
    tender = access.tender
    if request.method != "POST" and "edit" not in access.transitions:
        messages.warning(
            request, _("Only a draft can be edited. Use an amendment for an open tender.")
        )
        return redirect(tender_url(tender))
    initial = TenderForm.initial_from(tender)
    form = TenderForm(request.POST or None, initial=initial)
    criteria, adding = criteria_formset(request.POST or None, tender)
    context = tender_context(request, access, form=form, criteria=criteria, creating=False)
    if adding:
        context["form"] = as_unbound(form, TenderForm)
        return render(request, "workspace/buyer/tender_form.html", context)
    if request.method != "POST":
        return render(request, "workspace/buyer/tender_form.html", context)
    in_use = criteria_in_use(request.POST)
    if not in_use:
        # Lowest price: the rows are ignored, and shown again as typed.
        context["criteria"] = criteria = criteria_as_typed(request.POST)
    if not (form.is_valid() and (not in_use or criteria.is_valid())):
        return render_refused(request, "workspace/buyer/tender_form.html", context)
    try:
        services.tender_update(
            actor=actor_from_request(request, tender.buyer),
            tender=tender,
            data=form.to_data(tender, criteria=criteria.to_data() if in_use else []),
        )
    except DomainError as error:
        return refused_with_criteria(
            request,
            "workspace/buyer/tender_form.html",
            context,
            form=form,
            criteria=criteria,
            error=error,
        )
    messages.success(request, _("The draft is saved."))
    return redirect(tender_url(tender))


def refused_with_criteria(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    form: Form,
    criteria: BaseCriteriaFormSet,
    error: DomainError,
) -> HttpResponse:
    """A refusal shown on a page with award criteria: one about the weighted criteria as a
    whole goes above their rows, any other onto the form."""
    if error.field == "criteria":
        criteria.add_refusal(str(error.message))
        return render(request, template, context, status=error.status)
    return render_refused(request, template, context, form=form, error=error)
