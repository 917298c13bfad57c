"""The subcontracting pages: the public list and page of sub-opportunities, and the suppliers'
pages (post one from a tender or a contract, answer, the poster's view of the answers where it
chooses one, and the prime's page of a contract's subcontracts and payments).

Views are thin: each POST calls one service; a refusal is shown on the form it came from, in
the visitor's language, and changes nothing. Times are typed and shown in the acting
organization's zone.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from pregon.accounts.choices import SUPPLIER_ROLES, OrganizationKind
from pregon.contracts.models import Contract
from pregon.core.actor import Actor
from pregon.core.errors import DomainError, NotFound
from pregon.core.pages import form_errors_from
from pregon.core.transitions import can_transition
from pregon.organizations.acting import actor_from_request, current_organization, require_workspace
from pregon.organizations.models import Organization
from pregon.subcontracting import services
from pregon.subcontracting.choices import (
    CONTRACT_MOVES,
    TRANSITIONS,
    Reservation,
    SubOpportunityStatus,
)
from pregon.subcontracting.forms import (
    AnswerForm,
    ReasonForm,
    SubcontractForm,
    SubcontractPaymentForm,
    SubOpportunityForm,
)
from pregon.subcontracting.models import Answer
from pregon.subcontracting.selectors import (
    answer_of,
    answers_of,
    chosen_answers_for,
    contract_for_prime,
    contract_subcontracting,
    sub_opportunities_of_poster,
    sub_opportunities_open,
    sub_opportunity_for_poster,
    sub_opportunity_public_get,
    subcontract_of,
    supplier_by_identifier,
)
from pregon.tenders.models import Tender
from pregon.tenders.selectors import tender_public_get

INVALID_FORM_STATUS = 422
PAGE_SIZE = 20
_SUPPLIER = {OrganizationKind.SUPPLIER}


class _Invalid(Exception):
    """A form did not validate: it is shown again with its errors."""


def _valid[F: forms.Form](form: F) -> F:
    if not form.is_valid():
        raise _Invalid
    return form


def _not_found(error: NotFound) -> Http404:
    return Http404(str(error.message))


def _supplier(request: HttpRequest) -> tuple[Organization, Actor]:
    """The supplier the signed-in person acts for (403 without one), in its time zone."""
    organization = require_workspace(request, kinds=_SUPPLIER, roles=SUPPLIER_ROLES).organization
    timezone.activate(organization.effective_time_zone)
    return organization, actor_from_request(request, organization)


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 19 else None


# ---------------------------------------------------------------------------------------------
# everyone


def opportunity_list(request: HttpRequest) -> HttpResponse:
    """The sub-opportunities taking answers, with filters by code and by reservation."""
    code = request.GET.get("code", "").strip()[:16]
    reserved = request.GET.get("reserved", "")
    if reserved not in Reservation.values:
        reserved = ""
    tender = None
    if (tender_pk := _int(request.GET.get("tender"))) is not None:
        try:
            tender = tender_public_get(pk=tender_pk)
        except NotFound as error:
            raise _not_found(error) from None
    found = sub_opportunities_open(code=code, reserved=reserved, tender=tender)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "code": code,
        "reserved": reserved,
        "tender": tender,
        "reservations": Reservation.choices,
    }
    return render(request, "subcontracting/list.html", context)


def opportunity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A sub-opportunity; a signed-in supplier answers it (or withdraws its answer) here."""
    try:
        opportunity = sub_opportunity_public_get(pk=pk)
    except NotFound as error:
        raise _not_found(error) from None
    workspace = current_organization(request, kinds=_SUPPLIER, roles=SUPPLIER_ROLES)
    organization = workspace.organization if workspace else None
    if organization is not None:
        timezone.activate(organization.effective_time_zone)
    form = AnswerForm(prefix="answer")
    status = 200
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if organization is None:
            raise DjangoPermissionDenied
        actor = actor_from_request(request, organization)
        action = request.POST.get("action", "")
        try:
            if action == "answer":
                form = AnswerForm(request.POST, prefix="answer")
                services.answer_submit(
                    actor=actor, opportunity=opportunity, data=_valid(form).data_for_service()
                )
                done = _("Your answer was sent to the poster.")
            elif action == "withdraw":
                form = AnswerForm(prefix="answer")
                mine = answer_of(opportunity=opportunity, organization=organization)
                if mine is None:
                    raise Http404(_("You have no answer to withdraw."))
                services.answer_withdraw(actor=actor, answer=mine)
                done = _("Your answer was withdrawn.")
            else:
                raise Http404(_("Unknown action."))
        except _Invalid:
            status = INVALID_FORM_STATUS
        except DomainError as refusal:
            form_errors_from(refusal, form)
            status = refusal.status
        else:
            messages.success(request, done)
            return redirect("subcontracting:detail", pk=opportunity.pk)
    context = {
        "opportunity": opportunity,
        "organization": organization,
        "is_poster": organization is not None and organization.pk == opportunity.organization_id,
        "my_answer": answer_of(opportunity=opportunity, organization=organization),
        "accepts_answers": opportunity.accepts_answers(),
        "form": form,
    }
    return render(request, "subcontracting/detail.html", context, status=status)


