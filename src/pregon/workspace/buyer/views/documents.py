"""The documents of a tender: attached to and removed from a draft, downloaded by the buyer's
people."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pregon.core.errors import DomainError
from pregon.organizations.acting import actor_from_request
from pregon.tenders import services
from pregon.tenders.models import TenderDocument
from pregon.workspace.buyer.forms import DocumentForm
from pregon.workspace.buyer.views.common import (
    TenderAccess,
    access_tender,
    access_tender_to_edit,
    confirm_delete,
    find_by_pk,
    in_buyer_time_zone,
    refuse_unless_reading,
    render_refused,
    tender_context,
    tender_url,
)


def _document(access: TenderAccess, document_pk: int) -> TenderDocument:
    return find_by_pk(access.tender.documents.all(), document_pk)


@login_required
@require_http_methods(["GET", "POST"])
@in_buyer_time_zone
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach a document to a draft (size and type checked)."""
    access = access_tender_to_edit(request, pk)
    form = DocumentForm(request.POST or None, request.FILES or None, prefix="document")
    context = tender_context(request, access, form=form)
    if request.method != "POST":
        return render(request, "workspace/buyer/document_form.html", context)
    if not form.is_valid():
        return render_refused(request, "workspace/buyer/document_form.html", context)
    try:
        services.document_add(
            actor=actor_from_request(request, access.tender.buyer),
            tender=access.tender,
            data=form.to_data(),
        )
    except DomainError as error:
        return render_refused(
            request, "workspace/buyer/document_form.html", context, form=form, error=error
        )
    messages.success(request, _("The document is attached."))
    return redirect(tender_url(access.tender, "documents"))


@login_required
@require_http_methods(["GET", "POST"])
@in_buyer_time_zone
def document_delete(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    """Remove a document from a draft."""
    access = access_tender_to_edit(request, pk)
    document = _document(access, document_pk)
    return confirm_delete(
        request,
        access,
        target=document,
        question=_("Delete the document “%(title)s”?") % {"title": document.title},
        action=lambda: services.document_delete(
            actor=actor_from_request(request, access.tender.buyer), document=document
        ),
        done=_("The document is deleted."),
        anchor="documents",
    )


@login_required
@in_buyer_time_zone
def document_download(
    request: HttpRequest, pk: int, document_pk: int
) -> HttpResponse | FileResponse:
    """A document as stored, for the buyer's people (drafts' documents are not public yet)."""
    document = _document(access_tender(request, pk), document_pk)
    if refused := refuse_unless_reading(request):
        return refused
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.filename,
        content_type=document.content_type,
    )
