"""A tender's transitions: publish a draft, amend an open tender, cancel."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pregon.core import clock
from pregon.core.errors import DomainError
from pregon.core.time_zones import moment_text
from pregon.organizations.acting import actor_from_request
from pregon.tenders import services
from pregon.tenders.choices import TenderStatus
from pregon.workspace.buyer.forms import (
    AmendmentForm,
    CancelForm,
    as_unbound,
    criteria_as_typed,
    criteria_formset,
    criteria_in_use,
)
from pregon.workspace.buyer.views.common import (
    access_tender,
    access_tender_to_edit,
    in_buyer_time_zone,
    render_refused,
    tender_context,
    tender_url,
)
from pregon.workspace.buyer.views.tenders import refused_with_criteria


@login_required
@require_http_methods(["GET", "POST"])
@in_buyer_time_zone
def tender_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """List what stops publication; publish on confirmation."""
    access = access_tender(request, pk)
    tender = access.tender
    if request.method == "POST" and not access.can_edit:
        raise DjangoPermissionDenied
    problems = services.publication_problems(tender) if tender.status == TenderStatus.DRAFT else []
    context = tender_context(request, access, problems=problems)
    if request.method != "POST":
        return render(request, "workspace/buyer/publish.html", context)
    try:
        services.tender_publish(actor=actor_from_request(request, tender.buyer), tender=tender)
    except DomainError as error:
        context["problems"] = [str(text) for text in error.errors.get("__all__", [])]
        context["error"] = "" if context["problems"] else error.message
        return render(request, "workspace/buyer/publish.html", context, status=error.status)
    messages.success(
        request, _("The tender is published. It is open for questions and bids until the deadline.")
    )
    return redirect(tender_url(tender))


@login_required
@require_http_methods(["GET", "POST"])
@in_buyer_time_zone
def tender_amend(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an open tender, with a public reason."""
    access = access_tender_to_edit(request, pk)
    tender = access.tender
    initial = AmendmentForm.initial_from(tender)
    form = AmendmentForm(request.POST or None, request.FILES or None, initial=initial)
    criteria, adding = criteria_formset(request.POST or None, tender)
    earliest = clock.now() + dt.timedelta(days=settings.PREGON_AMENDMENT_MIN_DAYS)
    context = tender_context(
        request,
        access,
        form=form,
        criteria=criteria,
        min_days=settings.PREGON_AMENDMENT_MIN_DAYS,
        earliest=moment_text(earliest),
    )
    if adding:
        # A file chosen before adding a row is not kept: the browser sends it once.
        context["form"] = as_unbound(form, AmendmentForm)
        return render(request, "workspace/buyer/amend.html", context)
    if request.method != "POST":
        return render(request, "workspace/buyer/amend.html", context)
    in_use = criteria_in_use(request.POST)
    if not in_use:
        # Lowest price: the rows are ignored, and shown again as typed.
        context["criteria"] = criteria = criteria_as_typed(request.POST)
    if not (form.is_valid() and (not in_use or criteria.is_valid())):
        return render_refused(request, "workspace/buyer/amend.html", context)
    try:
        amendment = services.tender_amend(
            actor=actor_from_request(request, tender.buyer),
            tender=tender,
            data=form.to_data(tender, criteria=criteria.to_data() if in_use else []),
        )
    except DomainError as error:
        return refused_with_criteria(
            request,
            "workspace/buyer/amend.html",
            context,
            form=form,
            criteria=criteria,
            error=error,
        )
    if amendment.new_deadline != amendment.previous_deadline:
        messages.success(
            request,
            _("Amendment %(number)s is published. The bid deadline moved.")
            % {"number": amendment.number},
        )
    else:
        messages.success(
            request, _("Amendment %(number)s is published.") % {"number": amendment.number}
        )
    return redirect(tender_url(tender))


@login_required
@require_http_methods(["GET", "POST"])
@in_buyer_time_zone
def tender_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for the reason, then cancel."""
    access = access_tender_to_edit(request, pk)
    tender = access.tender
    form = CancelForm(request.POST or None)
    context = tender_context(request, access, form=form)
    if request.method != "POST":
        return render(request, "workspace/buyer/cancel.html", context)
    if not form.is_valid():
        return render_refused(request, "workspace/buyer/cancel.html", context)
    try:
        services.tender_cancel(
            actor=actor_from_request(request, tender.buyer),
            tender=tender,
            reason=form.cleaned_data["reason"],
        )
    except DomainError as error:
        return render_refused(
            request, "workspace/buyer/cancel.html", context, form=form, error=error
        )
    messages.success(request, _("The tender is cancelled."))
    return redirect(tender_url(tender))
