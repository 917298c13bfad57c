"""What the buyer and supplier workspaces share: the organization switcher and the navigation."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from pregon.accounts.choices import COMMITTEE_ROLES
from pregon.accounts.http import user_of
from pregon.accounts.models import Membership
from pregon.audit.selectors import audit_scope_of
from pregon.organizations.acting import require_workspace, session_key


def switch_organization(
    request: HttpRequest, *, kinds: Iterable[str], roles: Iterable[str], fallback: str
) -> HttpResponse:
    """Remember which organization the person acts for (POST `organization`), then go back."""
    workspace = require_workspace(request, kinds=kinds, roles=roles)
    try:
        wanted = int(request.POST.get("organization", ""))
    except ValueError:
        wanted = 0
    # Only an organization the person belongs to may be chosen; anything else keeps the current.
    if any(choice.pk == wanted for choice in workspace.choices):
        request.session[session_key(kinds)] = wanted
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(fallback)
    return HttpResponseRedirect(target)


def switch_view(
    *, kinds: Iterable[str], roles: Iterable[str], fallback: str
) -> Callable[[HttpRequest], HttpResponse]:
    """A POST-only view for one workspace's organization switcher."""
    kinds, roles = frozenset(kinds), frozenset(roles)

    @login_required
    @require_POST
    def view(request: HttpRequest) -> HttpResponse:
        return switch_organization(request, kinds=kinds, roles=roles, fallback=fallback)

    return view


def nav_context(request: HttpRequest, *, can_edit: bool) -> dict[str, bool]:
    """What a workspace's navigation offers: creating things, the audit log, and a committee
    member's own opening key."""
    user = user_of(request)
    return {
        "nav_can_edit": can_edit,
        "show_audit": audit_scope_of(user=user) is not None,
        "show_opening_key": Membership.objects.filter(user=user, role__in=COMMITTEE_ROLES).exists(),
    }
