"""The supplier's "Documents and size" page: register once, reuse in every bid.

One page shows the scale (computed by the country's rule pack from the declared figures, or
declared) and its verification, the documents held with the day each expires, and, when the
supplier won an award whose contract awaits, what it must still give before the contract.
Each form posts to its own address and calls one service.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pregon.accounts.choices import SUPPLIER_ROLES, OrganizationKind
from pregon.contracts.selectors import awards_awaiting_contract_of_supplier
from pregon.core.errors import DomainError, NotFound
from pregon.core.pages import form_errors_from
from pregon.core.uploads import ALLOWED_TYPES
from pregon.organizations.acting import WorkspaceOrganization, actor_from_request, require_workspace
from pregon.organizations.choices import DocumentKind
from pregon.organizations.selectors import (
    supplier_document_of,
    supplier_documents_current,
    supplier_documents_history,
    supplier_evidence_missing,
    today_of,
)
from pregon.organizations.services_documents import (
    supplier_document_remove,
    supplier_document_upload,
)
from pregon.organizations.services_scale import supplier_scale_declare
from pregon.quotes.selectors import quick_quotes_awaiting_order_of
from pregon.rules import pack_for_country
from pregon.workspace.supplier.forms import DocumentForm, ScaleForm

INVALID_FORM_STATUS = 422


def _supplier(request: HttpRequest) -> WorkspaceOrganization:
    return require_workspace(request, kinds={OrganizationKind.SUPPLIER}, roles=SUPPLIER_ROLES)


def _rule_pack_name(country: str) -> str:
    try:
        return pack_for_country(country).ref
    except LookupError:
        return ""


def _context(
    workspace: WorkspaceOrganization,
    *,
    scale_form: ScaleForm | None = None,
    document_form: DocumentForm | None = None,
) -> dict[str, Any]:
    organization = workspace.organization
    held = supplier_documents_current(organization=organization)
    today = today_of(organization)
    awards = awards_awaiting_contract_of_supplier(supplier=organization)
    chosen = quick_quotes_awaiting_order_of(supplier=organization)
    return {
        "workspace": workspace,
        "nav": "documents",
        "organization": organization,
        "scale_form": scale_form
        or ScaleForm(initial=ScaleForm.initial_from(organization), prefix="scale"),
        "document_form": document_form or DocumentForm(prefix="document"),
        "rows": [
            {
                "kind": kind,
                "label": label,
                "document": held.get(kind),
                "expired": held.get(kind) is not None and not held[kind].is_current_on(today),
            }
            for kind, label in DocumentKind.choices
        ],
        "history": [
            document
            for document in supplier_documents_history(organization=organization)
            if document.removed_at is not None
        ][:20],
        "awaiting": awards,
        "awaiting_orders": chosen,
        "missing": (
            supplier_evidence_missing(organization=organization) if awards or chosen else []
        ),
        "accepted_types": ", ".join(sorted(ALLOWED_TYPES)),
        "rule_pack": _rule_pack_name(str(organization.country)),
    }


@login_required
def documents(request: HttpRequest) -> HttpResponse:
    """The scale, the documents held, and the evidence asked before a contract."""
    return render(request, "workspace/supplier/documents.html", _context(_supplier(request)))


@login_required
@require_POST
def scale_declare(request: HttpRequest) -> HttpResponse:
    """Declare the figures (and, if need be, the size); the rule pack computes the scale."""
    workspace = _supplier(request)
    form = ScaleForm(request.POST, prefix="scale")
    template = "workspace/supplier/documents.html"
    if not form.is_valid():
        return render(
            request, template, _context(workspace, scale_form=form), status=INVALID_FORM_STATUS
        )
    try:
        organization = supplier_scale_declare(
            actor=actor_from_request(request, workspace.organization),
            organization=workspace.organization,
            data=form.to_data(),
        )
    except DomainError as error:
        form_errors_from(error, form)
        return render(request, template, _context(workspace, scale_form=form), status=error.status)
    messages.success(
        request,
        _("Your scale is saved: %(scale)s.") % {"scale": organization.get_scale_display()},
    )
    return redirect("supplier:documents")


@login_required
@require_POST
def document_upload(request: HttpRequest) -> HttpResponse:
    """Hold a document (in place of the one held of its kind)."""
    workspace = _supplier(request)
    form = DocumentForm(request.POST, request.FILES, prefix="document")
    template = "workspace/supplier/documents.html"
    if not form.is_valid():
        return render(
            request, template, _context(workspace, document_form=form), status=INVALID_FORM_STATUS
        )
    try:
        document = supplier_document_upload(
            actor=actor_from_request(request, workspace.organization),
            organization=workspace.organization,
            data=form.to_data(),
        )
    except DomainError as error:
        form_errors_from(error, form)
        return render(
            request, template, _context(workspace, document_form=form), status=error.status
        )
    messages.success(
        request, _("The document “%(kind)s” is saved.") % {"kind": document.get_kind_display()}
    )
    return redirect("supplier:documents")


@login_required
@require_POST
def document_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Stop holding a document."""
    workspace = _supplier(request)
    try:
        document = supplier_document_of(organization=workspace.organization, pk=pk)
        supplier_document_remove(
            actor=actor_from_request(request, workspace.organization), document=document
        )
    except NotFound as error:
        raise Http404(str(error.message)) from None
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect("supplier:documents")
    messages.success(request, _("The document is removed."))
    return redirect("supplier:documents")


@login_required
def document_file(request: HttpRequest, pk: int) -> FileResponse:
    """One of the supplier's documents (its own people only)."""
    workspace = _supplier(request)
    try:
        document = supplier_document_of(organization=workspace.organization, pk=pk)
    except NotFound as error:
        raise Http404(str(error.message)) from None
    return document_response(document.file, document.filename, document.content_type)


def document_response(file: Any, filename: str, content_type: str) -> FileResponse:
    """A held document as a download; its type was checked against its content at upload."""
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        raise Http404(_("The document's file is missing.")) from None
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
