"""Who may do what. Every service asks here before it changes anything.

Roles are held per organization, so a buyer official of one ministry has no power over another
ministry's tenders; platform administrators act through the operator organization.

The `organizations` app sits above this one: its model is reached through the membership's
foreign key and typed here as `OrganizationRef`, never imported.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from django.utils.translation import gettext as _

from pregon.accounts.choices import OrganizationKind, Role
from pregon.accounts.models import Membership, User
from pregon.core.actor import Actor
from pregon.core.errors import PermissionDenied


class OrganizationRef(Protocol):
    """What this app knows of an organization: its primary key and its kind."""

    pk: Any
    kind: str


def roles_in(user: User | None, organization: OrganizationRef) -> set[str]:
    """The roles a person holds in one organization."""
    if user is None or not user.is_authenticated:
        return set()
    return set(
        Membership.objects.filter(user=user, organization_id=organization.pk).values_list(
            "role", flat=True
        )
    )


def is_platform_admin(user: User | None) -> bool:
    """Superusers, and administrators of the platform operator's organization."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return Membership.objects.filter(
        user=user, role=Role.ADMINISTRATOR, organization__kind=OrganizationKind.OPERATOR
    ).exists()


def is_oversight_auditor(user: User | None) -> bool:
    """Auditors of an oversight body read the whole audit log."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return Membership.objects.filter(
        user=user, role=Role.AUDITOR, organization__kind=OrganizationKind.OVERSIGHT
    ).exists()


def require_role(actor: Actor, organization: OrganizationRef, roles: Iterable[str]) -> None:
    """Refuse unless the actor holds one of `roles` in `organization`.

    With an API key, the key's organization is the one acting; the key's scopes are checked
    by the API layer before the service is reached.
    """
    wanted = set(roles)
    if actor.api_key is not None:
        if actor.api_key.organization_id == organization.pk and actor.api_key.is_active:
            return
        raise PermissionDenied(_("This API key does not act for this organization."))
    if actor.user is None or not actor.user.is_active:
        raise PermissionDenied(_("Sign in to do this."))
    if actor.organization is not None and actor.organization.pk != organization.pk:
        raise PermissionDenied(_("You are acting for another organization."))
    if not roles_in(actor.user, organization) & wanted:
        raise PermissionDenied(_("Your role in this organization does not allow this action."))


def require_platform_admin(actor: Actor) -> None:
    """Refuse unless the actor is a platform administrator."""
    if not is_platform_admin(actor.user):
        raise PermissionDenied(_("Only a platform administrator may do this."))
