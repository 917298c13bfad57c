"""The committee's opening page, and the sealed envelopes it decrypts in the browser.

A member of a tender's opening committee, signed in (the multi-factor sign-in officials must
use is enforced before any page is reached), sees the sealed bids by number, never by bidder.
From the opening time on, the page's script (`bids/opening.js`, on top of `bids/sealing.js`)
reads the member's key file with their passphrase, fetches the envelopes, decrypts the member's
share of each on their device, checks it against the envelope's SHA-256, and fills the hand-in
form with the shares and, for a bid whose share does not decrypt or does not match, a declaration
saying so; without JavaScript the page explains how to do the same with the `pregon` command, and
takes a shares file. The hand-in itself is one service (`opening_shares_hand_in`), which opens
the bids when the last bid is settled.
"""

from __future__ import annotations

import base64

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pregon.bids import services
from pregon.bids.forms_opening import HandInForm
from pregon.bids.selectors_opening import (
    opening_due_check,
    opening_envelopes,
    opening_member_get,
    opening_progress,
    opening_share_pairs,
)
from pregon.core import clock
from pregon.core.errors import DomainError, InvalidTransition, NotFound, PermissionDenied
from pregon.organizations.acting import actor_from_request
from pregon.tenders.models import CommitteeMember, Tender
from pregon.tenders.selectors import tender_public_get


def _tender(pk: int) -> Tender:
    try:
        return tender_public_get(pk=pk)
    except NotFound as error:
        raise Http404(str(error.message)) from None


def _member(request: HttpRequest, tender: Tender) -> CommitteeMember:
    try:
        return opening_member_get(actor=actor_from_request(request, tender.buyer), tender=tender)
    except PermissionDenied as error:
        raise DjangoPermissionDenied(str(error.message)) from None


def _render(
    request: HttpRequest,
    tender: Tender,
    member: CommitteeMember,
    *,
    form: HandInForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    progress = opening_progress(tender=tender, member=member)
    waiting = ""
    try:
        opening_due_check(tender, clock.db_now())
    except InvalidTransition as refusal:
        waiting = str(refusal.message)
    context = {
        "tender": tender,
        "member": member,
        "progress": progress,
        "waiting": waiting,
        "form": form or HandInForm(),
        "error": error,
        # Without bids the hand-in is empty: the form opens with it already filled in.
        "empty_hand_in": '{"shares": []}' if not progress.bids else "",
        "envelopes_url": reverse("opening:envelopes", kwargs={"pk": tender.pk}),
    }
    return render(request, "bids/opening/committee.html", context, status=status)


@login_required
def opening_committee(request: HttpRequest, pk: int) -> HttpResponse:
    """The opening page of a committee member: the sealed bids, the progress, the hand-in."""
    tender = _tender(pk)
    member = _member(request, tender)
    if request.method != "POST":
        return _render(request, tender, member)
    form = HandInForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, tender, member, form=form, status=422)
    actor = actor_from_request(request, tender.buyer)
    try:
        pairs = opening_share_pairs(tender=tender, shares=form.cleaned_data["pairs"])
        declarations = opening_share_pairs(
            tender=tender, shares=form.cleaned_data["declarations"], field="declarations"
        )
        result = services.opening_shares_hand_in(
            actor=actor, tender=tender, shares=pairs, declarations=declarations
        )
    except DomainError as refusal:
        if (
            isinstance(refusal, InvalidTransition)
            and opening_progress(tender=tender, member=member).opened
        ):
            # Another member's hand-in opened the bids first: say so where the page can show it.
            messages.info(
                request,
                _("The bids were opened before your hand-in: your shares were not needed."),
            )
            return redirect(tender.get_absolute_url() + "#opening")
        return _render(
            request, tender, member, form=form, error=str(refusal.message), status=refusal.status
        )
    if result.opened:
        messages.success(
            request,
            _("The bids are open: the opening record is published on the tender's page."),
        )
        return redirect(tender.get_absolute_url() + "#opening")
    progress = opening_progress(tender=tender, member=member)
    held = ngettext(
        "The platform holds %(count)s share of yours.",
        "The platform holds %(count)s shares of yours.",
        result.handed_in,
    ) % {"count": result.handed_in}
    needed = ngettext(
        "At least %(missing)s more member must hand in their shares, or declare that they "
        "cannot decrypt them, before the bids open.",
        "At least %(missing)s more members must hand in their shares, or declare that they "
        "cannot decrypt them, before the bids open.",
        progress.missing,
    ) % {"missing": progress.missing}
    parts = [held]
    if result.declared:
        parts.append(
            ngettext(
                "You declared that you cannot decrypt your share of %(count)s bid; your position "
                "is named with it in the opening record.",
                "You declared that you cannot decrypt your share of %(count)s bids; your position "
                "is named with them in the opening record.",
                result.declared,
            )
            % {"count": result.declared}
        )
    parts.append(needed)
    messages.success(request, " ".join(parts))
    return redirect("opening:committee", pk=tender.pk)


@login_required
def opening_envelopes_json(request: HttpRequest, pk: int) -> HttpResponse:
    """The sealed envelopes for a committee member, from the opening time on (the same JSON as
    the API's), to decrypt in the page or to download."""
    tender = _tender(pk)
    actor = actor_from_request(request, tender.buyer)
    try:
        bids = opening_envelopes(actor=actor, tender=tender)
    except PermissionDenied as error:
        raise DjangoPermissionDenied(str(error.message)) from None
    except InvalidTransition as refusal:
        return JsonResponse(refusal.as_problem(instance=request.path), status=refusal.status)
    response = JsonResponse(
        {
            "tender": tender.ocid,
            "bids": [
                {
                    "id": str(bid.pk),
                    "envelope": base64.urlsafe_b64encode(bytes(bid.envelope)).decode().rstrip("="),
                }
                for bid in bids
            ],
        }
    )
    response["Content-Disposition"] = f'attachment; filename="{tender.ocid}-envelopes.json"'
    response["Cache-Control"] = "no-store"
    return response
