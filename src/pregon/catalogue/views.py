"""The catalogue's pages: the supplier search, a supplier's public profile and its photos
(public), and the supplier's own pages to fill in its catalogue (its people only).

Views stay thin: they parse a form, check who acts, call one service or selector, render.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_countries import countries

from pregon.accounts.choices import SUPPLIER_ROLES, OrganizationKind
from pregon.accounts.permissions import roles_in
from pregon.catalogue import services
from pregon.catalogue.forms import ItemForm, ProfileForm, SupplierSearchForm
from pregon.catalogue.models import CatalogueItem
from pregon.catalogue.selectors import (
    catalogue_item_of,
    catalogue_item_public_get,
    catalogue_items,
    catalogue_of,
    catalogue_public_of,
    public_contracts_of,
    search_countries,
    search_regions,
    supplier_public_get,
    suppliers_search,
)
from pregon.core.errors import DomainError, NotFound
from pregon.core.pages import form_errors_from
from pregon.organizations.acting import actor_from_request, require_workspace
from pregon.organizations.models import Organization

#: Suppliers per page of the search, and published contracts shown on a profile.
PER_PAGE = 20
CONTRACTS_SHOWN = 50
INVALID_FORM_STATUS = 422


def _not_found(error: NotFound) -> Http404:
    return Http404(str(error.message))


# ---------------------------------------------------------------------------------------------
# everyone


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    """Suppliers by code, region, size, characteristics, kind of offer and words."""
    names = dict(countries)
    form = SupplierSearchForm(
        request.GET or None,
        countries=[(code, str(names.get(code, code))) for code in search_countries()],
        regions=search_regions(),
    )
    valid = not form.is_bound or form.is_valid()
    filters = form.filters()
    page = (
        Paginator(suppliers_search(filters=filters), PER_PAGE).get_page(request.GET.get("page"))
        if valid
        else None
    )
    return render(
        request,
        "catalogue/search.html",
        {"form": form, "page": page, "filtered": filters.any},
        status=200 if valid else INVALID_FORM_STATUS,
    )


def _may_see_drafts(request: HttpRequest, supplier: Organization) -> bool:
    """Whether the reader acts for the supplier (and so sees its catalogue unpublished)."""
    user = request.user if request.user.is_authenticated else None
    return bool(roles_in(user, supplier) & SUPPLIER_ROLES)


@require_safe
def profile(request: HttpRequest, pk: int) -> HttpResponse:
    """A supplier's shop window: who it is, what it does and offers, where, how much it can
    take on, and the contracts it holds as the published data shows them."""
    try:
        supplier = supplier_public_get(pk=pk)
    except NotFound as error:
        raise _not_found(error) from None
    own = _may_see_drafts(request, supplier)
    catalogue = catalogue_of(supplier=supplier) if own else catalogue_public_of(supplier=supplier)
    items = list(catalogue_items(profile=catalogue)) if catalogue is not None else []
    contracts = list(public_contracts_of(supplier=supplier)[: CONTRACTS_SHOWN + 1])
    return render(
        request,
        "catalogue/profile.html",
        {
            "supplier": supplier,
            "catalogue": catalogue,
            "items": items,
            "contracts": contracts[:CONTRACTS_SHOWN],
            "more_contracts": len(contracts) > CONTRACTS_SHOWN,
            "own": own,
        },
    )


@require_safe
def photo(request: HttpRequest, pk: int, variant: str) -> FileResponse:
    """A product's photo or thumbnail: public once its catalogue is published, else only to
    the supplier's people."""
    try:
        item = catalogue_item_public_get(pk=pk)
    except NotFound as error:
        raise _not_found(error) from None
    published = item.profile.is_published
    if not item.has_photo or not (published or _may_see_drafts(request, item.profile.organization)):
        raise Http404(_("There is no photo here."))
    stored = item.thumbnail if variant == "thumbnail" else item.photo
    try:
        handle = stored.open("rb")
    except FileNotFoundError:
        raise Http404(_("There is no photo here.")) from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = f'inline; filename="{item.photo_sha256[:16]}.jpg"'
    # Named by their hash, the bytes never change: a published photo may be cached long.
    response["Cache-Control"] = "public, max-age=86400" if published else "private, no-store"
    return response


# ---------------------------------------------------------------------------------------------
# the supplier's people


def _supplier(request: HttpRequest) -> Organization:
    workspace = require_workspace(request, kinds={OrganizationKind.SUPPLIER}, roles=SUPPLIER_ROLES)
    return workspace.organization


