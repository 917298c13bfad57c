"""The contracts' pages: the buyer's (its contracts and the awards ready for one, drafting a
contract, and one contract's working page), the supplier's (its contracts, and one contract's
page where it confirms the contract and submits invoices) and the public contract page.

Views are thin: each POST calls one service; a refusal is shown on the form it came from, in
the visitor's language, and changes nothing. The buyer's pages read and type dates in the
buyer's time zone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, Concatenate

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
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
from pregon.contracts import services
from pregon.contracts.choices import TRANSITIONS, ContractStatus, MilestoneStatus
from pregon.contracts.forms import (
    AmendmentForm,
    ContractForm,
    DocumentForm,
    InvoiceForm,
    MeetForm,
    MilestoneForm,
    NoteForm,
    PaymentForm,
    ReasonForm,
    SignForm,
)
from pregon.contracts.models import Contract, Invoice, Milestone
from pregon.contracts.page_sections import contract_sections_render
from pregon.contracts.processes import contract_process
from pregon.contracts.selectors import (
    award_for_buyer,
    awards_ready_for_contract,
    buyer_payment_figures,
    contract_for_buyer,
    contract_for_supplier,
    contract_parties,
    contract_public_get,
    contracts_of_buyer,
    contracts_of_supplier,
    invoice_is_overdue,
    invoice_of,
)
from pregon.contracts.terms import invoice_due_basis, today_of
from pregon.core.errors import DomainError, NotFound, PermissionDenied
from pregon.core.pages import form_errors_from
from pregon.core.transitions import can_transition
from pregon.evaluation.models import Award
from pregon.organizations.acting import actor_from_request, require_workspace
from pregon.organizations.models import Organization
from pregon.organizations.selectors import (
    supplier_document_of,
    supplier_documents_current,
    supplier_evidence_missing,
)

INVALID_FORM_STATUS = 422


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
    # Dates are typed and shown in the buyer's calendar (only inside `_in_zone_of_page`).
    timezone.activate(organization.effective_time_zone)


def _not_found(error: NotFound) -> Http404:
    return Http404(str(error.message))


# ---------------------------------------------------------------------------------------------
# everyone


@_in_zone_of_page
def contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A published contract: its terms, documents, amendments, deliveries and payments."""
    try:
        contract = contract_public_get(pk=pk)
    except NotFound as error:
        raise _not_found(error) from None
    _use_zone(contract.buyer)
    user = request.user if request.user.is_authenticated else None
    context = {
        "contract": contract,
        # A purchase order has no tender: its quick quote is read by the same names.
        "tender": contract.tender or contract_process(contract),
        "figures": buyer_payment_figures(buyer=contract.buyer),
        "today": today_of(contract.buyer),
        # The parties' own pages, offered to their people.
        "is_buyer": bool(roles_in(user, contract.buyer) & BUYER_READ_ROLES),
        "is_supplier": bool(roles_in(user, contract.supplier) & SUPPLIER_ROLES),
        # What apps above contracts add to the page (subcontracts, say).
        "page_sections": contract_sections_render(contract, request, "public"),
    }
    return render(request, "contracts/detail.html", context)


def contract_document(request: HttpRequest, pk: int, doc: int) -> FileResponse:
    """A contract's document: anyone's once the buyer has signed the contract; before, only the
    buyer's people read it (a draft is theirs alone)."""
    try:
        contract = contract_parties(pk=pk)
    except NotFound as error:
        raise _not_found(error) from None
    if not contract.is_public:
        user = request.user if request.user.is_authenticated else None
        if not roles_in(user, contract.buyer) & BUYER_READ_ROLES:
            raise Http404(_("There is no such document."))
    document = contract.documents.filter(pk=doc).first()
    if document is None:
        raise Http404(_("There is no such document."))
    return _file_response(document.file, document.filename, document.content_type)


