"""Which organization a person acts for on a page.

A person may hold roles in several organizations (an official of two municipalities, a consultant
working for two suppliers); a page acts for one of them at a time, remembered in the session and
changed with the organization switcher (`pregon.workspace`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest

from pregon.accounts.models import Membership
from pregon.core.actor import Actor
from pregon.core.choices import Channel
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
        channel=Channel.WEB,
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


def session_key(kinds: Iterable[str]) -> str:
    """The session key remembering the organization chosen in a workspace of `kinds`."""
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
    chosen = request.session.get(session_key(kinds))
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
