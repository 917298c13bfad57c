"""The lots of a draft: added, edited and deleted (in place with HTMX when available)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pregon.core.errors import DomainError
from pregon.core.pages import form_errors_from
from pregon.organizations.acting import actor_from_request
from pregon.rules import ReservationDecision
from pregon.tenders import services
from pregon.tenders.choices import ReservationObligation
from pregon.tenders.models import Lot, Tender
from pregon.tenders.rule_packs import basis_text, pack_of, reservation_for, text
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


@dataclass(frozen=True)
class ReservationShown:
    """What the rule pack says of a lot's reservation, in the page's language."""

    obligation: str
    label: str
    rule: str
    explanation: str
    may_limit_to_local: bool


def _reservation(
    tender: Tender,
    *,
    value: Decimal | None,
    requests: int | None = 0,
    expected: int | None = None,
) -> tuple[ReservationDecision | None, dict[str, Any]]:
    """The pack's decision for a lot of `value`, and what the lot form shows of it (the
    reason the rules cannot decide, such as a missing rate, instead)."""
    pack = pack_of(tender)
    conditions = {rule.condition for rule in pack.reservations}
    shown: dict[str, Any] = {
        "asks_requests": "requests" in conditions,
        "asks_expected": "rule_of_two" in conditions,
        "pack_ref": pack.ref,
    }
    try:
        decision = reservation_for(
            tender,
            estimated_value=value,
            msme_requests=requests or 0,
            expected_small_offers=expected,
            pack=pack,
        )
    except DomainError as error:
        shown["reservation_error"] = error.message
        return None, shown
    shown["reservation"] = ReservationShown(
        obligation=decision.obligation,
        label=str(ReservationObligation(decision.obligation).label),
        rule=f"{text(decision.rule.title)} ({basis_text(decision.rule)})"
        if decision.rule is not None
        else "",
        explanation=text(decision.explanation),
        may_limit_to_local=decision.may_limit_to_local,
    )
    return decision, shown


def _quota_mains(tender: Tender, lot: Lot | None) -> list[Lot] | None:
    """The lots `lot` (None: a new lot) may be the quota of, when the tender's rule pack
    provides a quota of divisible goods for its category (None: it does not)."""
    quota = pack_of(tender).quota
    if quota is None or quota.category != tender.category:
        return None
    mains = tender.lots.filter(quota_of__isnull=True).order_by("number")
    if lot is not None:
        if lot.quotas.exists():
            return None  # a main lot is not itself a quota
        mains = mains.exclude(pk=lot.pk)
    return list(mains)


def _decide_posted(form: LotForm, tender: Tender) -> None:
    """Give a valid posted form the pack's decision for the values it carries."""
    decision, _shown = _reservation(
        tender,
        value=form.cleaned_data["estimated_value"],
        requests=form.cleaned_data.get("msme_requests"),
        expected=form.cleaned_data.get("expected_small_offers"),
    )
    form.decision = decision


@login_required
@require_http_methods(["GET", "POST"])
@in_buyer_time_zone
def lot_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a lot to a draft; the page says what the rule pack decides of its reservation."""
    access = access_tender_to_edit(request, pk)
    decision, shown = _reservation(access.tender, value=None)
    form = LotForm(
        request.POST or None,
        prefix="lot",
        decision=None if request.method == "POST" else decision,
        quota_mains=_quota_mains(access.tender, None),
    )
    context = tender_context(request, access, form=form, lot=None, **shown)
    if request.method != "POST":
        return render(request, "workspace/buyer/lot_form.html", context)
    error: DomainError | None = None
    if form.is_valid():
        _decide_posted(form, access.tender)
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
    decision, shown = _reservation(
        access.tender,
        value=lot.estimated_value,
        requests=lot.msme_requests,
        expected=lot.expected_small_offers,
    )
    form = LotForm(
        request.POST or None,
        prefix="lot",
        initial=LotForm.initial_from(lot),
        decision=None if request.method == "POST" else decision,
        quota_mains=_quota_mains(access.tender, lot),
    )
    context = tender_context(request, access, form=form, lot=lot, **shown)
    if request.method != "POST":
        return render(request, "workspace/buyer/lot_form.html", context)
    if not form.is_valid():
        return render_refused(request, "workspace/buyer/lot_form.html", context)
    _decide_posted(form, access.tender)
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