def _file_response(file: Any, filename: str, content_type: str) -> FileResponse:
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        raise Http404(_("The document's file is missing.")) from None
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    # The stored type was checked against the content at upload; browsers must not guess.
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def invoice_file(request: HttpRequest, pk: int, number: int) -> FileResponse:
    """An invoice's document, for the contract's buyer and supplier only."""
    try:
        contract = contract_parties(pk=pk)
    except NotFound as error:
        raise _not_found(error) from None
    user = request.user
    allowed = roles_in(user, contract.buyer) & BUYER_READ_ROLES or (  # type: ignore[arg-type]
        contract.is_public and roles_in(user, contract.supplier) & SUPPLIER_ROLES  # type: ignore[arg-type]
    )
    if not allowed:
        raise Http404(_("There is no such invoice."))
    try:
        invoice = invoice_of(contract=contract, number=number)
    except NotFound as error:
        raise _not_found(error) from None
    return _file_response(invoice.file, invoice.filename, invoice.content_type)


# ---------------------------------------------------------------------------------------------
# the buyer


@login_required
@_in_zone_of_page
def buyer_home(request: HttpRequest) -> HttpResponse:
    """The buyer's contracts, and its final awards that have none yet."""
    workspace = require_workspace(request, kinds={OrganizationKind.BUYER}, roles=BUYER_READ_ROLES)
    buyer = workspace.organization
    _use_zone(buyer)
    actor = actor_from_request(request, buyer)
    context = {
        "buyer": buyer,
        "can_edit": workspace.has_any(BUYER_WRITE_ROLES),
        "awards": awards_ready_for_contract(actor=actor, buyer=buyer),
        "contracts": contracts_of_buyer(actor=actor, buyer=buyer),
        "figures": buyer_payment_figures(buyer=buyer),
    }
    return render(request, "contracts/buyer_home.html", context)