class _Invalid(Exception):
    """A form that did not validate (it carries its own errors)."""


def _valid[F: forms.Form](form: F) -> F:
    if not form.is_valid():
        raise _Invalid
    return form


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def manage(request: HttpRequest) -> HttpResponse:
    """The supplier's catalogue: what it says of itself, publish or withdraw it, its items."""
    supplier = _supplier(request)
    actor = actor_from_request(request, supplier)
    catalogue = catalogue_of(supplier=supplier)
    form = ProfileForm(initial=ProfileForm.initial_from(catalogue))
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "save")
        form = ProfileForm(request.POST) if action == "save" else form
        try:
            if action == "save":
                services.catalogue_profile_save(
                    actor=actor, supplier=supplier, data=_valid(form).data_for_service()
                )
                done = _("Your catalogue was saved.")
            elif action == "publish":
                services.catalogue_publish(actor=actor, supplier=supplier)
                done = _("Your catalogue is published: buyers can find it.")
            elif action == "withdraw":
                services.catalogue_withdraw(actor=actor, supplier=supplier)
                done = _("Your catalogue is hidden again; only your people see it.")
            else:
                raise Http404(_("Unknown action."))
        except _Invalid:
            status = INVALID_FORM_STATUS
        except DomainError as refusal:
            form_errors_from(refusal, form)
            status = refusal.status
        else:
            messages.success(request, done)
            return redirect("catalogue:manage")
    items = list(catalogue_items(profile=catalogue)) if catalogue is not None else []
    return render(
        request,
        "catalogue/manage.html",
        {
            "supplier": supplier,
            "catalogue": catalogue,
            "form": form,
            "items": items,
            "nav": "catalogue",
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def item_new(request: HttpRequest) -> HttpResponse:
    """Add a product or service."""
    supplier = _supplier(request)
    actor = actor_from_request(request, supplier)
    form = ItemForm()
    status = 200
    if request.method == "POST":
        form = ItemForm(request.POST, request.FILES)
        try:
            valid = _valid(form)
            services.catalogue_item_add(
                actor=actor,
                supplier=supplier,
                data=valid.data_for_service(),
                photo=valid.cleaned_data.get("photo") or None,
            )
        except _Invalid:
            status = INVALID_FORM_STATUS
        except DomainError as refusal:
            form_errors_from(refusal, form)
            status = refusal.status
        else:
            messages.success(request, _("The product or service was added to your catalogue."))
            return redirect("catalogue:manage")
    return render(
        request,
        "catalogue/item_form.html",
        {"supplier": supplier, "form": form, "item": None, "nav": "catalogue"},
        status=status,
    )


def _item_initial(item: CatalogueItem) -> dict[str, object]:
    return {
        "kind": item.kind,
        "name": item.name,
        "description": item.description,
        "classification_scheme": item.classification_scheme,
        "classification_code": item.classification_code,
        "unit": item.unit,
        "price": item.price,
        "currency": item.currency,
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a product or service, its photo included."""
    supplier = _supplier(request)
    actor = actor_from_request(request, supplier)
    try:
        item = catalogue_item_of(supplier=supplier, pk=pk)
    except NotFound as error:
        raise _not_found(error) from None
    form = ItemForm(initial=_item_initial(item))
    status = 200
    if request.method == "POST":
        form = ItemForm(request.POST, request.FILES)
        try:
            valid = _valid(form)
            services.catalogue_item_update(
                actor=actor,
                item=item,
                data=valid.data_for_service(),
                photo=valid.cleaned_data.get("photo") or None,
                remove_photo=bool(valid.cleaned_data.get("remove_photo")),
            )
        except _Invalid:
            status = INVALID_FORM_STATUS
        except DomainError as refusal:
            form_errors_from(refusal, form)
            status = refusal.status
        else:
            messages.success(request, _("The product or service was saved."))
            return redirect("catalogue:manage")
    return render(
        request,
        "catalogue/item_form.html",
        {"supplier": supplier, "form": form, "item": item, "nav": "catalogue"},
        status=status,
    )


@login_required
@require_POST
def item_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Take a product or service out of the catalogue."""
    supplier = _supplier(request)
    actor = actor_from_request(request, supplier)
    try:
        item = catalogue_item_of(supplier=supplier, pk=pk)
        services.catalogue_item_remove(actor=actor, item=item)
    except NotFound as error:
        raise _not_found(error) from None
    except DomainError as refusal:
        messages.error(request, str(refusal.message))
    else:
        messages.success(request, _("The product or service was removed from your catalogue."))
    return redirect("catalogue:manage")
