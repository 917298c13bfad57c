"""The award pages: the public decisions and complaints of a tender, the buyer's page where it
decides each lot and the complaints, and a bidder's notice, where it files a complaint.

Views are thin: each POST calls one service; a refusal is shown on the page in the visitor's
language and changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from pregon.accounts.choices import SUPPLIER_ROLES, OrganizationKind, Role
from pregon.core import clock
from pregon.core.actor import Actor
from pregon.core.errors import DomainError, NotFound, PermissionDenied
from pregon.evaluation import services
from pregon.evaluation.choices import (
    COMPLAINT_DOCUMENTS_MAX,
    GROUNDS_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    AwardStatus,
    ComplaintStatus,
)
from pregon.evaluation.forms import ComplaintForm
from pregon.evaluation.models import AwardNotice, Evaluation
from pregon.evaluation.selectors import (
    award_buyer_check,
    awards_explained,
    awards_of_tender,
    complaint_decider_check,
    complaint_document_get,
    complaint_get,
    complaints_decided_by_oversight,
    lots_awardable,
    notice_disqualification,
    notices_of_supplier,
)
from pregon.organizations.acting import actor_from_request, current_organization, require_workspace
from pregon.tenders.models import Tender
from pregon.tenders.selectors import tender_public_get


def _tender(pk: int) -> Tender:
    try:
        return tender_public_get(pk=pk)
    except NotFound as error:
        raise Http404(str(error.message)) from None


def _allowed(check: Any, **kwargs: Any) -> bool:
    try:
        check(**kwargs)
    except PermissionDenied:
        return False
    return True


def awards_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Every decision on the tender's lots, with the adjustments of the ranking it was made on
    (as the evaluation report explains them), its complaints and their resolutions."""
    tender = _tender(pk)
    actor = actor_from_request(request, tender.buyer)
    context = {
        "tender": tender,
        "decisions": awards_explained(awards=awards_of_tender(tender=tender)),
        "can_manage": request.user.is_authenticated
        and (
            _allowed(award_buyer_check, actor=actor, tender=tender)
            or _allowed(complaint_decider_check, actor=_decider(request, tender), tender=tender)
        ),
    }
    return render(request, "evaluation/awards.html", context)


def complaint_page(request: HttpRequest, pk: int, complaint: int) -> HttpResponse:
    """One complaint: its grounds, documents and the decision on it (public)."""
    tender = _tender(pk)
    try:
        found = complaint_get(tender=tender, pk=complaint)
    except NotFound as error:
        raise Http404(str(error.message)) from None
    return render(request, "evaluation/complaint.html", {"tender": tender, "complaint": found})


