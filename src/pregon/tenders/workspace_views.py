"""The buyer workspace: a buyer's tenders, drafted, published, answered, amended, cancelled.

Every view is thin: it finds the tender through `selectors.tender_for_buyer` (another
organization's tender answers 404, so drafts stay secret), checks that the person may act
(committee members and auditors read only), parses a form and calls ONE service. A refused
action (`DomainError`) comes back on the form with its status (400, 409 or 422) and nothing
changed. Lots and items are added and removed in place with HTMX; every such form is also a
plain POST that works without JavaScript.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.forms import Form
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pregon.accounts.choices import Role
from pregon.accounts.permissions import roles_in
from pregon.core import clock
from pregon.core.errors import DomainError, NotFound
from pregon.organizations import workspace_views as shared
from pregon.organizations.choices import OrganizationKind
from pregon.tenders import selectors, services
from pregon.tenders.choices import TRANSITIONS, TenderStatus
from pregon.tenders.forms import (
    AmendmentForm,
    AnswerForm,
    CancelForm,
    DocumentForm,
    ItemForm,
    LotForm,
    TenderForm,
)
from pregon.tenders.models import Item, Lot, Question, Tender, TenderDocument
from pregon.web.workspace import (
    WorkspaceOrganization,
    actor_from_request,
    form_errors_from,
    nav_context,
    require_workspace,
    switch_view,
    time_zone_note,
    user_of,
)

BUYER_KINDS = frozenset({OrganizationKind.BUYER})
# Everyone who may open the workspace; only buyer officials change anything.
READ_ROLES = frozenset({Role.BUYER_OFFICIAL, Role.COMMITTEE_MEMBER, Role.AUDITOR})
WRITE_ROLES = frozenset({Role.BUYER_OFFICIAL})
# Questions can be answered while bidders may still use the answer, and after the deadline.
_ANSWERABLE = frozenset({TenderStatus.ACTIVE, TenderStatus.CLOSED})
INVALID_FORM_STATUS = 422

switch = switch_view(kinds=BUYER_KINDS, roles=READ_ROLES, fallback="workspace:home")


# ---------------------------------------------------------------------------------------------
# helpers


@dataclass(kw_only=True)
class TenderAccess:
    """A tender of one of the person's buyers, and what the person may do with it."""

    tender: Tender
    roles: set[str]

    @property
    def can_edit(self) -> bool:
        return bool(self.roles & WRITE_ROLES)

    @property
    def transitions(self) -> set[str]:
        """The transitions the person may start now (none for read-only roles)."""
        if not self.can_edit:
            return set()
        return {
            name
            for name, (sources, _target) in TRANSITIONS.items()
            if self.tender.status in sources
        }

    @property
    def can_answer(self) -> bool:
        return self.can_edit and self.tender.status in _ANSWERABLE


def _access(request: HttpRequest, pk: int) -> TenderAccess:
    try:
        tender = selectors.tender_for_buyer(user=user_of(request), pk=pk)
    except NotFound as error:
        raise Http404(str(error.message)) from None
    return TenderAccess(tender=tender, roles=roles_in(user_of(request), tender.buyer))


def _editable(request: HttpRequest, pk: int) -> TenderAccess:
    """The tender, for a person who may change it; read-only roles get a 403 page."""
    access = _access(request, pk)
    if not access.can_edit:
        raise DjangoPermissionDenied
    return access


def _reading(request: HttpRequest) -> HttpResponse | None:
    """405 for anything but a read, decided after the access checks (so another
    organization's tender still answers 404, whatever the method)."""
    if request.method in {"GET", "HEAD"}:
        return None
    return HttpResponseNotAllowed(["GET", "HEAD"])


def _tender_url(tender: Tender, anchor: str = "") -> str:
    url = reverse("workspace:tender", kwargs={"pk": tender.pk})
    return f"{url}#{anchor}" if anchor else url


def _refused(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    form: Form | None = None,
    error: DomainError | None = None,
) -> HttpResponse:
    """Re-render a form that was not accepted, with the reason on it and a 4xx status."""
    if error is not None and form is not None:
        form_errors_from(error, form)
    elif error is not None:
        context["error"] = error.message
    status = error.status if error is not None else INVALID_FORM_STATUS
    return render(request, template, context, status=status)


def _find(objects: Any, pk: int) -> Any:
    for candidate in objects:
        if candidate.pk == pk:
            return candidate
    raise Http404


def _lot(access: TenderAccess, lot_pk: int) -> Lot:
    return _find(access.tender.lots.all(), lot_pk)