# ---------------------------------------------------------------------------------------------
# the poster


@login_required
def opportunity_new(request: HttpRequest) -> HttpResponse:
    """Post a sub-opportunity for a tender open for bids (`?tender=`) or for a contract the
    supplier holds (`?contract=`)."""
    organization, actor = _supplier(request)
    tender: Tender | None = None
    contract: Contract | None = None
    try:
        if (tender_pk := _int(request.GET.get("tender"))) is not None:
            tender = tender_public_get(pk=tender_pk)
        elif (contract_pk := _int(request.GET.get("contract"))) is not None:
            contract = contract_for_prime(actor=actor, pk=contract_pk)
        else:
            raise NotFound(_("Post a sub-opportunity from a tender's page or a contract's page."))
    except NotFound as error:
        raise _not_found(error) from None
    currency = tender.currency if tender is not None else contract.currency  # type: ignore[union-attr]
    form = SubOpportunityForm()
    status = 200
    if request.method == "POST":
        form = SubOpportunityForm(request.POST)
        try:
            opportunity = services.sub_opportunity_post(
                actor=actor, tender=tender, contract=contract, data=_valid(form).data_for_service()
            )
        except _Invalid:
            status = INVALID_FORM_STATUS
        except DomainError as refusal:
            form_errors_from(refusal, form)
            status = refusal.status
        else:
            messages.success(request, _("Your sub-opportunity is published."))
            return redirect("subcontracting:manage", pk=opportunity.pk)
    context = {
        "form": form,
        "tender": tender,
        "contract": contract,
        "currency": currency,
        "organization": organization,
    }
    return render(request, "subcontracting/new.html", context, status=status)