def complaint_document(
    request: HttpRequest, pk: int, complaint: int, document: int
) -> FileResponse:
    """Download a document filed with a complaint, always as an attachment of its stored type."""
    tender = _tender(pk)
    try:
        found = complaint_document_get(tender=tender, complaint=complaint, pk=document)
        handle = found.file.open("rb")
    except NotFound as error:
        raise Http404(str(error.message)) from None
    except FileNotFoundError:
        raise Http404(_("The document's file is missing.")) from None
    response = FileResponse(
        handle, as_attachment=True, filename=found.filename, content_type=found.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---------------------------------------------------------------------------------------------
# the buyer (and the oversight body)


def _decider(request: HttpRequest, tender: Tender) -> Actor:
    """Who decides complaints on this page: a buyer official for the buyer, or an auditor for
    the oversight body they belong to."""
    if not complaints_decided_by_oversight():
        return actor_from_request(request, tender.buyer)
    oversight = current_organization(
        request, kinds={OrganizationKind.OVERSIGHT}, roles={Role.AUDITOR}
    )
    return actor_from_request(request, oversight.organization if oversight else None)


def _manage_action(request: HttpRequest, tender: Tender) -> str:
    """Carry out the POSTed action through its service; the message to show on success."""
    action = request.POST.get("action", "")
    text = request.POST.get("text", "")
    if action == "decide":
        actor = actor_from_request(request, tender.buyer)
        award_buyer_check(actor=actor, tender=tender)
        evaluation = (
            Evaluation.objects.filter(tender=tender, lot__number=request.POST.get("lot") or -1)
            .select_related("tender", "lot")
            .first()
            if (request.POST.get("lot") or "").isdigit()
            else None
        )
        if evaluation is None:
            raise NotFound(_("There is no evaluation of such a lot in this tender."))
        award = services.award_decide(actor=actor, evaluation=evaluation, reason=text)
        if award.status == AwardStatus.UNSUCCESSFUL:
            return _("Lot %(lot)s is declared unsuccessful; the bidders are told.") % {
                "lot": award.lot.number
            }
        return _("Lot %(lot)s is awarded; the bidders are told and the standstill period runs.") % {
            "lot": award.lot.number
        }
    if action in ("uphold", "dismiss"):
        actor = _decider(request, tender)
        number = request.POST.get("complaint", "")
        if not number.isdigit():
            raise NotFound(_("There is no such complaint in this tender."))
        complaint = complaint_get(tender=tender, pk=int(number))
        services.complaint_decide(
            actor=actor, complaint=complaint, upheld=action == "uphold", resolution=text
        )
        if action == "uphold":
            return _(
                "The complaint is upheld: the award is cancelled and the lot goes back to the "
                "committee."
            )
        return _("The complaint is dismissed.")
    raise NotFound(_("Unknown action."))


@login_required
def award_manage(request: HttpRequest, pk: int) -> HttpResponse:
    """The buyer's page: decide each evaluated lot, follow the standstill periods, and decide
    the complaints (or, with an oversight body deciding them, its auditors' page for that)."""
    tender = _tender(pk)
    buyer = _allowed(
        award_buyer_check, actor=actor_from_request(request, tender.buyer), tender=tender
    )
    decider = _allowed(complaint_decider_check, actor=_decider(request, tender), tender=tender)
    if not buyer and not decider:
        raise DjangoPermissionDenied(_("Only the buyer's officials decide the awards."))
    message, status = "", 200
    if request.method == "POST":
        try:
            done = _manage_action(request, tender)
        except DomainError as refusal:
            message, status = str(refusal.message), refusal.status
        else:
            messages.success(request, done)
            return redirect("evaluation:award_manage", pk=tender.pk)
    awards = awards_of_tender(tender=tender)
    context: dict[str, Any] = {
        "tender": tender,
        "buyer": buyer,
        "decider": decider,
        "lots": lots_awardable(tender=tender) if buyer else [],
        "awards": awards,
        "pending": [
            complaint
            for award in awards
            for complaint in award.complaints.all()
            if complaint.status == ComplaintStatus.PENDING
        ],
        "oversight": complaints_decided_by_oversight(),
        "text_max": TEXT_MAX_LENGTH,
        "error": message,
    }
    return render(request, "evaluation/award_manage.html", context, status=status)


# ---------------------------------------------------------------------------------------------
# a bidder


@login_required
def award_notice(request: HttpRequest, pk: int, notice: int) -> HttpResponse:
    """One of the bidder's notices: the decision, why its own offer was disqualified (if it
    was), the adjustments of the ranking, and the form to complain about it during the
    standstill. Reading it records that the bidder was told."""
    tender = _tender(pk)
    workspace = require_workspace(request, kinds={OrganizationKind.SUPPLIER}, roles=SUPPLIER_ROLES)
    supplier = workspace.organization
    actor = actor_from_request(request, supplier)
    found: AwardNotice | None = next(
        (
            n
            for n in notices_of_supplier(actor=actor, supplier=supplier)
            if n.pk == notice and n.award.tender_id == tender.pk
        ),
        None,
    )
    if found is None:
        raise Http404
    services.award_notice_read(actor=actor, notice=found)
    award = found.award
    form = ComplaintForm()
    message, status = "", 200
    if request.method == "POST":
        form = ComplaintForm(request.POST, request.FILES)
        try:
            if not form.is_valid():
                raise DomainError(
                    " ".join(str(m) for errors in form.errors.values() for m in errors),
                    field="grounds",
                )
            services.complaint_file(
                actor=actor,
                award=award,
                complainant=supplier,
                grounds=form.cleaned_data["grounds"],
                documents=request.FILES.getlist("documents"),
            )
        except DomainError as refusal:
            message, status = str(refusal.message), refusal.status
        else:
            messages.success(
                request,
                _(
                    "Your complaint is filed and published; the award is suspended until it is decided."
                ),
            )
            return redirect("evaluation:notice", pk=tender.pk, notice=found.pk)
    context = {
        "tender": tender,
        "supplier": supplier,
        "notice": found,
        "award": award,
        "report": awards_explained(awards=[award])[0].report,
        "disqualified": notice_disqualification(notice=found),
        "complaints": [c for c in award.complaints.all() if c.complainant_id == supplier.pk],
        "may_complain": award.status in (AwardStatus.STANDSTILL, AwardStatus.SUSPENDED)
        and award.standstill_ends_at is not None
        and award.standstill_ends_at > clock.now()
        and award.supplier_id != supplier.pk,
        "form": form,
        "documents_max": COMPLAINT_DOCUMENTS_MAX,
        "grounds_max": GROUNDS_MAX_LENGTH,
        "error": message,
    }
    return render(request, "evaluation/notice.html", context, status=status)