def _item(access: TenderAccess, item_pk: int) -> Item:
    items = (item for lot in access.tender.lots.all() for item in lot.items.all())
    return _find(items, item_pk)


def _document(access: TenderAccess, document_pk: int) -> TenderDocument:
    return _find(access.tender.documents.all(), document_pk)


def _workspace_context(request: HttpRequest, workspace: WorkspaceOrganization) -> dict[str, Any]:
    return {
        "workspace": workspace,
        "time_zone": time_zone_note(),
        "nav": "home",
        **nav_context(request, can_edit=workspace.has_any(WRITE_ROLES)),
    }


def _tender_context(request: HttpRequest, access: TenderAccess, **extra: Any) -> dict[str, Any]:
    return {
        "tender": access.tender,
        "access": access,
        "time_zone": time_zone_note(),
        "nav": "home",
        **nav_context(request, can_edit=access.can_edit),
        **extra,
    }


# ---------------------------------------------------------------------------------------------
# home and drafts


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The buyer's tenders by status, with the number of questions waiting for an answer."""
    workspace = require_workspace(request, kinds=BUYER_KINDS, roles=READ_ROLES)
    if refused := _reading(request):
        return refused
    tenders = list(selectors.tenders_of_buyer(buyer=workspace.organization))
    groups = [
        {
            "status": status,
            "label": label,
            "tenders": [tender for tender in tenders if tender.status == status],
        }
        for status, label in TenderStatus.choices
    ]
    context = _workspace_context(request, workspace)
    context.update(
        groups=groups,
        total=len(tenders),
        can_edit=workspace.has_any(WRITE_ROLES),
        unanswered=sum(tender.unanswered for tender in tenders),  # type: ignore[attr-defined]
    )
    return render(request, "tenders/workspace/home.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def tender_create(request: HttpRequest) -> HttpResponse:
    """Start a draft for the buyer the person acts for."""
    workspace = require_workspace(request, kinds=BUYER_KINDS, roles=READ_ROLES)
    if not workspace.has_any(WRITE_ROLES):
        raise DjangoPermissionDenied
    form = TenderForm(request.POST or None)
    context = {
        **_workspace_context(request, workspace),
        "form": form,
        "creating": True,
        "nav": "create",
    }
    if request.method != "POST":
        return render(request, "tenders/workspace/tender_form.html", context)
    if not form.is_valid():
        return _refused(request, "tenders/workspace/tender_form.html", context)
    try:
        tender = services.tender_create(
            actor=actor_from_request(request, workspace.organization),
            buyer=workspace.organization,
            data=form.to_data(),
        )
    except DomainError as error:
        return _refused(
            request, "tenders/workspace/tender_form.html", context, form=form, error=error
        )
    messages.success(request, _("The draft is saved. Now add its lots and items."))
    return redirect(_tender_url(tender, "lots"))


@login_required
def tender_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything about one tender, with the actions its state allows."""
    access = _access(request, pk)
    if refused := _reading(request):
        return refused
    return render(request, "tenders/workspace/tender.html", _tender_page_context(request, access))


def _tender_page_context(
    request: HttpRequest,
    access: TenderAccess,
    *,
    lot_form: LotForm | None = None,
    item_forms: dict[int, ItemForm] | None = None,
    document_form: DocumentForm | None = None,
) -> dict[str, Any]:
    tender = access.tender
    item_forms = item_forms or {}
    lots = [
        (lot, item_forms.get(lot.pk) or ItemForm(prefix=f"item-{lot.pk}"))
        for lot in tender.lots.all()
    ]
    questions = list(selectors.questions_public(tender=tender))
    return _tender_context(
        request,
        access,
        lots=lots,
        lot_form=lot_form or LotForm(prefix="lot"),
        document_form=document_form or DocumentForm(prefix="document"),
        editing=access.can_edit and "edit" in access.transitions,
        question_count=len(questions),
        unanswered_count=sum(not question.is_answered for question in questions),
    )


@login_required
@require_http_methods(["GET", "POST"])
def tender_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a draft's fields."""
    access = _editable(request, pk)
    tender = access.tender
    if request.method != "POST" and "edit" not in access.transitions:
        messages.warning(
            request, _("Only a draft can be edited. Use an amendment for an open tender.")
        )
        return redirect(_tender_url(tender))
    form = TenderForm(request.POST or None, initial=TenderForm.initial_from(tender))
    context = _tender_context(request, access, form=form, creating=False)
    if request.method != "POST":
        return render(request, "tenders/workspace/tender_form.html", context)
    if not form.is_valid():
        return _refused(request, "tenders/workspace/tender_form.html", context)
    try:
        services.tender_update(
            actor=actor_from_request(request, tender.buyer),
            tender=tender,
            data=form.to_data(tender),
        )
    except DomainError as error:
        return _refused(
            request, "tenders/workspace/tender_form.html", context, form=form, error=error
        )
    messages.success(request, _("The draft is saved."))
    return redirect(_tender_url(tender))


# ---------------------------------------------------------------------------------------------
# lots and items (HTMX partials, with full-page fallbacks)


def _lots_response(
    request: HttpRequest,
    pk: int,
    *,
    status: int = 200,
    lot_form: LotForm | None = None,
    item_forms: dict[int, ItemForm] | None = None,
    error: str = "",
) -> HttpResponse:
    """The lots section, re-read from the database, for an HTMX swap."""
    access = _access(request, pk)
    context = _tender_page_context(request, access, lot_form=lot_form, item_forms=item_forms)
    context["lots_error"] = error
    return render(request, "tenders/workspace/partials/lots.html", context, status=status)


def _lots_done(request: HttpRequest, access: TenderAccess, message: str) -> HttpResponse:
    if request.htmx:  # type: ignore[attr-defined]
        return _lots_response(request, access.tender.pk)
    messages.success(request, message)
    return redirect(_tender_url(access.tender, "lots"))


@login_required
@require_http_methods(["GET", "POST"])
def lot_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a lot to a draft."""
    access = _editable(request, pk)
    form = LotForm(request.POST or None, prefix="lot")
    context = _tender_context(request, access, form=form, lot=None)
    if request.method != "POST":
        return render(request, "tenders/workspace/lot_form.html", context)
    error: DomainError | None = None
    if form.is_valid():
        try:
            services.lot_save(
                actor=actor_from_request(request, access.tender.buyer),
                tender=access.tender,
                data=form.to_data(),
            )
        except DomainError as refused:
            error = refused
        else:
            return _lots_done(request, access, _("The lot is added."))
    if error is not None:
        form_errors_from(error, form)
    status = error.status if error is not None else INVALID_FORM_STATUS
    if request.htmx:  # type: ignore[attr-defined]
        return _lots_response(request, pk, status=status, lot_form=form)
    return render(request, "tenders/workspace/lot_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def lot_edit(request: HttpRequest, pk: int, lot_pk: int) -> HttpResponse:
    """Change a lot's title, description or value (its items stay)."""
    access = _editable(request, pk)
    lot = _lot(access, lot_pk)
    form = LotForm(request.POST or None, prefix="lot", initial=LotForm.initial_from(lot))
    context = _tender_context(request, access, form=form, lot=lot)
    if request.method != "POST":
        return render(request, "tenders/workspace/lot_form.html", context)
    if not form.is_valid():
        return _refused(request, "tenders/workspace/lot_form.html", context)
    try:
        services.lot_save(
            actor=actor_from_request(request, access.tender.buyer),
            tender=access.tender,
            lot=lot,
            data=form.to_data(),
        )
    except DomainError as error:
        return _refused(request, "tenders/workspace/lot_form.html", context, form=form, error=error)
    messages.success(request, _("The lot is saved."))
    return redirect(_tender_url(access.tender, f"lot-{lot.pk}"))


def _confirm_delete(
    request: HttpRequest,
    access: TenderAccess,
    *,
    target: Any,
    question: str,
    action: Callable[[], None],
    done: str,
    anchor: str,
) -> HttpResponse:
    """Shared by the deletions of a draft's parts: GET asks, POST deletes through `action`."""
    context = _tender_context(request, access, target=target, question=question)
    if request.method != "POST":
        return render(request, "tenders/workspace/confirm_delete.html", context)
    try:
        action()
    except DomainError as error:
        if request.htmx:  # type: ignore[attr-defined]
            return _lots_response(
                request, access.tender.pk, status=error.status, error=str(error.message)
            )
        return _refused(request, "tenders/workspace/confirm_delete.html", context, error=error)
    if anchor == "lots":
        return _lots_done(request, access, done)
    messages.success(request, done)
    return redirect(_tender_url(access.tender, anchor))


@login_required
@require_http_methods(["GET", "POST"])
def lot_delete(request: HttpRequest, pk: int, lot_pk: int) -> HttpResponse:
    """Remove a lot and its items from a draft."""
    access = _editable(request, pk)
    lot = _lot(access, lot_pk)
    return _confirm_delete(
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


@login_required
@require_http_methods(["GET", "POST"])
def item_add(request: HttpRequest, pk: int, lot_pk: int) -> HttpResponse:
    """Add an item to a lot of a draft."""
    access = _editable(request, pk)
    lot = _lot(access, lot_pk)
    form = ItemForm(request.POST or None, prefix=f"item-{lot.pk}")
    context = _tender_context(request, access, form=form, lot=lot)
    if request.method != "POST":
        return render(request, "tenders/workspace/item_form.html", context)
    error: DomainError | None = None
    if form.is_valid():
        try:
            services.item_add(
                actor=actor_from_request(request, access.tender.buyer),
                lot=lot,
                data=form.to_data(),
            )
        except DomainError as refused:
            error = refused
        else:
            return _lots_done(request, access, _("The item is added."))
    if error is not None:
        form_errors_from(error, form)
    status = error.status if error is not None else INVALID_FORM_STATUS
    if request.htmx:  # type: ignore[attr-defined]
        return _lots_response(request, pk, status=status, item_forms={lot.pk: form})
    return render(request, "tenders/workspace/item_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def item_delete(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """Remove an item from a draft."""
    access = _editable(request, pk)
    item = _item(access, item_pk)
    return _confirm_delete(
        request,
        access,
        target=item,
        question=_("Delete the item “%(item)s”?") % {"item": item.description},
        action=lambda: services.item_delete(
            actor=actor_from_request(request, access.tender.buyer), item=item
        ),
        done=_("The item is deleted."),
        anchor="lots",
    )


# ---------------------------------------------------------------------------------------------
# documents


@login_required
@require_http_methods(["GET", "POST"])
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach a document to a draft (size and type checked)."""
    access = _editable(request, pk)
    form = DocumentForm(request.POST or None, request.FILES or None, prefix="document")
    context = _tender_context(request, access, form=form)
    if request.method != "POST":
        return render(request, "tenders/workspace/document_form.html", context)
    if not form.is_valid():
        return _refused(request, "tenders/workspace/document_form.html", context)
    try:
        services.document_add(
            actor=actor_from_request(request, access.tender.buyer),
            tender=access.tender,
            data=form.to_data(),
        )
    except DomainError as error:
        return _refused(
            request, "tenders/workspace/document_form.html", context, form=form, error=error
        )
    messages.success(request, _("The document is attached."))
    return redirect(_tender_url(access.tender, "documents"))


@login_required
@require_http_methods(["GET", "POST"])
def document_delete(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    """Remove a document from a draft."""
    access = _editable(request, pk)
    document = _document(access, document_pk)
    return _confirm_delete(
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
def document_download(
    request: HttpRequest, pk: int, document_pk: int
) -> HttpResponse | FileResponse:
    """A document as stored, for the buyer's people (drafts' documents are not public yet)."""
    document = _document(_access(request, pk), document_pk)
    if refused := _reading(request):
        return refused
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.filename,
        content_type=document.content_type,
    )


# ---------------------------------------------------------------------------------------------
# lifecycle


@login_required
@require_http_methods(["GET", "POST"])
def tender_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """List what stops publication; publish on confirmation."""
    access = _access(request, pk)
    tender = access.tender
    if request.method == "POST" and not access.can_edit:
        raise DjangoPermissionDenied
    problems = services.publication_problems(tender) if tender.status == TenderStatus.DRAFT else []
    context = _tender_context(request, access, problems=problems)
    if request.method != "POST":
        return render(request, "tenders/workspace/publish.html", context)
    try:
        services.tender_publish(actor=actor_from_request(request, tender.buyer), tender=tender)
    except DomainError as error:
        context["problems"] = [str(text) for text in error.errors.get("__all__", [])]
        context["error"] = "" if context["problems"] else error.message
        return render(request, "tenders/workspace/publish.html", context, status=error.status)
    messages.success(
        request, _("The tender is published. It is open for questions and bids until the deadline.")
    )
    return redirect(_tender_url(tender))


@login_required
@require_http_methods(["GET", "POST"])
def tender_amend(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an open tender, with a public reason."""
    access = _editable(request, pk)
    tender = access.tender
    form = AmendmentForm(
        request.POST or None, request.FILES or None, initial=AmendmentForm.initial_from(tender)
    )
    earliest = clock.now() + dt.timedelta(days=settings.PREGON_AMENDMENT_MIN_DAYS)
    context = _tender_context(
        request,
        access,
        form=form,
        min_days=settings.PREGON_AMENDMENT_MIN_DAYS,
        earliest=date_format(timezone.localtime(earliest), "DATETIME_FORMAT"),
    )
    if request.method != "POST":
        return render(request, "tenders/workspace/amend.html", context)
    if not form.is_valid():
        return _refused(request, "tenders/workspace/amend.html", context)
    try:
        amendment = services.tender_amend(
            actor=actor_from_request(request, tender.buyer),
            tender=tender,
            data=form.to_data(tender),
        )
    except DomainError as error:
        return _refused(request, "tenders/workspace/amend.html", context, form=form, error=error)
    if amendment.new_deadline != amendment.previous_deadline:
        messages.success(
            request,
            _("Amendment %(number)s is published. The bid deadline moved.")
            % {"number": amendment.number},
        )
    else:
        messages.success(
            request, _("Amendment %(number)s is published.") % {"number": amendment.number}
        )
    return redirect(_tender_url(tender))


@login_required
@require_http_methods(["GET", "POST"])
def tender_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for the reason, then cancel."""
    access = _editable(request, pk)
    tender = access.tender
    form = CancelForm(request.POST or None)
    context = _tender_context(request, access, form=form)
    if request.method != "POST":
        return render(request, "tenders/workspace/cancel.html", context)
    if not form.is_valid():
        return _refused(request, "tenders/workspace/cancel.html", context)
    try:
        services.tender_cancel(
            actor=actor_from_request(request, tender.buyer),
            tender=tender,
            reason=form.cleaned_data["reason"],
        )
    except DomainError as error:
        return _refused(request, "tenders/workspace/cancel.html", context, form=form, error=error)
    messages.success(request, _("The tender is cancelled."))
    return redirect(_tender_url(tender))


# ---------------------------------------------------------------------------------------------
# questions


def _questions_context(
    request: HttpRequest, access: TenderAccess, forms: dict[int, AnswerForm] | None = None
) -> dict[str, Any]:
    forms = forms or {}
    questions = list(selectors.questions_public(tender=access.tender))
    unanswered = [
        (question, forms.get(question.pk) or AnswerForm(prefix=f"q{question.pk}"))
        for question in questions
        if not question.is_answered
    ]
    answered = [question for question in questions if question.is_answered]
    return _tender_context(request, access, unanswered=unanswered, answered=answered)


@login_required
def questions(request: HttpRequest, pk: int) -> HttpResponse:
    """Questions of a tender: those waiting, each with an answer form, then those answered."""
    access = _access(request, pk)
    if refused := _reading(request):
        return refused
    return render(request, "tenders/workspace/questions.html", _questions_context(request, access))


@login_required
@require_http_methods(["GET", "POST"])
def question_answer(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    """Publish the answer to one question (a GET leads to the question's form)."""
    access = _editable(request, pk)
    question: Question = _find(selectors.questions_public(tender=access.tender), question_pk)
    if request.method != "POST":
        url = reverse("workspace:questions", kwargs={"pk": pk})
        return redirect(f"{url}#question-{question.pk}")
    form = AnswerForm(request.POST, prefix=f"q{question.pk}")
    if form.is_valid():
        try:
            services.question_answer(
                actor=actor_from_request(request, access.tender.buyer),
                question=question,
                answer=form.cleaned_data["answer"],
            )
        except DomainError as error:
            form_errors_from(error, form)
            status = error.status
        else:
            messages.success(
                request,
                _("Question %(number)s is answered; the answer is public.")
                % {"number": question.number},
            )
            return redirect(reverse("workspace:questions", kwargs={"pk": pk}))
    else:
        status = INVALID_FORM_STATUS
    context = _questions_context(request, access, {question.pk: form})
    if all(waiting.pk != question.pk for waiting, _form in context["unanswered"]):
        # Answered meanwhile: its form is gone from the page, so say why at the top.
        context["error"] = form.non_field_errors()[0] if form.non_field_errors() else ""
    return render(request, "tenders/workspace/questions.html", context, status=status)


# ---------------------------------------------------------------------------------------------
# API keys of the buyer (the same pages as the supplier workspace's)


@login_required
@require_http_methods(["GET", "POST"])
def api_keys(request: HttpRequest) -> HttpResponse:
    """The buyer's API keys; officials issue new ones."""
    workspace = require_workspace(request, kinds=BUYER_KINDS, roles=READ_ROLES)
    return shared.api_keys_page(
        request, workspace, namespace="workspace", manager_roles=WRITE_ROLES
    )


@login_required
@require_http_methods(["GET", "POST"])
def api_key_revoke(request: HttpRequest, key_pk: int) -> HttpResponse:
    """Revoke one of the buyer's API keys, after confirmation."""
    workspace = require_workspace(request, kinds=BUYER_KINDS, roles=READ_ROLES)
    return shared.api_key_revoke_page(
        request, workspace, key_pk, namespace="workspace", manager_roles=WRITE_ROLES
    )
