"""The quick quotes' pages: the public's (the list and one quick quote, its quotes after the
closing), the buyer's (its quick quotes, a new one in one form, editing a draft, and one quick
quote's working page: publish, cancel, choose a quote, issue the order) and the supplier's
(the open quick quotes it may quote on, its quotes, and the quote form).

Views are thin: each POST calls one service; a refusal is shown on the form it came from, in
the visitor's language, and changes nothing. Dates and times are typed and shown in the
buyer's time zone.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from pregon.accounts.choices import (
    BUYER_READ_ROLES,
    BUYER_WRITE_ROLES,
    SUPPLIER_ROLES,
    OrganizationKind,
)
from pregon.accounts.permissions import roles_in
from pregon.core.errors import DomainError, NotFound, PermissionDenied
from pregon.core.pages import form_errors_from
from pregon.core.transitions import can_transition
from pregon.organizations.acting import actor_from_request, current_organization, require_workspace
from pregon.organizations.models import Organization
from pregon.organizations.selectors import supplier_evidence_missing
from pregon.planning.models import PlanLine
from pregon.publication.selectors import releases_of_process
from pregon.quotes import packs, services
from pregon.quotes.choices import TRANSITIONS, QuickQuoteStatus
from pregon.quotes.forms import (
    OrderForm,
    PickForm,
    QuickQuoteForm,
    QuoteForm,
    ReasonForm,
    form_field_of,
)
from pregon.quotes.models import QuickQuote, Quote
from pregon.quotes.selectors import (
    quick_quote_for_buyer,
    quick_quote_public_get,
    quick_quotes_of_buyer,
    quick_quotes_open_for_supplier,
    quick_quotes_public,
    quote_standing_of,
    quotes_of_supplier,
    quotes_public,
    standing_quotes,
)

INVALID_FORM_STATUS = 422
PER_PAGE = 25


def _in_zone_of_page[**P, R: HttpResponseBase](
    view: Callable[Concatenate[HttpRequest, P], R],
) -> Callable[Concatenate[HttpRequest, P], R]:
    """The view may activate its buyer's zone (`_use_zone`); the activation ends with it."""

    @wraps(view)
    def zoned(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> R:
        with timezone.override(None):
            return view(request, *args, **kwargs)

    return zoned


def _use_zone(organization: Organization) -> None:
    timezone.activate(organization.effective_time_zone)


def _rule_context(quick_quote: QuickQuote) -> dict[str, Any]:
    rule = packs.rule_of(quick_quote)
    return {
        "rule_title": packs.text(rule.title) if rule else quick_quote.rule_key,
        "rule_basis": packs.basis_text(rule) if rule else "",
        "threshold": packs.threshold_text(rule) if rule else "",
        "who_may_quote": packs.who_may_quote(quick_quote),
    }


# ---------------------------------------------------------------------------------------------
# everyone


def quick_quote_list(request: HttpRequest) -> HttpResponse:
    """Published quick quotes, the newest first."""
    page = Paginator(quick_quotes_public(), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "quotes/list.html", {"page": page})


@_in_zone_of_page
def quick_quote_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One published quick quote: what, where, until when, who may quote; after the closing
    its quotes, the choice and the order; its open data."""
    try:
        quick_quote = quick_quote_public_get(pk=pk)
    except NotFound as error:
        raise Http404(str(error.message)) from None
    _use_zone(quick_quote.buyer)
    supplier = current_organization(
        request, kinds={OrganizationKind.SUPPLIER}, roles=SUPPLIER_ROLES
    )
    context = {
        "quick_quote": quick_quote,
        "items": list(quick_quote.items.all()),
        "quotes": quotes_public(quick_quote),
        "releases": releases_of_process(ocid=quick_quote.ocid) if quick_quote.ocid else [],
        "can_quote": supplier is not None and quick_quote.status == QuickQuoteStatus.OPEN,
        **_rule_context(quick_quote),
    }
    return render(request, "quotes/detail.html", context)


# ---------------------------------------------------------------------------------------------
# the buyer


@login_required
def buyer_home(request: HttpRequest) -> HttpResponse:
    """The buyer's quick quotes."""
    workspace = require_workspace(request, kinds={OrganizationKind.BUYER}, roles=BUYER_READ_ROLES)
    buyer = workspace.organization
    actor = actor_from_request(request, buyer)
    context = {
        "buyer": buyer,
        "can_edit": workspace.has_any(BUYER_WRITE_ROLES),
        "quick_quotes": list(quick_quotes_of_buyer(actor=actor, buyer=buyer)),
    }
    return render(request, "quotes/buyer_home.html", context)


def _plan_line_of(request: HttpRequest, buyer: Organization) -> PlanLine | None:
    raw = request.GET.get("line") or request.POST.get("line")
    if not raw:
        return None
    line = (
        PlanLine.objects.select_related("plan").filter(pk=raw, plan__buyer=buyer).first()
        if str(raw).isdigit()
        else None
    )
    if line is None:
        raise Http404(_("There is no such plan line."))
    return line


@login_required
@_in_zone_of_page
def quick_quote_new(request: HttpRequest) -> HttpResponse:
    """A new quick quote in one form (from a plan line with `?line=<id>`)."""
    workspace = require_workspace(request, kinds={OrganizationKind.BUYER}, roles=BUYER_WRITE_ROLES)
    buyer = workspace.organization
    _use_zone(buyer)
    actor = actor_from_request(request, buyer)
    line = _plan_line_of(request, buyer)
    initial: dict[str, Any] = {"language": "es", "currency": "CLP"}
    if line is not None:
        initial.update(
            title=line.description,
            category=line.category,
            currency=line.currency,
            estimated_value=line.estimated_value,
            language=line.plan.language,
            item0_description=line.description,
            item0_scheme=line.classification_scheme,
            item0_code=line.classification_code,
            item0_quantity=1,
        )
    form = QuickQuoteForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                quick_quote = services.quick_quote_create(
                    actor=actor, buyer=buyer, data=form.data_for_service(), plan_line=line
                )
            except DomainError as refusal:
                refusal.field = form_field_of(refusal.field)
                form_errors_from(refusal, form)
                status = refusal.status
            else:
                messages.success(
                    request, _("The quick quote is drafted. Check it, then publish it.")
                )
                return redirect("quotes:manage", pk=quick_quote.pk)
        else:
            status = INVALID_FORM_STATUS
    context = {"form": form, "buyer": buyer, "line": line, "quick_quote": None}
    return render(request, "quotes/form.html", context, status=status)


def _buyers(request: HttpRequest, pk: int) -> QuickQuote:
    actor = actor_from_request(request, None)
    try:
        return quick_quote_for_buyer(actor=actor, pk=pk)
    except NotFound as error:
        raise Http404(str(error.message)) from None
    except PermissionDenied as error:
        raise DjangoPermissionDenied(str(error.message)) from None


@login_required
@_in_zone_of_page
def quick_quote_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a draft."""
    quick_quote = _buyers(request, pk)
    _use_zone(quick_quote.buyer)
    actor = actor_from_request(request, quick_quote.buyer)
    form = QuickQuoteForm(request.POST or None, initial=QuickQuoteForm.initial_of(quick_quote))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.quick_quote_update(
                    actor=actor, quick_quote=quick_quote, data=form.data_for_service()
                )
            except DomainError as refusal:
                refusal.field = form_field_of(refusal.field)
                form_errors_from(refusal, form)
                status = refusal.status
            else:
                messages.success(request, _("The draft is saved."))
                return redirect("quotes:manage", pk=quick_quote.pk)
        else:
            status = INVALID_FORM_STATUS
    context = {"form": form, "buyer": quick_quote.buyer, "line": None, "quick_quote": quick_quote}
    return render(request, "quotes/form.html", context, status=status)


@login_required
@_in_zone_of_page
def quick_quote_manage(request: HttpRequest, pk: int) -> HttpResponse:
    """One quick quote of the buyer: publish or cancel it; after the closing, its quotes, the
    choice of one and the order. Each POST names its `action`."""
    quick_quote = _buyers(request, pk)
    buyer = quick_quote.buyer
    _use_zone(buyer)
    actor = actor_from_request(request, buyer)
    quotes = standing_quotes(quick_quote) if quick_quote.quotes_visible else []
    action = request.POST.get("action", "") if request.method == "POST" else ""
    cancel_form = ReasonForm(request.POST if action == "cancel" else None, prefix="cancel")
    pick_form = PickForm(
        request.POST if action == "pick" else None,
        prefix="pick",
        quotes=Quote.objects.filter(pk__in=[q.pk for q in quotes]).select_related("supplier"),
        initial={"quote": quick_quote.chosen_id, "reason": quick_quote.choice_reason},
    )
    order_form = OrderForm(request.POST if action == "order" else None, prefix="order")
    problem = ""
    status = 200
    if action:
        try:
            if action == "publish":
                services.quick_quote_publish(actor=actor, quick_quote=quick_quote)
                messages.success(request, _("The quick quote is published."))
            elif action == "cancel" and cancel_form.is_valid():
                services.quick_quote_cancel(
                    actor=actor, quick_quote=quick_quote, reason=cancel_form.cleaned_data["reason"]
                )
                messages.success(request, _("The quick quote is cancelled."))
            elif action == "pick" and pick_form.is_valid():
                services.quick_quote_pick(
                    actor=actor,
                    quick_quote=quick_quote,
                    quote=pick_form.cleaned_data["quote"],
                    reason=pick_form.cleaned_data["reason"],
                )
                messages.success(request, _("The quote is chosen. Issue the order."))
            elif action == "order" and order_form.is_valid():
                order = services.quick_quote_order(
                    actor=actor,
                    quick_quote=quick_quote,
                    signatory=order_form.cleaned_data["signatory"],
                )
                messages.success(
                    request,
                    _("The purchase order is issued. It awaits the supplier's acceptance."),
                )
                return redirect("contracts:manage", pk=order.pk)
            elif action in {"cancel", "pick", "order"}:
                status = INVALID_FORM_STATUS
            else:
                raise Http404
        except DomainError as refusal:
            status = refusal.status
            form = {"cancel": cancel_form, "pick": pick_form, "order": order_form}.get(action)
            if form is not None:
                form_errors_from(refusal, form)
            else:
                problem = str(refusal.message)
        else:
            if status == 200:
                return redirect("quotes:manage", pk=quick_quote.pk)
    can_edit = bool(roles_in(actor.user, buyer) & BUYER_WRITE_ROLES)

    def can(move: str) -> bool:
        return can_edit and can_transition(quick_quote, move, TRANSITIONS)

    context = {
        "quick_quote": quick_quote,
        "items": list(quick_quote.items.all()),
        "quotes": quotes,
        "error": problem,
        "can": {move: can(move) for move in TRANSITIONS},
        "cancel_form": cancel_form,
        "pick_form": pick_form,
        "order_form": order_form,
        # What the chosen supplier must still give before the order (as before any contract).
        "evidence_missing": (
            supplier_evidence_missing(organization=quick_quote.chosen.supplier)
            if quick_quote.chosen is not None and can("order")
            else []
        ),
        **_rule_context(quick_quote),
    }
    return render(request, "quotes/manage.html", context, status=status)


# ---------------------------------------------------------------------------------------------
# the supplier


@login_required
def supplier_home(request: HttpRequest) -> HttpResponse:
    """The open quick quotes the supplier may quote on, and its quotes."""
    workspace = require_workspace(request, kinds={OrganizationKind.SUPPLIER}, roles=SUPPLIER_ROLES)
    supplier = workspace.organization
    context = {
        "supplier": supplier,
        "open": quick_quotes_open_for_supplier(supplier=supplier),
        "quotes": list(quotes_of_supplier(supplier=supplier)[:100]),
    }
    return render(request, "quotes/supplier_home.html", context)


@login_required
@_in_zone_of_page
def quote_form(request: HttpRequest, pk: int) -> HttpResponse:
    """The supplier's quote on an open quick quote: submit, replace or withdraw it."""
    workspace = require_workspace(request, kinds={OrganizationKind.SUPPLIER}, roles=SUPPLIER_ROLES)
    supplier = workspace.organization
    try:
        quick_quote = quick_quote_public_get(pk=pk)
    except NotFound as error:
        raise Http404(str(error.message)) from None
    _use_zone(quick_quote.buyer)
    actor = actor_from_request(request, supplier)
    standing = quote_standing_of(quick_quote, supplier)
    initial = (
        {"price": standing.price, "delivery_date": standing.delivery_date, "note": standing.note}
        if standing
        else {}
    )
    action = request.POST.get("action", "submit") if request.method == "POST" else ""
    form = QuoteForm(request.POST if action == "submit" else None, initial=initial)
    problem = ""
    status = 200
    if action:
        try:
            if action == "withdraw" and standing is not None:
                services.quote_withdraw(actor=actor, quote=standing)
                messages.success(request, _("Your quote is withdrawn."))
                return redirect("quotes:quote", pk=quick_quote.pk)
            if action == "submit":
                if form.is_valid():
                    services.quote_submit(
                        actor=actor,
                        quick_quote=quick_quote,
                        supplier=supplier,
                        data=form.data_for_service(),
                    )
                    messages.success(
                        request,
                        _(
                            "Your quote is submitted. You may replace or withdraw it until the "
                            "closing."
                        ),
                    )
                    return redirect("quotes:quote", pk=quick_quote.pk)
                status = INVALID_FORM_STATUS
            elif action != "submit":
                raise Http404
        except DomainError as refusal:
            status = refusal.status
            if action == "submit":
                form_errors_from(refusal, form)
            else:
                problem = str(refusal.message)
    context = {
        "quick_quote": quick_quote,
        "items": list(quick_quote.items.all()),
        "supplier": supplier,
        "standing": standing,
        "form": form,
        "error": problem,
        "refusal": packs.supplier_refusal(quick_quote, supplier),
        "is_open": quick_quote.status == QuickQuoteStatus.OPEN,
        **_rule_context(quick_quote),
    }
    return render(request, "quotes/quote.html", context, status=status)
