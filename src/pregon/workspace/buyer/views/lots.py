"""The lots of a draft: added, edited and deleted (in place with HTMX when available)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pregon.core.errors import DomainError
from pregon.core.pages import form_errors_from
from pregon.organizations.acting import actor_from_request
from pregon.tenders import services
from pregon.workspace.buyer.forms import LotForm
from pregon.workspace.buyer.views.common import (
    INVALID_FORM_STATUS,
    access_tender_to_edit,
    confirm_delete,
    in_buyer_time_zone,
    lot_of,
    lots_done,
    lots_response,
    render_refused,
    tender_context,
    tender_url,
)


@login_required
@require_http_methods(["GET", "POST"])
@in_buyer_time_zone
def lot_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a lot to a draft."""
    access = access_tender_to_edit(request, pk)
    form = LotForm(request.POST or None, prefix="lot")
    context = tender_context(request, access, form=form, lot=None)
    if request.method != "POST":
        return render(request, "workspace/buyer/lot_form.html", context)
    error: DomainError | None = None
    if form.is_valid():
        try:
            services.lot_save(
                actor=actor_from_request(request, access.tender.buyer),
                tender=access.tender,
                data=form.to_data(),
            )
        except DomainError as refused:
            error = refused
        else:
            return lots_done(request, access, _("The lot is added."))
    if error is not None:
        form_errors_from(error, form)
    status = error.status if error is not None else INVALID_FORM_STATUS
    if request.htmx:  # type: ignore[attr-defined]
        return lots_response(request, pk, status=status, lot_form=form)
    return render(request, "workspace/buyer/lot_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
@in_buyer_time_zone
def lot_edit(request: HttpRequest, pk: int, lot_pk: int) -> HttpResponse:
    """Change a lot's title, description or value (its items stay)."""
    access = access_tender_to_edit(request, pk)
    lot = lot_of(access, lot_pk)
    form = LotForm(request.POST or None, prefix="lot", initial=LotForm.initial_from(lot))
    context = tender_context(request, access, form=form, lot=lot)
    if request.method != "POST":
        return render(request, "workspace/buyer/lot_form.html", context)
    if not form.is_valid():
        return render_refused(request, "workspace/buyer/lot_form.html", context)
    try:
        services.lot_save(
            actor=actor_from_request(request, access.tender.buyer),
            tender=access.tender,
            lot=lot,
            data=form.to_data(),
        )
    except DomainError as error:
        return render_refused(
            request, "workspace/buyer/lot_form.html", context, form=form, error=error
        )
    messages.success(request, _("The lot is saved."))
    return redirect(tender_url(access.tender, f"lot-{lot.pk}"))


@login_required
@require_http_methods(["GET", "POST"])
@in_buyer_time_zone
def lot_delete(request: HttpRequest, pk: int, lot_pk: int) -> HttpResponse:
    """Remove a lot and its items from a draft."""
    access = access_tender_to_edit(request, pk)
    lot = lot_of(access, lot_pk)
    return confirm_delete(
        request,
        access,
        target=lot,
        question=_("Delete %(lot)s and its items?") % {"lot": lot},
        action=lambda: services.lot_delete(
            actor=actor_from_request(request, access.tender.buyer), lot=lot
        ),
        done=_("The lot is deleted."),
        anchor="lots",
    )
