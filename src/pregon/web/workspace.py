"""Pieces every workspace page shares: who acts, for which organization, and how a refused
action becomes form errors.

A person may hold roles in several organizations (an official of two municipalities, a consultant
working for two suppliers); the workspace acts for one of them at a time, remembered in the
session and changed with the organization switcher.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from pregon.accounts.models import Membership, User
from pregon.core.actor import Actor
from pregon.core.errors import DomainError
from pregon.core.request import client_ip
from pregon.organizations.models import Organization

_SESSION_KEY = "pregon_workspace_organization"


def actor_from_request(request: HttpRequest, organization: Organization | None) -> Actor:
    """The acting party of a page request: the signed-in person, for `organization`."""
    user = request.user if request.user.is_authenticated else None
    return Actor(
        user=user,
        organization=organization,
        ip_address=client_ip(request),
        channel="web",
    )


@dataclass(kw_only=True)
class WorkspaceOrganization:
    """The organization a workspace acts for, the person's roles in it, and the alternatives."""

    organization: Organization
    roles: set[str]
    # Every organization the person could act for in this workspace (for the switcher).
    choices: list[Organization] = field(default_factory=list)

    def has_any(self, roles: Iterable[str]) -> bool:
        """Whether the person holds at least one of `roles` here."""
        return bool(self.roles & set(roles))


def _session_key(kinds: Iterable[str]) -> str:
    return f"{_SESSION_KEY}:{'+'.join(sorted(kinds))}"


def current_organization(
    request: HttpRequest, *, kinds: Iterable[str], roles: Iterable[str]
) -> WorkspaceOrganization | None:
    """The organization the signed-in person acts for in a workspace, or None if there is none.

    Only memberships holding one of `roles` in an organization of one of `kinds` count. The
    choice made with the switcher is kept in the session; without one, the first organization
    by name is used.
    """
    if not request.user.is_authenticated:
        return None
    kinds, roles = set(kinds), set(roles)
    memberships = (
        Membership.objects.filter(user=request.user, organization__kind__in=kinds, role__in=roles)
        .select_related("organization")
        .order_by("organization__legal_name", "organization_id")
    )
    by_organization: dict[int, tuple[Organization, set[str]]] = {}
    for membership in memberships:
        organization, held = by_organization.setdefault(
            membership.organization_id, (membership.organization, set())
        )
        held.add(membership.role)
    if not by_organization:
        return None
    chosen = request.session.get(_session_key(kinds))
    if chosen not in by_organization:
        chosen = next(iter(by_organization))
    organization, held = by_organization[chosen]
    return WorkspaceOrganization(
        organization=organization,
        roles=held,
        choices=[entry[0] for entry in by_organization.values()],
    )


def require_workspace(
    request: HttpRequest, *, kinds: Iterable[str], roles: Iterable[str]
) -> WorkspaceOrganization:
    """Like `current_organization`, but a person without such a membership gets a 403 page."""
    workspace = current_organization(request, kinds=kinds, roles=roles)
    if workspace is None:
        raise DjangoPermissionDenied
    return workspace


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
        request.session[_session_key(kinds)] = wanted
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


def form_errors_from(error: DomainError, form: forms.BaseForm) -> None:
    """Put a refused action's messages on the form: each on its field when the form has that
    field, the rest as errors of the whole form."""
    messages: dict[str | None, list[str]] = {}
    for name, texts in error.errors.items():
        key = None if name in {"__all__", ""} else name
        messages.setdefault(key, []).extend(str(text) for text in texts)
    if error.field or not messages:
        messages.setdefault(error.field, [])
        if str(error.message) not in messages[error.field]:
            messages[error.field].insert(0, str(error.message))
    for field_name, texts in messages.items():
        target = field_name if field_name in form.fields else None
        for text in texts:
            _add_error(form, target, text)


def _add_error(form: forms.BaseForm, name: str | None, text: str) -> None:
    # form.add_error would drop the field from cleaned_data; the form is only re-rendered, so
    # append to the error lists directly and keep what the person typed.
    key = name or NON_FIELD_ERRORS
    errors = form.errors  # runs the form's own validation first if it has not run
    if key not in errors:
        errors[key] = form.error_class(
            error_class="nonfield" if key == NON_FIELD_ERRORS else None,
            renderer=form.renderer,
        )
    if text not in errors[key]:
        errors[key].append(text)


def time_zone_note() -> str:
    """The zone dates are typed and shown in, with its offset now, e.g.
    "America/Santiago (UTC-03:00)"."""
    offset = timezone.localtime().strftime("%z")
    return f"{settings.TIME_ZONE} (UTC{offset[:3]}:{offset[3:]})"


def nav_context(request: HttpRequest, *, can_edit: bool) -> dict[str, bool]:
    """What a workspace's navigation offers: creating things, and the audit log."""
    from pregon.core.selectors import audit_scope_of

    return {
        "nav_can_edit": can_edit,
        "show_audit": audit_scope_of(user=user_of(request)) is not None,
    }


def user_of(request: HttpRequest) -> User:
    """The signed-in person (views using it are behind `login_required`)."""
    return request.user  # type: ignore[return-value]
