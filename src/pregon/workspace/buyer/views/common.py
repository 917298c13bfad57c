"""What the buyer workspace's views share: the buyer's time zone, who may open a tender and
change it, the page contexts, the re-rendering of a refused form, the lots section served as an
HTMX partial, and the deletion of a draft's parts after confirmation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, Concatenate

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from pregon.accounts.choices import (
    BUYER_READ_ROLES,
    BUYER_WRITE_ROLES,
    COMMITTEE_ROLES,
    OrganizationKind,
)
from pregon.accounts.http import user_of
from pregon.accounts.permissions import roles_in
from pregon.core import clock
from pregon.core.errors import DomainError, NotFound
from pregon.core.pages import form_errors_from, time_zone_note
from pregon.core.transitions import transitions_from
from pregon.organizations.acting import WorkspaceOrganization, require_workspace
from pregon.organizations.models import Organization
from pregon.tenders import selectors
from pregon.tenders.choices import TRANSITIONS, TenderStatus
from pregon.tenders.models import CommitteeMember, Lot, Tender
from pregon.workspace.buyer.forms import DocumentForm, ItemForm, LotForm
from pregon.workspace.common import nav_context

BUYER_KINDS = frozenset({OrganizationKind.BUYER})
# Everyone who may open the workspace; only buyer officials change anything.
READ_ROLES = BUYER_READ_ROLES
WRITE_ROLES = BUYER_WRITE_ROLES
# The moves of the state table a buyer official starts (suppliers ask; the deadline closes).
_BUYER_MOVES = frozenset({"edit", "publish", "amend", "cancel", "answer"})
INVALID_FORM_STATUS = 422


# ---------------------------------------------------------------------------------------------
# the buyer's time zone


def in_buyer_time_zone[**P, R: HttpResponseBase](
    view: Callable[Concatenate[HttpRequest, P], R],
) -> Callable[Concatenate[HttpRequest, P], R]:
    """Every view of the buyer workspace is decorated with this: its dates are typed and shown
    in the zone of the buyer the page is about.

    The helpers that find that buyer (`buyer_workspace`, `access_tender`) activate its zone, so
    that forms read what is typed (and show stored moments) in it; this ends the activation with
    the view, and the next request the thread serves starts in the platform's zone again.
    """

    @wraps(view)
    def zoned(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> R:
        # override(None) starts the view in the platform's zone and, on the way out, puts back
        # whatever zone was active before, whatever the view activated.
        with timezone.override(None):
            return view(request, *args, **kwargs)

    zoned.in_buyer_time_zone = True  # type: ignore[attr-defined]
    return zoned


def _use_time_zone_of(organization: Organization) -> None:
    # Only inside a view decorated with in_buyer_time_zone, which ends the activation.
    timezone.activate(organization.effective_time_zone)


def buyer_workspace(request: HttpRequest) -> WorkspaceOrganization:
    """The buyer the person acts for (`require_workspace`), its zone active for the page."""
    workspace = require_workspace(request, kinds=BUYER_KINDS, roles=READ_ROLES)
    _use_time_zone_of(workspace.organization)
    return workspace


# ---------------------------------------------------------------------------------------------
# access


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
        return set(transitions_from(self.tender.status, TRANSITIONS)) & _BUYER_MOVES

    @property
    def can_answer(self) -> bool:
        return "answer" in self.transitions


def access_tender(request: HttpRequest, pk: int) -> TenderAccess:
    """A tender of one of the person's buyers, its buyer's zone active for the page; any other
    tender answers 404."""
    try:
        tender = selectors.tender_for_buyer(user=user_of(request), pk=pk)
    except NotFound as error:
        raise Http404(str(error.message)) from None
    _use_time_zone_of(tender.buyer)
    return TenderAccess(tender=tender, roles=roles_in(user_of(request), tender.buyer))


def access_tender_to_edit(request: HttpRequest, pk: int) -> TenderAccess:
    """The tender, for a person who may change it; read-only roles get a 403 page."""
    access = access_tender(request, pk)
    if not access.can_edit:
        raise DjangoPermissionDenied
    return access


def refuse_unless_reading(request: HttpRequest) -> HttpResponse | None:
    """405 for anything but a read, decided after the access checks (so another
    organization's tender still answers 404, whatever the method)."""
    if request.method in {"GET", "HEAD"}:
        return None
    return HttpResponseNotAllowed(["GET", "HEAD"])


def find_by_pk(objects: Any, pk: int) -> Any:
    """The object of `objects` with primary key `pk`, or 404."""
    for candidate in objects:
        if candidate.pk == pk:
            return candidate
    raise Http404


def lot_of(access: TenderAccess, lot_pk: int) -> Lot:
    """A lot of the tender, or 404."""
    return find_by_pk(access.tender.lots.all(), lot_pk)


# ---------------------------------------------------------------------------------------------
# pages


def tender_url(tender: Tender, anchor: str = "") -> str:
    """The tender's workspace page, at `anchor` if given."""
    url = reverse("workspace:tender", kwargs={"pk": tender.pk})
    return f"{url}#{anchor}" if anchor else url


def workspace_context(request: HttpRequest, workspace: WorkspaceOrganization) -> dict[str, Any]:
    """What a page not about one tender shows (the home, a new draft)."""
    return {
        "workspace": workspace,
        "time_zone": time_zone_note(),
        "nav": "home",
        **nav_context(request, can_edit=workspace.has_any(WRITE_ROLES)),
    }


def tender_context(request: HttpRequest, access: TenderAccess, **extra: Any) -> dict[str, Any]:
    """What every page about one tender shows, with `extra` added."""
    return {
        "tender": access.tender,
        "access": access,
        "time_zone": time_zone_note(),
        "nav": "home",
        **nav_context(request, can_edit=access.can_edit),
        **extra,
    }


def tender_page_context(
    request: HttpRequest,
    access: TenderAccess,
    *,
    lot_form: LotForm | None = None,
    item_forms: dict[int, ItemForm] | None = None,
    document_form: DocumentForm | None = None,
) -> dict[str, Any]:
    """The tender's page: its lots with an item form each, the lot and document forms, and
    the question counts (forms passed in are shown with their errors)."""
    tender = access.tender
    item_forms = item_forms or {}
    lots = [
        (lot, item_forms.get(lot.pk) or ItemForm(prefix=f"item-{lot.pk}"))
        for lot in tender.lots.all()
    ]
    questions = list(selectors.questions_public(tender=tender))
    committee = selectors.committee_of(tender=tender)
    return tender_context(
        request,
        access,
        lots=lots,
        lot_form=lot_form or LotForm(prefix="lot"),
        document_form=document_form or DocumentForm(prefix="document"),
        editing=access.can_edit and "edit" in access.transitions,
        committee=committee,
        opening_url=_opening_url(request, access, committee),
        question_count=len(questions),
        unanswered_count=sum(not question.is_answered for question in questions),
    )


def _opening_url(
    request: HttpRequest, access: TenderAccess, committee: list[CommitteeMember]
) -> str:
    """The tender's opening page, for a member of its committee once the opening time has come
    (by the database's clock, as the opening itself decides); "" for anyone else, whom that
    page refuses, and before the opening time, while the tender is a draft or once cancelled."""
    tender = access.tender
    user = user_of(request)
    if (
        not tender.is_public
        or tender.status == TenderStatus.CANCELLED
        or not access.roles & COMMITTEE_ROLES
        or all(member.user_id != user.pk for member in committee)
        or clock.db_now() < tender.opening_at
    ):
        return ""
    return reverse("opening:committee", kwargs={"pk": tender.pk})


def render_refused(
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


# ---------------------------------------------------------------------------------------------
# the lots section (an HTMX partial, with full-page fallbacks) and deletions


def lots_response(
    request: HttpRequest,
    pk: int,
    *,
    status: int = 200,
    lot_form: LotForm | None = None,
    item_forms: dict[int, ItemForm] | None = None,
    error: str = "",
) -> HttpResponse:
    """The lots section, re-read from the database, for an HTMX swap."""
    access = access_tender(request, pk)
    context = tender_page_context(request, access, lot_form=lot_form, item_forms=item_forms)
    context["lots_error"] = error
    return render(request, "workspace/buyer/partials/lots.html", context, status=status)


def lots_done(request: HttpRequest, access: TenderAccess, message: str) -> HttpResponse:
    """After a change to the lots: the section for HTMX, else back to the page with `message`."""
    if request.htmx:  # type: ignore[attr-defined]
        return lots_response(request, access.tender.pk)
    messages.success(request, message)
    return redirect(tender_url(access.tender, "lots"))


def confirm_delete(
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
    context = tender_context(request, access, target=target, question=question)
    if request.method != "POST":
        return render(request, "workspace/buyer/confirm_delete.html", context)
    try:
        action()
    except DomainError as error:
        if request.htmx:  # type: ignore[attr-defined]
            return lots_response(
                request, access.tender.pk, status=error.status, error=str(error.message)
            )
        return render_refused(request, "workspace/buyer/confirm_delete.html", context, error=error)
    if anchor == "lots":
        return lots_done(request, access, done)
    messages.success(request, done)
    return redirect(tender_url(access.tender, anchor))
