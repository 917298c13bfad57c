"""The supplier's "Consortia" page: form a consortium, answer invitations, follow each one.

A supplier forms a consortium with itself as lead member and invites the others by their
registered identifiers; each invited member's people accept or decline here; once every member
has accepted, the lead's people act for the consortium (the organization switcher) and bid for
it. Each form posts to its own address and calls one service (`services_consortia`).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pregon.accounts.choices import SUPPLIER_ROLES, OrganizationKind
from pregon.core.errors import DomainError, NotFound
from pregon.core.pages import form_errors_from
from pregon.organizations.acting import WorkspaceOrganization, actor_from_request, require_workspace
from pregon.organizations.choices import ConsortiumMemberStatus
from pregon.organizations.models import Consortium
from pregon.organizations.selectors import consortia_of, consortium_invitation_of
from pregon.organizations.services_consortia import (
    consortium_answer,
    consortium_cancel,
    consortium_form,
)
from pregon.workspace.supplier.forms import ConsortiumForm

INVALID_FORM_STATUS = 422
_TEMPLATE = "workspace/supplier/consortia.html"


def _supplier(request: HttpRequest) -> WorkspaceOrganization:
    return require_workspace(request, kinds={OrganizationKind.SUPPLIER}, roles=SUPPLIER_ROLES)


def _context(
    workspace: WorkspaceOrganization, form: ConsortiumForm | None = None
) -> dict[str, Any]:
    organization = workspace.organization
    consortia = list(consortia_of(organization=organization))
    rows = []
    for consortium in consortia:
        members = list(consortium.members.all())
        mine = next((m for m in members if m.member_id == organization.pk), None)
        rows.append(
            {
                "consortium": consortium,
                "members": members,
                "mine": mine,
                "is_lead": mine is not None and mine.is_lead,
                "may_answer": mine is not None
                and mine.status == ConsortiumMemberStatus.INVITED
                and consortium.status == "forming",
            }
        )
    return {
        "workspace": workspace,
        "nav": "consortia",
        "organization": organization,
        "rows": rows,
        "form": None
        if organization.is_consortium
        else form or ConsortiumForm(initial={"lead_share": 50}),
    }


@login_required
def consortia(request: HttpRequest) -> HttpResponse:
    """The consortia the supplier belongs to, its invitations, and the form to form one."""
    return render(request, _TEMPLATE, _context(_supplier(request)))


@login_required
@require_POST
def consortium_new(request: HttpRequest) -> HttpResponse:
    """Form a consortium led by the supplier and invite its members."""
    workspace = _supplier(request)
    form = ConsortiumForm(request.POST)
    if not form.is_valid():
        return render(request, _TEMPLATE, _context(workspace, form), status=INVALID_FORM_STATUS)
    try:
        consortium = consortium_form(
            actor=actor_from_request(request, workspace.organization),
            lead=workspace.organization,
            data=form.to_data(),
        )
    except DomainError as error:
        form_errors_from(error, form)
        return render(request, _TEMPLATE, _context(workspace, form), status=error.status)
    messages.success(
        request,
        _(
            "The consortium “%(name)s” is formed and its members are invited. It may bid once "
            "every member has accepted."
        )
        % {"name": consortium.organization.display_name},
    )
    return redirect("supplier:consortia")


@login_required
@require_POST
def invitation_answer(request: HttpRequest, pk: int, accept: bool) -> HttpResponse:
    """Accept or decline an invitation into a consortium."""
    workspace = _supplier(request)
    try:
        invitation = consortium_invitation_of(organization=workspace.organization, pk=pk)
        consortium_answer(
            actor=actor_from_request(request, workspace.organization),
            membership=invitation,
            accept=accept,
        )
    except NotFound as error:
        raise Http404(str(error.message)) from None
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect("supplier:consortia")
    name = invitation.consortium.organization.display_name
    messages.success(
        request,
        _("You joined the consortium “%(name)s”.") % {"name": name}
        if accept
        else _("You declined the consortium “%(name)s”; it is cancelled.") % {"name": name},
    )
    return redirect("supplier:consortia")


@login_required
@require_POST
def consortium_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The lead member cancels a consortium still forming."""
    workspace = _supplier(request)
    consortium = (
        Consortium.objects.select_related("organization")
        .filter(pk=pk, members__member=workspace.organization, members__is_lead=True)
        .first()
    )
    if consortium is None:
        raise Http404(_("There is no such consortium."))
    try:
        consortium_cancel(
            actor=actor_from_request(request, workspace.organization), consortium=consortium
        )
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect("supplier:consortia")
    messages.success(
        request,
        _("The consortium “%(name)s” is cancelled.")
        % {"name": consortium.organization.display_name},
    )
    return redirect("supplier:consortia")
