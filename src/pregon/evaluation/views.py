"""The evaluation's pages: the committee's working page, the public report, and a bidder's
page where it reads its own assessments, answers a request to justify its price and answers a
right to cover the best offer.

Views are thin: each POST calls one service; a refusal is shown on the page in the visitor's
language and changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from pregon.accounts.choices import SUPPLIER_ROLES, OrganizationKind
from pregon.core.errors import DomainError, NotFound, PermissionDenied
from pregon.evaluation import services
from pregon.evaluation.choices import EvaluationStatus
from pregon.evaluation.forms import ScoresForm, TextForm
from pregon.evaluation.selectors import (
    assessment_for_committee,
    assessment_of_supplier,
    assessments_of_supplier,
    evaluation_board,
    evaluation_member_get,
    evaluation_reports,
    quality_criteria,
)
from pregon.organizations.acting import actor_from_request, require_workspace
from pregon.tenders.models import Tender
from pregon.tenders.selectors import tender_public_get


def _tender(pk: int) -> Tender:
    try:
        return tender_public_get(pk=pk)
    except NotFound as error:
        raise Http404(str(error.message)) from None


def evaluation_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The public evaluation report: each completed lot's ranking, points, reasons and
    adjustments, as published."""
    tender = _tender(pk)
    context = {
        "tender": tender,
        "reports": evaluation_reports(tender=tender),
        "criteria": quality_criteria(tender),
    }
    return render(request, "evaluation/report.html", context)


def _committee_action(request: HttpRequest, tender: Tender) -> str:
    """Carry out the POSTed action through its service; the message to show on success."""
    actor = actor_from_request(request, tender.buyer)
    action = request.POST.get("action", "")
    if action == "start":
        lot = tender.lots.filter(number=request.POST.get("lot", "")).first()
        if lot is None:
            raise NotFound(_("There is no such lot in this tender."))
        services.evaluation_start(actor=actor, tender=tender, lot=lot)
        return _("The evaluation of lot %(lot)s has started.") % {"lot": lot.number}
    if action == "complete":
        board = evaluation_board(actor=actor, tender=tender)
        entry = next(
            (e for e in board if e.evaluation and str(e.lot.number) == request.POST.get("lot")),
            None,
        )
        if entry is None or entry.evaluation is None:
            raise NotFound(_("There is no such lot in this tender."))
        evaluation = services.evaluation_complete(actor=actor, evaluation=entry.evaluation)
        if evaluation.status == EvaluationStatus.COVER_OFFERED:
            return _(
                "The country's rules give a bidder of lot %(lot)s the right to cover the best "
                "offer: the lot is completed and published when it answers, or when its "
                "deadline passes."
            ) % {"lot": entry.lot.number}
        return _("The evaluation of lot %(lot)s is completed and published.") % {
            "lot": entry.lot.number
        }
    try:
        number = int(request.POST.get("assessment", ""))
    except ValueError:
        raise NotFound(_("There is no such assessment in this tender.")) from None
    assessment = assessment_for_committee(actor=actor, tender=tender, pk=number)
    if action == "qualify":
        services.assessment_qualify(actor=actor, assessment=assessment)
        return _("The bid is qualified.")
    if action == "score":
        form = ScoresForm(request.POST, criteria=quality_criteria(tender))
        if not form.is_valid():
            raise DomainError(
                " ".join(str(m) for errors in form.errors.values() for m in errors), field="scores"
            )
        services.assessment_score(actor=actor, assessment=assessment, points=form.points())
        return _("The points are saved.")
    text = request.POST.get("text", "")
    if action == "disqualify":
        services.assessment_disqualify(actor=actor, assessment=assessment, reason=text)
        return _("The bid is disqualified.")
    if action == "request":
        services.justification_request(actor=actor, assessment=assessment, request=text)
        return _("The bidder is asked to justify its price.")
    if action in ("accept", "reject"):
        services.justification_decide(
            actor=actor, assessment=assessment, accept=action == "accept", decision=text
        )
        return _("The decision on the justification is saved.")
    raise NotFound(_("Unknown action."))


@login_required
def evaluation_committee(request: HttpRequest, pk: int) -> HttpResponse:
    """The committee's working page: every lot, every bid, the forms of every step."""
    tender = _tender(pk)
    actor = actor_from_request(request, tender.buyer)
    try:
        member = evaluation_member_get(actor=actor, tender=tender)
    except PermissionDenied as error:
        raise DjangoPermissionDenied(str(error.message)) from None
    message = ""
    status = 200
    if request.method == "POST":
        try:
            done = _committee_action(request, tender)
        except DomainError as refusal:
            message, status = str(refusal.message), refusal.status
        else:
            messages.success(request, done)
            return redirect("evaluation:committee", pk=tender.pk)
    context: dict[str, Any] = {
        "tender": tender,
        "member": member,
        "board": evaluation_board(actor=actor, tender=tender),
        "criteria": quality_criteria(tender),
        "opened": hasattr(tender, "opening") and tender.opening.status == "opened",
        "error": message,
    }
    return render(request, "evaluation/committee.html", context, status=status)


@login_required
def evaluation_mine(request: HttpRequest, pk: int) -> HttpResponse:
    """A bidder's own assessments in the tender, and the justifications asked of it."""
    tender = _tender(pk)
    workspace = require_workspace(request, kinds={OrganizationKind.SUPPLIER}, roles=SUPPLIER_ROLES)
    supplier = workspace.organization
    actor = actor_from_request(request, supplier)
    message, status = "", 200
    if request.method == "POST":
        try:
            number = int(request.POST.get("assessment", ""))
        except ValueError:
            raise Http404 from None
        try:
            assessment = assessment_of_supplier(
                actor=actor, tender=tender, supplier=supplier, pk=number
            )
        except NotFound:
            raise Http404 from None
        action = request.POST.get("action", "justify")
        try:
            if action == "cover":
                services.cover_improve(
                    actor=actor,
                    evaluation=assessment.evaluation,
                    price=request.POST.get("price", ""),
                )
                done = _("You covered the best offer; the evaluation of the lot is completed.")
            elif action == "pass":
                services.cover_pass(actor=actor, evaluation=assessment.evaluation)
                done = _("You let the right to cover pass; the evaluation of the lot is completed.")
            else:
                services.justification_answer(
                    actor=actor, assessment=assessment, answer=request.POST.get("text", "")
                )
                done = _("Your justification was sent to the committee.")
        except DomainError as refusal:
            message, status = str(refusal.message), refusal.status
        else:
            messages.success(request, done)
            return redirect("evaluation:mine", pk=tender.pk)
    context = {
        "tender": tender,
        "supplier": supplier,
        "assessments": assessments_of_supplier(actor=actor, tender=tender, supplier=supplier),
        "form": TextForm(),
        "error": message,
    }
    return render(request, "evaluation/mine.html", context, status=status)