@login_required
def opportunity_manage(request: HttpRequest, pk: int) -> HttpResponse:
    """The poster's page: every answer, and the moves (choose one, close, cancel)."""
    organization, actor = _supplier(request)
    try:
        opportunity = sub_opportunity_for_poster(actor=actor, pk=pk)
    except NotFound as error:
        raise _not_found(error) from None
    reason_form = ReasonForm(prefix="cancel")
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "pick":
                answer_pk = _int(request.POST.get("answer"))
                answer = next((a for a in opportunity.answers.all() if a.pk == answer_pk), None)
                if answer is None:
                    raise Http404(_("There is no such answer."))
                services.answer_pick(actor=actor, answer=answer)
                done = _("You chose %(supplier)s; it is told by e-mail.") % {
                    "supplier": answer.organization.display_name
                }
            elif action == "close":
                services.sub_opportunity_close(actor=actor, opportunity=opportunity)
                done = _("The sub-opportunity no longer takes answers.")
            elif action == "cancel":
                reason_form = ReasonForm(request.POST, prefix="cancel")
                services.sub_opportunity_cancel(
                    actor=actor,
                    opportunity=opportunity,
                    reason=_valid(reason_form).cleaned_data["reason"],
                )
                done = _("The sub-opportunity is cancelled.")
            else:
                raise Http404(_("Unknown action."))
        except _Invalid:
            status = INVALID_FORM_STATUS
        except DomainError as refusal:
            if action == "cancel":
                form_errors_from(refusal, reason_form)
            else:
                errors.append(str(refusal.message))
            status = refusal.status
        else:
            messages.success(request, done)
            return redirect("subcontracting:manage", pk=opportunity.pk)
    context = {
        "opportunity": opportunity,
        "answers": list(opportunity.answers.all()),
        "organization": organization,
        "reason_form": reason_form,
        "errors": errors,
        "can_pick": can_transition(opportunity, "pick", TRANSITIONS),
        "can_close": can_transition(opportunity, "close", TRANSITIONS),
        "can_cancel": can_transition(opportunity, "cancel", TRANSITIONS),
        "awarded": opportunity.status == SubOpportunityStatus.AWARDED,
    }
    return render(request, "subcontracting/manage.html", context, status=status)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The supplier's sub-opportunities and its answers to others'."""
    organization, _actor = _supplier(request)
    context = {
        "organization": organization,
        "posted": sub_opportunities_of_poster(organization=organization),
        "answers": answers_of(organization=organization),
    }
    return render(request, "subcontracting/mine.html", context)


# ---------------------------------------------------------------------------------------------
# the prime's subcontracts


@login_required
def contract_subcontracts(request: HttpRequest, pk: int) -> HttpResponse:
    """The prime's page of one of its contracts: record subcontracts and payments to them."""
    organization, actor = _supplier(request)
    try:
        contract = contract_for_prime(actor=actor, pk=pk)
    except NotFound as error:
        raise _not_found(error) from None
    timezone.activate(contract.buyer.effective_time_zone)
    chosen = chosen_answers_for(contract=contract)
    subcontract_form = SubcontractForm(prefix="subcontract", answers=chosen)
    payment_form = SubcontractPaymentForm(prefix="payment")
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        form: forms.Form
        try:
            if action == "subcontract":
                form = subcontract_form = SubcontractForm(
                    request.POST, prefix="subcontract", answers=chosen
                )
                services.subcontract_record(
                    actor=actor, contract=contract, data=_subcontract_data(_valid(form))
                )
                done = _("The subcontract is recorded and published with the contract.")
            elif action == "pay":
                form = payment_form = SubcontractPaymentForm(request.POST, prefix="payment")
                data = _valid(payment_form).cleaned_data
                subcontract = subcontract_of(contract=contract, number=data["subcontract"])
                services.subcontract_payment_record(
                    actor=actor, subcontract=subcontract, data=payment_form.data_for_service()
                )
                done = _("The payment is recorded and published with the contract.")
            else:
                raise Http404(_("Unknown action."))
        except NotFound as error:
            raise _not_found(error) from None
        except _Invalid:
            status = INVALID_FORM_STATUS
        except DomainError as refusal:
            form_errors_from(refusal, form)
            status = refusal.status
        else:
            messages.success(request, done)
            return redirect("subcontracting:contract", pk=contract.pk)
    found = contract_subcontracting(contract=contract)
    context: dict[str, Any] = {
        "contract": contract,
        "organization": organization,
        "subcontracts": found.subcontracts,
        "figures": found.figures,
        "subcontract_form": subcontract_form,
        "payment_form": payment_form,
        "chosen": chosen,
        "can_subcontract": can_transition(contract, "subcontract", CONTRACT_MOVES),
        "can_pay": can_transition(contract, "pay_subcontract", CONTRACT_MOVES),
    }
    return render(request, "subcontracting/contract.html", context, status=status)


def _subcontract_data(form: SubcontractForm) -> services.SubcontractData:
    """The service's data from the form: the subcontractor named by its identifier is looked
    up here (refused by the service when none is found)."""
    data = form.cleaned_data
    answer: Answer | None = data.get("answer")
    subcontractor = None
    if answer is None:
        subcontractor = supplier_by_identifier(identifier=data.get("subcontractor") or "")
        if subcontractor is None and data.get("subcontractor"):
            form.add_error(
                "subcontractor", _("No supplier registered on the platform has this identifier.")
            )
            raise _Invalid
    return services.SubcontractData(
        description=data.get("description") or "",
        value=data.get("value"),
        subcontractor=subcontractor,
        answer=answer,
    )
