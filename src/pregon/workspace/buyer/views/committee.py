"""A draft's opening committee: the buyer's committee members who open the bids, and how many
of them are needed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pregon.core.errors import DomainError
from pregon.organizations.acting import actor_from_request
from pregon.tenders import selectors, services
from pregon.workspace.buyer.forms import CommitteeForm
from pregon.workspace.buyer.views.common import (
    access_tender_to_edit,
    in_buyer_time_zone,
    render_refused,
    tender_context,
    tender_url,
)

TEMPLATE = "workspace/buyer/committee.html"


@login_required
@require_http_methods(["GET", "POST"])
@in_buyer_time_zone
def tender_committee(request: HttpRequest, pk: int) -> HttpResponse:
    """Name (or name again) a draft's opening committee."""
    access = access_tender_to_edit(request, pk)
    tender = access.tender
    if request.method != "POST" and "edit" not in access.transitions:
        messages.warning(
            request, _("The opening committee is named before publication and cannot change.")
        )
        return redirect(tender_url(tender, "committee"))
    candidates = selectors.committee_candidates(buyer=tender.buyer)
    form = CommitteeForm(
        request.POST or None,
        candidates=candidates,
        initial=CommitteeForm.initial_from(tender, candidates),
    )
    context = tender_context(
        request,
        access,
        form=form,
        candidates=candidates,
        without_key=selectors.committee_members_without_key(buyer=tender.buyer),
    )
    if request.method != "POST":
        return render(request, TEMPLATE, context)
    if not form.is_valid():
        return render_refused(request, TEMPLATE, context)
    try:
        services.tender_committee_set(
            actor=actor_from_request(request, tender.buyer),
            tender=tender,
            members=form.ordered_members(),
            threshold=form.cleaned_data["threshold"],
        )
    except DomainError as error:
        return render_refused(request, TEMPLATE, context, form=form, error=error)
    messages.success(request, _("The opening committee is named."))
    return redirect(tender_url(tender, "committee"))