@login_required
@_in_zone_of_page
def contract_new(request: HttpRequest, award_pk: int) -> HttpResponse:
    """Draft the contract of a final award."""
    actor = actor_from_request(request, None)
    try:
        award = award_for_buyer(actor=actor, pk=award_pk)
    except NotFound as error:
        raise _not_found(error) from None
    except PermissionDenied as error:
        raise DjangoPermissionDenied(str(error.message)) from None
    tender = award.tender
    _use_zone(tender.buyer)
    actor = actor_from_request(request, tender.buyer)
    form = ContractForm(
        request.POST or None,
        prefix="contract",
        initial={"title": f"{tender.title} · {award.lot.title}"},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                contract = services.contract_draft(
                    actor=actor, award=award, data=form.data_for_service()
                )
            except DomainError as refusal:
                form_errors_from(refusal, form)
                status = refusal.status
            else:
                messages.success(
                    request,
                    _("The contract is drafted. Add its documents and deliveries, then sign it."),
                )
                return redirect("contracts:manage", pk=contract.pk)
        else:
            status = INVALID_FORM_STATUS
    context = {"award": award, "tender": tender, "form": form, **_evidence(award)}
    return render(request, "contracts/new.html", context, status=status)


def _evidence(award: Award) -> dict[str, Any]:
    """What the buyer sees of the winner's evidence before drafting: what is missing, and
    the documents it holds."""
    if award.supplier is None:
        return {}
    held = supplier_documents_current(organization=award.supplier)
    return {
        "evidence_missing": supplier_evidence_missing(organization=award.supplier),
        "evidence_documents": sorted(held.values(), key=lambda document: document.kind),
    }


@login_required
def award_evidence_document(request: HttpRequest, award_pk: int, doc: int) -> FileResponse:
    """A document the winner of an award holds, for the buyer's people who read the award
    (to check it before the contract)."""
    actor = actor_from_request(request, None)
    try:
        award = award_for_buyer(actor=actor, pk=award_pk)
        if award.supplier is None:
            raise NotFound(_("There is no such document."))
        document = supplier_document_of(organization=award.supplier, pk=doc)
    except NotFound as error:
        raise _not_found(error) from None
    except PermissionDenied as error:
        raise DjangoPermissionDenied(str(error.message)) from None
    if document.removed_at is not None:
        raise Http404(_("There is no such document."))
    return _file_response(document.file, document.filename, document.content_type)


@dataclass(kw_only=True)
class _BuyerForms:
    """The forms of the buyer's contract page: fresh ones, or the one a refused POST bound."""

    contract: Contract
    bound: dict[str, forms.Form] = field(default_factory=dict)

    def get(self, name: str, factory: Callable[..., forms.Form], **kwargs: Any) -> forms.Form:
        return self.bound.get(name) or factory(prefix=name, **kwargs)


def _contract_initial(contract: Contract) -> dict[str, Any]:
    return {
        "title": contract.title,
        "description": contract.description,
        "period_start": contract.period_start,
        "period_end": contract.period_end,
    }


def _row(request: HttpRequest, key: str) -> int:
    try:
        return int(request.POST.get(key, ""))
    except ValueError:
        raise NotFound(_("There is no such item in this contract.")) from None


def _milestone(contract: Contract, number: int) -> Milestone:
    milestone = next((m for m in contract.milestones.all() if m.number == number), None)
    if milestone is None:
        raise NotFound(_("There is no such delivery in this contract."))
    return milestone


def _invoice(contract: Contract, number: int) -> Invoice:
    invoice = next((i for i in contract.invoices.all() if i.number == number), None)
    if invoice is None:
        raise NotFound(_("There is no such invoice in this contract."))
    return invoice


class _Invalid(Exception):
    """A form that did not validate (it carries its own errors)."""


def _valid[F: forms.Form](form: F) -> F:
    if not form.is_valid():
        raise _Invalid
    return form


def _buyer_action(request: HttpRequest, contract: Contract, page: _BuyerForms) -> str:
    """Carry out the POSTed action through its service; the message to show. The form it
    came from is kept in `page.bound`, so that a refusal is shown on it."""
    actor = actor_from_request(request, contract.buyer)
    action = request.POST.get("action", "")
    post, files = request.POST, request.FILES
    if action == "update":
        form = page.bound["update"] = ContractForm(post, prefix="update")
        services.contract_update(
            actor=actor, contract=contract, data=_valid(form).data_for_service()
        )
        return _("The draft is saved.")
    if action == "document":
        document = page.bound["document"] = DocumentForm(post, files, prefix="document")
        services.contract_document_add(
            actor=actor, contract=contract, data=_valid(document).data_for_service()
        )
        return _("The document is attached.")
    if action == "milestone":
        delivery = page.bound["milestone"] = MilestoneForm(post, prefix="milestone")
        services.milestone_add(
            actor=actor, contract=contract, data=_valid(delivery).data_for_service()
        )
        return _("The delivery is added.")
    if action == "sign":
        sign = page.bound["sign"] = SignForm(post, prefix="sign")
        services.contract_sign(
            actor=actor, contract=contract, signatory=_valid(sign).cleaned_data["signatory"]
        )
        return _("The contract is signed and published; the supplier is asked to confirm it.")
    if action in ("cancel", "terminate"):
        reason = page.bound[action] = ReasonForm(post, prefix=action)
        text = _valid(reason).cleaned_data["reason"]
        if action == "cancel":
            services.contract_cancel(actor=actor, contract=contract, reason=text)
            return _("The contract is cancelled.")
        services.contract_terminate(actor=actor, contract=contract, reason=text)
        return _("The contract is terminated.")
    if action == "complete":
        note = page.bound["complete"] = NoteForm(post, prefix="complete")
        services.contract_complete(
            actor=actor, contract=contract, note=_valid(note).cleaned_data["reason"]
        )
        return _("The contract is completed.")
    if action == "amend":
        amend = page.bound["amend"] = AmendmentForm(post, files, prefix="amend")
        services.contract_amend(
            actor=actor, contract=contract, data=_valid(amend).data_for_service()
        )
        return _("The amendment is saved and published.")
    if action == "remove_milestone":
        services.milestone_remove(
            actor=actor, milestone=_milestone(contract, _row(request, "milestone"))
        )
        return _("The delivery is removed.")
    if action == "meet":
        number = _row(request, "milestone")
        milestone = _milestone(contract, number)
        meet = page.bound[f"meet-{number}"] = MeetForm(post, prefix=f"meet-{number}")
        services.milestone_meet(
            actor=actor, milestone=milestone, date_met=_valid(meet).cleaned_data["date_met"]
        )
        return _("The delivery is recorded as met.")
    if action == "accept":
        services.invoice_accept(actor=actor, invoice=_invoice(contract, _row(request, "invoice")))
        return _("The invoice is accepted.")
    if action == "reject":
        number = _row(request, "invoice")
        invoice = _invoice(contract, number)
        reject = page.bound[f"reject-{number}"] = ReasonForm(post, prefix=f"reject-{number}")
        services.invoice_reject(
            actor=actor, invoice=invoice, reason=_valid(reject).cleaned_data["reason"]
        )
        return _("The invoice is rejected.")
    if action == "pay":
        number = _row(request, "invoice")
        invoice = _invoice(contract, number)
        pay = page.bound[f"pay-{number}"] = PaymentForm(post, prefix=f"pay-{number}")
        services.payment_record(actor=actor, invoice=invoice, data=_valid(pay).data_for_service())
        return _("The payment is recorded and published.")
    raise NotFound(_("Unknown action."))


@login_required
@_in_zone_of_page
def contract_manage(request: HttpRequest, pk: int) -> HttpResponse:
    """The buyer's working page of one contract: every step of its life, and its invoices."""
    try:
        parties = contract_parties(pk=pk)
    except NotFound as missing:
        raise _not_found(missing) from None
    _use_zone(parties.buyer)
    actor = actor_from_request(request, parties.buyer)
    try:
        contract = contract_for_buyer(actor=actor, pk=pk)
    except PermissionDenied as denied:
        raise DjangoPermissionDenied(str(denied.message)) from None
    can_edit = bool(roles_in(actor.user, contract.buyer) & BUYER_WRITE_ROLES)
    page = _BuyerForms(contract=contract)
    message, status = "", 200
    if request.method == "POST":
        try:
            done = _buyer_action(request, contract, page)
        except _Invalid:
            status = INVALID_FORM_STATUS
        except NotFound as refusal:
            raise _not_found(refusal) from None
        except DomainError as refusal:
            status = refusal.status
            bound = next(reversed(page.bound.values()), None) if page.bound else None
            if bound is not None:
                form_errors_from(refusal, bound)
            else:
                message = str(refusal.message)
        else:
            messages.success(request, done)
            return redirect("contracts:manage", pk=contract.pk)
        # Read again: the refused action changed nothing, but the page shows the stored state.
        contract = contract_for_buyer(actor=actor, pk=pk)
    return render(
        request,
        "contracts/manage.html",
        _manage_context(contract, page, can_edit=can_edit, error=message),
        status=status,
    )


def _manage_context(
    contract: Contract, page: _BuyerForms, *, can_edit: bool, error: str
) -> dict[str, Any]:
    today = today_of(contract.buyer)
    milestones = list(contract.milestones.all())
    for milestone in milestones:
        milestone.meet_form = page.get(  # type: ignore[attr-defined]
            f"meet-{milestone.number}", MeetForm, initial={"date_met": today}
        )
    invoices = list(contract.invoices.all())
    for invoice in invoices:
        invoice.reject_form = page.get(f"reject-{invoice.number}", ReasonForm)  # type: ignore[attr-defined]
        invoice.pay_form = page.get(  # type: ignore[attr-defined]
            f"pay-{invoice.number}",
            PaymentForm,
            initial={"amount": invoice.left_to_pay, "paid_on": today},
        )
        invoice.overdue = invoice_is_overdue(invoice, today)  # type: ignore[attr-defined]
        invoice.due_basis = invoice_due_basis(invoice)  # type: ignore[attr-defined]
    status = contract.status

    def can(move: str) -> bool:
        return can_edit and can_transition(contract, move, TRANSITIONS)

    return {
        "contract": contract,
        # A purchase order has no tender: its quick quote is read by the same names.
        "tender": contract.tender or contract_process(contract),
        "milestones": milestones,
        "invoices": invoices,
        "today": today,
        "error": error,
        "can_edit": can_edit,
        "can": {
            move: can(move)
            for move in (
                "edit",
                "add_milestone",
                "sign",
                "cancel",
                "amend",
                "meet_milestone",
                "settle",
                "complete",
                "terminate",
            )
        },
        "is_draft": status == ContractStatus.PENDING,
        "scheduled": [m for m in milestones if m.status == MilestoneStatus.SCHEDULED],
        "update_form": page.get("update", ContractForm, initial=_contract_initial(contract)),
        "document_form": page.get("document", DocumentForm),
        "milestone_form": page.get("milestone", MilestoneForm),
        "sign_form": page.get("sign", SignForm),
        "cancel_form": page.get("cancel", ReasonForm),
        "amend_form": page.get("amend", AmendmentForm),
        "complete_form": page.get("complete", NoteForm),
        "terminate_form": page.get("terminate", ReasonForm),
    }


# ---------------------------------------------------------------------------------------------
# the supplier


def _supplier_workspace(request: HttpRequest) -> Organization:
    workspace = require_workspace(request, kinds={OrganizationKind.SUPPLIER}, roles=SUPPLIER_ROLES)
    return workspace.organization


@login_required
def supplier_home(request: HttpRequest) -> HttpResponse:
    """The supplier's contracts: those to confirm first, then the others."""
    supplier = _supplier_workspace(request)
    actor = actor_from_request(request, supplier)
    contracts = contracts_of_supplier(actor=actor, supplier=supplier)
    context = {
        "supplier": supplier,
        "to_confirm": [c for c in contracts if c.status == ContractStatus.SIGNED],
        "contracts": [c for c in contracts if c.status != ContractStatus.SIGNED],
    }
    return render(request, "contracts/supplier_home.html", context)


@login_required
@_in_zone_of_page
def contract_mine(request: HttpRequest, pk: int) -> HttpResponse:
    """The supplier's page of one of its contracts: confirm it, submit invoices, and follow
    them (due dates, payments, late or not)."""
    supplier = _supplier_workspace(request)
    actor = actor_from_request(request, supplier)
    try:
        contract = contract_for_supplier(actor=actor, supplier=supplier, pk=pk)
    except NotFound as error:
        raise _not_found(error) from None
    _use_zone(contract.buyer)
    met = [m for m in contract.milestones.all() if m.status == MilestoneStatus.MET]
    confirm_form = SignForm(
        prefix="confirm", initial={"signatory": actor.user.full_name if actor.user else ""}
    )
    invoice_form = InvoiceForm(prefix="invoice", milestones=met)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        form: forms.Form
        try:
            if action == "confirm":
                form = confirm_form = SignForm(request.POST, prefix="confirm")
                services.contract_confirm(
                    actor=actor,
                    contract=contract,
                    signatory=_valid(form).cleaned_data["signatory"],
                )
                done = _("You confirmed the contract: it is in force.")
            elif action == "invoice":
                form = invoice_form = InvoiceForm(
                    request.POST, request.FILES, prefix="invoice", milestones=met
                )
                services.invoice_submit(
                    actor=actor, contract=contract, data=_valid(invoice_form).data_for_service()
                )
                done = _("Your invoice was sent to the buyer.")
            else:
                raise Http404(_("Unknown action."))
        except _Invalid:
            status = INVALID_FORM_STATUS
        except DomainError as refusal:
            form_errors_from(refusal, form)
            status = refusal.status
        else:
            messages.success(request, done)
            return redirect("contracts:mine", pk=contract.pk)
    today = today_of(contract.buyer)
    invoices = list(contract.invoices.all())
    for invoice in invoices:
        invoice.overdue = invoice_is_overdue(invoice, today)  # type: ignore[attr-defined]
        invoice.due_basis = invoice_due_basis(invoice)  # type: ignore[attr-defined]
    context = {
        "contract": contract,
        # A purchase order has no tender: its quick quote is read by the same names.
        "tender": contract.tender or contract_process(contract),
        "supplier": supplier,
        "invoices": invoices,
        "today": today,
        "confirm_form": confirm_form,
        "invoice_form": invoice_form,
        "can_confirm": can_transition(contract, "confirm", TRANSITIONS),
        "can_invoice": can_transition(contract, "invoice", TRANSITIONS) and bool(met),
        "in_force": can_transition(contract, "invoice", TRANSITIONS),
        "page_sections": contract_sections_render(contract, request, "mine"),
    }
    return render(request, "contracts/mine.html", context, status=status)
