"""Verifying suppliers' scales: the platform administrators (of the operator organization)
check the evidence each supplier holds against the scale it declared, and verify it or say why
it is not accepted. They verify for the whole platform, so no buyer decides the scale of the
suppliers competing in its own tenders (docs/suppliers.md)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pregon.accounts.choices import OrganizationKind
from pregon.accounts.permissions import is_platform_admin
from pregon.core.actor import Actor
from pregon.core.errors import DomainError
from pregon.core.pages import form_errors_from
from pregon.core.request import client_ip
from pregon.organizations.choices import DocumentKind
from pregon.organizations.models import Organization
from pregon.organizations.selectors import supplier_documents_current, suppliers_scale_pending
from pregon.organizations.services_scale import supplier_scale_review
from pregon.workspace.supplier.documents import document_response
from pregon.workspace.supplier.forms import ScaleReviewForm


def _require_admin(request: HttpRequest) -> Actor:
    if not is_platform_admin(request.user):  # type: ignore[arg-type]
        raise DjangoPermissionDenied(_("Only a platform administrator may do this."))
    return Actor(user=request.user, ip_address=client_ip(request), channel="web")  # type: ignore[arg-type]


def _supplier(pk: int) -> Organization:
    supplier = Organization.objects.filter(pk=pk, kind=OrganizationKind.SUPPLIER).first()
    if supplier is None:
        raise Http404(_("There is no such supplier."))
    return supplier


@login_required
def scales_pending(request: HttpRequest) -> HttpResponse:
    """The suppliers whose evidence of size awaits verification."""
    _require_admin(request)
    return render(
        request,
        "workspace/platform/scales.html",
        {"suppliers": list(suppliers_scale_pending())},
    )


@login_required
@require_http_methods(["GET", "POST"])
def scale_review(request: HttpRequest, pk: int) -> HttpResponse:
    """One supplier's declaration and evidence; POST verifies it or does not accept it."""
    actor = _require_admin(request)
    supplier = _supplier(pk)
    form = ScaleReviewForm(request.POST or None)
    context = {
        "supplier": supplier,
        "form": form,
        "evidence": supplier_documents_current(organization=supplier).get(
            DocumentKind.SCALE_EVIDENCE
        ),
    }
    template = "workspace/platform/scale_review.html"
    if request.method != "POST":
        return render(request, template, context)
    if not form.is_valid():
        return render(request, template, context, status=422)
    try:
        supplier_scale_review(
            actor=actor,
            organization=supplier,
            verified=form.cleaned_data["decision"] == "verify",
            note=form.cleaned_data["note"],
        )
    except DomainError as error:
        form_errors_from(error, form)
        return render(request, template, context, status=error.status)
    messages.success(
        request,
        _("The scale of %(supplier)s is reviewed; its people are told by e-mail.")
        % {"supplier": supplier.display_name},
    )
    return redirect("platform:scales")


@login_required
def scale_evidence(request: HttpRequest, pk: int) -> FileResponse:
    """The evidence of size a supplier holds."""
    _require_admin(request)
    evidence = supplier_documents_current(organization=_supplier(pk)).get(
        DocumentKind.SCALE_EVIDENCE
    )
    if evidence is None:
        raise Http404(_("There is no such document."))
    return document_response(evidence.file, evidence.filename, evidence.content_type)
