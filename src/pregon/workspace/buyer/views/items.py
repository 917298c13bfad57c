"""The items of a draft's lots: added and deleted (in place with HTMX when available)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pregon.core.errors import DomainError
from pregon.core.pages import form_errors_from
from pregon.organizations.acting import actor_from_request
from pregon.tenders import services
from pregon.tenders.models import Item
from pregon.workspace.buyer.forms import ItemForm
from pregon.workspace.buyer.views.common import (
    INVALID_FORM_STATUS,
    TenderAccess,
    access_tender_to_edit,
    confirm_delete,
    find_by_pk,
    in_buyer_time_zone,
    lot_of,
    lots_done,
    lots_response,
    tender_context,
)


def _item(access: TenderAccess, item_pk: int) -> Item:
    items = (item for lot in access.tender.lots.all() for item in lot.items.all())
    return find_by_pk(items, item_pk)


@login_required
@require_http_methods(["GET", "POST"])
@in_buyer_time_zone
def item_add(request: HttpRequest, pk: int, lot_pk: int) -> HttpResponse:
    """Add an item to a lot of a draft."""
    access = access_tender_to_edit(request, pk)
    lot = lot_of(access, lot_pk)
    form = ItemForm(request.POST or None, prefix=f"item-{lot.pk}")
    context = tender_context(request, access, form=form, lot=lot)
    if request.method != "POST":
        return render(request, "workspace/buyer/item_form.html", context)
    error: DomainError | None = None
    if form.is_valid():
        try:
            services.item_add(
                actor=actor_from_request(request, access.tender.buyer),
                lot=lot,
                data=form.to_data(),
            )
        except DomainError as refused:
            error = refused
        else:
            return lots_done(request, access, _("The item is added."))
    if error is not None:
        form_errors_from(error, form)
    status = error.status if error is not None else INVALID_FORM_STATUS
    if request.htmx:  # type: ignore[attr-defined]
        return lots_response(request, pk, status=status, item_forms={lot.pk: form})
    return render(request, "workspace/buyer/item_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
@in_buyer_time_zone
def item_delete(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """Remove an item from a draft."""
    access = access_tender_to_edit(request, pk)
    item = _item(access, item_pk)
    return confirm_delete(
        request,
        access,
        target=item,
        question=_("Delete the item “%(item)s”?") % {"item": item.description},
        action=lambda: services.item_delete(
            actor=actor_from_request(request, access.tender.buyer), item=item
        ),
        done=_("The item is deleted."),
        anchor="lots",
    )
