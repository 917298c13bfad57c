"""A committee member's opening key: register one (made on their own device), see its
fingerprint, revoke it.

The page acts for one buyer at a time (the workspace's organization switcher chooses which),
since a member holds one key per buyer.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pregon.accounts.choices import COMMITTEE_ROLES, OrganizationKind
from pregon.accounts.http import user_of
from pregon.core.errors import DomainError
from pregon.core.pages import form_errors_from
from pregon.organizations.acting import (
    WorkspaceOrganization,
    actor_from_request,
    require_workspace,
)
from pregon.tenders import selectors, services
from pregon.workspace.committee.forms import OpeningKeyForm
from pregon.workspace.common import nav_context

TEMPLATE = "workspace/committee/opening_key.html"
_BUYER_KINDS = frozenset({OrganizationKind.BUYER})
# The passphrase protects the key file on the member's device; the page asks for this many
# characters at least (the browser checks it; the server never sees the passphrase).
PASSPHRASE_MIN_LENGTH = 12


def _committee_workspace(request: HttpRequest) -> WorkspaceOrganization:
    """The buyer the person acts for as a committee member; anyone else gets a 403 page."""
    return require_workspace(request, kinds=_BUYER_KINDS, roles=COMMITTEE_ROLES)


def _context(
    request: HttpRequest, workspace: WorkspaceOrganization, form: OpeningKeyForm
) -> dict[str, Any]:
    keys = selectors.committee_keys_of(user=user_of(request), organization=workspace.organization)
    return {
        "workspace": workspace,
        "form": form,
        "active_key": next((key for key in keys if key.is_active), None),
        "revoked_keys": [key for key in keys if not key.is_active],
        "passphrase_min_length": PASSPHRASE_MIN_LENGTH,
        "nav": "opening_key",
        **nav_context(request, can_edit=False),
    }


@login_required
@require_http_methods(["GET", "POST"])
def opening_key(request: HttpRequest) -> HttpResponse:
    """Show the member's key for the buyer they act for; register a new public key."""
    workspace = _committee_workspace(request)
    form = OpeningKeyForm(request.POST or None)
    if request.method != "POST":
        return render(request, TEMPLATE, _context(request, workspace, form))
    if not form.is_valid():
        return render(request, TEMPLATE, _context(request, workspace, form), status=422)
    try:
        key = services.committee_key_register(
            actor=actor_from_request(request, workspace.organization),
            public_key=services.public_key_decode(form.cleaned_data["public_key"]),
        )
    except DomainError as error:
        form_errors_from(error, form)
        return render(request, TEMPLATE, _context(request, workspace, form), status=error.status)
    messages.success(
        request,
        _(
            "Your opening key is registered; its fingerprint begins with %(fingerprint)s. Keep "
            "your key file and its passphrase safe: without them you cannot take part in an "
            "opening."
        )
        % {"fingerprint": key.fingerprint[:16]},
    )
    return redirect("committee:opening_key")


@login_required
@require_POST
def opening_key_revoke(request: HttpRequest, key_pk: int) -> HttpResponse:
    """Revoke the member's own key (lost or no longer trusted)."""
    workspace = _committee_workspace(request)
    keys = selectors.committee_keys_of(user=user_of(request), organization=workspace.organization)
    key = next((key for key in keys if key.pk == key_pk), None)
    if key is None:
        raise Http404
    try:
        services.committee_key_revoke(
            actor=actor_from_request(request, workspace.organization), key=key
        )
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request,
            _(
                "Your opening key is revoked. Register a new one before a buyer names you to "
                "another opening committee."
            ),
        )
    return redirect("committee:opening_key")
